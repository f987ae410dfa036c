import { asRecord } from '../../record/read';
import type { RunDocument } from '../../record/run-record';
import type { StoreRequest } from './store-span';

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
  readUpToCap(documents, items, read);
  return documents;
}

/** Adds the documents of `items`, each read by `read`, to `documents` while it is under the cap. */
function readUpToCap(documents: RunDocument[], items: readonly unknown[], read: (item: unknown) => RunDocument | undefined): void {
  for (let i = 0; i < items.length && documents.length < MAX_DOCUMENTS_READ; i++) {
    const document = read(items[i]);
    if (document) documents.push(document);
  }
}

/** A fetch's answer, `{ [key]: { [id]: record } }`: how many records came back. */
export function fetchedRows(key: string): (result: unknown) => { returnedRows?: number } {
  return (result) => {
    const records = asRecord(asRecord(result)?.[key]);
    return { returnedRows: records ? Object.keys(records).length : undefined };
  };
}

/** The host and port of a URL that may come without its scheme (`my-index-abc.svc.….pinecone.io`: https). */
export function urlWithScheme(url: unknown): string | undefined {
  if (typeof url !== 'string' || url === '') return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`;
}

/**
 * A batch API's request is one database operation of the conventions' batch kind: of several queries (or
 * none: an empty batch), `BATCH {operation}` with `db.operation.batch.size`; of one query, that query, with
 * no batch size (a batch of one is modelled as the single operation).
 */
export function batchOf(operation: string, queries: number): Pick<StoreRequest, 'operation' | 'batchSize'> {
  return queries === 1 ? {} : { operation: `BATCH ${operation}`, batchSize: queries };
}

/** The one number every item gives (each query's limit in a batch), or undefined when they differ or give none. */
export function sameNumber(values: readonly unknown[]): number | undefined {
  const first = finite(values[0]);
  return first !== undefined && values.every((value) => value === first) ? first : undefined;
}

/**
 * A document that says where in a grouped answer it came from: `key` (`query_index`, `group_id`) leads its
 * metadata, and the store's own fields follow and win a clash, so the record's metadata is never altered.
 */
export function tagged(document: RunDocument, key: string, value: unknown): RunDocument {
  return { ...document, metadata: { [key]: value, ...document.metadata } };
}

/**
 * The documents of an answer in parts (each query's results in a batch, each group's hits), in order, each
 * tagged with its part's `tag` under `key`; `returnedRows` counts every item, read or not.
 */
export function taggedDocuments(
  parts: ReadonlyArray<{ tag: unknown; items: unknown }>,
  key: string,
  read: (item: unknown) => RunDocument | undefined,
): { documents: RunDocument[]; returnedRows: number } {
  const documents: RunDocument[] = [];
  let returnedRows = 0;
  for (const { tag, items } of parts) {
    const list = Array.isArray(items) ? items : [];
    returnedRows += list.length;
    const readTagged = (item: unknown) => {
      const document = read(item);
      return document && tagged(document, key, tag);
    };
    readUpToCap(documents, list, tag === undefined ? read : readTagged);
  }
  return { documents, returnedRows };
}
