import { diag } from '@opentelemetry/api';
import type { AnyFunction, PatchHost } from '../../instrumentation/patching';
import { endpointOf } from '../../record/endpoint';
import { asArray, asRecord, asString } from '../../record/read';
import type { RunDocument } from '../../record/run-record';
import { batchOf, denseLength, finite, idText, MAX_DOCUMENTS_READ, nonEmptyObject, tagged } from './shapes';
import { describeSearch } from './chroma-search';
import { type StoreMethod, storeMethodWrapper, type StoreRequest } from './store-span';

/**
 * Chroma (`chromadb`): the record methods of a collection. The only file that knows Chroma's shapes. The
 * collection class is not exported (3.x: `CollectionImpl`, and `CollectionHandle` below it), so its
 * prototypes are found on the first collection a `ChromaClient` hands out, and wrapped then.
 */
export const CHROMA_SYSTEM = 'chroma';

interface ChromaCollection {
  name?: unknown;
  apiClient?: { getConfig?: () => { baseUrl?: unknown } | undefined };
}

function collectionOf(self: unknown): StoreRequest {
  const collection = self as ChromaCollection | undefined;
  let baseUrl: unknown;
  try {
    baseUrl = collection?.apiClient?.getConfig?.()?.baseUrl;
  } catch {
    baseUrl = undefined;
  }
  return { collection: asString(collection?.name), server: endpointOf(baseUrl) };
}

/**
 * A columnar answer, one row per query of `ids`, `documents`, `metadatas` and the scores under `scoreKey`
 * (`query`: `distances`; `search`: `scores`): every row's results, in order, are the documents, tagged with
 * their query's index when there are several rows.
 */
function columnarAnswer(result: unknown, scoreKey: 'distances' | 'scores'): { documents: RunDocument[]; returnedRows: number } {
  const r = asRecord(result);
  const documents: RunDocument[] = [];
  let returnedRows = 0;
  const ids = asArray(r?.ids);
  for (let q = 0; q < ids.length; q++) {
    const row = asArray(ids[q]);
    returnedRows += row.length;
    for (let i = 0; i < row.length && documents.length < MAX_DOCUMENTS_READ; i++) {
      const document: RunDocument = {
        id: idText(row[i]),
        score: finite(asArray(asArray(r?.[scoreKey])[q])[i]),
        content: asString(asArray(asArray(r?.documents)[q])[i]),
        metadata: nonEmptyObject(asArray(asArray(r?.metadatas)[q])[i]),
      };
      documents.push(ids.length > 1 ? tagged(document, 'query_index', q) : document);
    }
  }
  return { documents, returnedRows };
}

/**
 * `query({ queryEmbeddings | queryTexts, nResults = 10 })`, each text or embedding a query (several: a
 * `BATCH query`). Chroma gives distances (smaller is closer), recorded as the score, as LangChain's Chroma
 * store does.
 */
const query: StoreMethod = {
  operation: 'query',
  query: true,
  describe(self, [args]) {
    const a = asRecord(args);
    const texts = asArray(a?.queryTexts).filter((text): text is string => typeof text === 'string');
    const embeddings = asArray(a?.queryEmbeddings);
    return {
      ...collectionOf(self),
      // A query of neither (invalid, the SDK refuses it) is no batch.
      ...batchOf('query', Math.max(texts.length, embeddings.length, 1)),
      topK: finite(a?.nResults) ?? 10,
      queryVectorDimensions: denseLength(embeddings[0]),
      queryText: texts.length > 0 ? texts : undefined,
    };
  },
  read: (result) => columnarAnswer(result, 'distances'),
};

function plain(operation: string, read?: StoreMethod['read']): StoreMethod {
  return { operation, describe: (self) => collectionOf(self), read };
}

/** The traced collection methods by name. */
export const CHROMA_METHODS: Readonly<Record<string, StoreMethod>> = {
  query,
  // `search(searches, options)` (3.x's search API): `SearchResult`, rows like `query`'s, scores as ranked.
  search: { operation: 'search', query: true, describe: (self, [searches]) => ({ ...collectionOf(self), ...describeSearch(searches) }), read: (result) => columnarAnswer(result, 'scores') },
  add: plain('add'),
  upsert: plain('upsert'),
  update: plain('update'),
  delete: plain('delete'),
  // `get` answers `{ ids, documents, metadatas, … }`.
  get: plain('get', (result) => ({ returnedRows: asArray(asRecord(result)?.ids).length })),
};

/** The `ChromaClient` methods that hand out collections (a promise of one, a list, or one). */
export const CHROMA_COLLECTION_FACTORIES = ['getCollection', 'createCollection', 'getOrCreateCollection', 'listCollections', 'getCollections', 'collection'];

/** The prototypes each instrumentation (the host's runtime) has adopted. */
const adoptedBy = new WeakMap<object, WeakSet<object>>();

/**
 * Wraps the record methods on each prototype of the collection's class chain that defines them (a
 * `CollectionHandle` overrides some and calls the base's: one span, STORE_CALL_KEY). Each prototype once;
 * the host remembers them for `disable()`/`enable()`.
 */
function adoptCollection(host: PatchHost, collection: unknown): void {
  let adopted = adoptedBy.get(host.runtime);
  if (!adopted) adoptedBy.set(host.runtime, (adopted = new WeakSet()));
  // Only a collection (it has `query`): were a factory ever to hand out a Map or a Set, their built-in
  // `get`/`delete` must never be wrapped process-wide.
  if (collection === null || typeof collection !== 'object' || typeof (collection as { query?: unknown }).query !== 'function') return;
  let proto: object | null = Object.getPrototypeOf(collection);
  while (proto && proto !== Object.prototype && !adopted.has(proto)) {
    adopted.add(proto);
    for (const [name, method] of Object.entries(CHROMA_METHODS)) {
      if (Object.prototype.hasOwnProperty.call(proto, name)) host.wrap(proto, name, storeMethodWrapper(host, CHROMA_SYSTEM, method));
    }
    proto = Object.getPrototypeOf(proto);
  }
}

function adoptAll(host: PatchHost, value: unknown): void {
  try {
    if (Array.isArray(value)) for (const item of value) adoptCollection(host, item);
    else adoptCollection(host, value);
  } catch (err) {
    diag.debug('@infinium/otel: could not patch a Chroma collection', err);
  }
}

/** A factory, its collections adopted as they come; the app gets exactly what the SDK returns. */
export function collectionFactoryWrapper(host: PatchHost) {
  return (original: AnyFunction): AnyFunction =>
    function handingOutCollections(this: unknown, ...args: unknown[]) {
      const result: unknown = original.apply(this, args);
      if (result instanceof Promise) result.then((value) => adoptAll(host, value), () => undefined);
      else adoptAll(host, result);
      return result;
    };
}
