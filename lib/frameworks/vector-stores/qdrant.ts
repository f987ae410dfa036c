import { endpointOf } from '../../record/endpoint';
import { asRecord, asString } from '../../record/read';
import { denseLength, documentsOf, finite, scoredDocument } from './shapes';
import type { StoreMethod, StoreRequest } from './store-span';

/**
 * Qdrant (`@qdrant/js-client-rest`): the point methods of `QdrantClient`, each `(collection_name, args)`.
 * The only file that knows Qdrant's shapes. A point's payload is its metadata (LangChain keeps the text
 * there, as `page_content`); Qdrant returns no text of its own, so documents have no content.
 */

/** The collection and the REST endpoint the client was made with. */
function collectionOf(self: unknown, collection: unknown): StoreRequest {
  return { collection: asString(collection), server: endpointOf((self as { _restUri?: unknown } | undefined)?._restUri) };
}

/**
 * The query's vector size, or its text: a dense vector, a named one (`{ name, vector }`), a multi-vector
 * (its first row's size), `{ nearest: … }`, or a document Qdrant embeds itself (`{ text, model }`). Sparse
 * vectors, point ids, recommendations and fusions have no one size.
 */
function queryShape(query: unknown, depth = 0): Pick<StoreRequest, 'queryVectorDimensions' | 'queryText'> {
  const dense = denseLength(query) ?? (Array.isArray(query) ? denseLength(query[0]) : undefined);
  if (dense !== undefined) return { queryVectorDimensions: dense };
  const object = asRecord(query);
  if (!object || depth > 2) return {};
  if (typeof object.text === 'string') return { queryText: object.text };
  if ('nearest' in object) return queryShape(object.nearest, depth + 1);
  if ('vector' in object) return queryShape(object.vector, depth + 1);
  return {};
}

const POINT = { id: 'id', score: 'score', metadata: 'payload' };
const pointDocument = (item: unknown) => scoredDocument(item, POINT);

/** `search(name, { vector, limit = 10, … })`: `ScoredPoint[]`. */
const search: StoreMethod = {
  operation: 'search',
  query: true,
  describe(self, [collection, args]) {
    const a = asRecord(args);
    // The SDK sends 10 when no limit is given.
    return { ...collectionOf(self, collection), topK: finite(a?.limit) ?? 10, ...queryShape(a?.vector) };
  },
  read: (result) => ({ documents: documentsOf(result, pointDocument) }),
};

/** `query(name, { query, limit, prefetch, … })`: `{ points: ScoredPoint[] }`. */
const query: StoreMethod = {
  operation: 'query',
  query: true,
  describe(self, [collection, args]) {
    const a = asRecord(args);
    return { ...collectionOf(self, collection), topK: finite(a?.limit), ...queryShape(a?.query) };
  },
  read: (result) => ({ documents: documentsOf(asRecord(result)?.points, pointDocument) }),
};

function plain(operation: string, read?: StoreMethod['read']): StoreMethod {
  return { operation, describe: (self, [collection]) => collectionOf(self, collection), read };
}

/** The traced `QdrantClient` methods by name. */
export const QDRANT_METHODS: Readonly<Record<string, StoreMethod>> = {
  search,
  query,
  upsert: plain('upsert'),
  delete: plain('delete'),
  // `retrieve` answers `Record[]`, `scroll` `{ points, next_page_offset }`.
  retrieve: plain('retrieve', (result) => ({ returnedRows: Array.isArray(result) ? result.length : undefined })),
  scroll: plain('scroll', (result) => {
    const points = asRecord(result)?.points;
    return { returnedRows: Array.isArray(points) ? points.length : undefined };
  }),
};
