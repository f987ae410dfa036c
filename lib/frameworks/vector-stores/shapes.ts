import { asRecord } from '../../record/read';
import type { RunDocument } from '../../record/run-record';

/**
 * Readers every store adapter shares: a query vector's size (never its values), a document's id, and the
 * documents of an answer, read up to a cap (the renderer keeps as many whole documents as the span's
 * attribute count limit takes; `db.response.returned_rows` still counts them all).
 */
export const MAX_DOCUMENTS_READ = 100;

/** The length of a dense vector (an array of numbers, or a typed array); undefined for anything else. */
export function denseLength(vector: unknown): number | undefined {
  if (ArrayBuffer.isView(vector) && !(vector instanceof DataView)) return (vector as unknown as ArrayLike<number>).length;
  if (!Array.isArray(vector) || vector.length === 0) return undefined;
  return typeof vector[0] === 'number' ? vector.length : undefined;
}

/** A record id as text (stores give strings, Qdrant also unsigned integers). */
export function idText(id: unknown): string | undefined {
  if (typeof id === 'string') return id;
  return typeof id === 'number' && Number.isFinite(id) ? String(id) : undefined;
}

/** A finite number, or undefined. */
export function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A plain object with at least one key (a document's metadata or payload), or undefined. */
export function nonEmptyObject(value: unknown): Record<string, unknown> | undefined {
  const object = asRecord(value);
  return object && Object.keys(object).length > 0 ? object : undefined;
}

/** A scored record as a document: its id, score and metadata under the store's own field names. */
export function scoredDocument(item: unknown, fields: { id: string; score: string; metadata: string }): RunDocument | undefined {
  const record = asRecord(item);
  if (!record) return undefined;
  return { id: idText(record[fields.id]), score: finite(record[fields.score]), metadata: nonEmptyObject(record[fields.metadata]) };
}

/** The documents of `items`, each read by `read`, up to the cap. */
export function documentsOf(items: unknown, read: (item: unknown) => RunDocument | undefined): RunDocument[] | undefined {
  if (!Array.isArray(items)) return undefined;
  const documents: RunDocument[] = [];
  for (let i = 0; i < items.length && documents.length < MAX_DOCUMENTS_READ; i++) {
    const document = read(items[i]);
    if (document) documents.push(document);
  }
  return documents;
}

/** The host and port of a URL that may come without its scheme (`my-index-abc.svc.….pinecone.io`: https). */
export function urlWithScheme(url: unknown): string | undefined {
  if (typeof url !== 'string' || url === '') return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`;
}
