import { endpointOf } from '../../record/endpoint';
import { asArray, asRecord, asString } from '../../record/read';
import { batchOperation, denseLength, documentsOf, finite, sameNumber, scoredDocument, taggedDocuments } from './shapes';
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

/**
 * The queries of a batch: their one limit (when they share it), the first vector's size, and the texts of the
 * queries by document (one as it is, several as their list).
 */
function batchShape(queries: ReadonlyArray<Record<string, unknown> | undefined>, key: 'vector' | 'query'): StoreRequest {
  let queryVectorDimensions: number | undefined;
  const texts: string[] = [];
  for (const one of queries) {
    const shape = queryShape(one?.[key]);
    queryVectorDimensions ??= shape.queryVectorDimensions;
    if (typeof shape.queryText === 'string') texts.push(shape.queryText);
  }
  return { topK: sameNumber(queries.map((one) => one?.limit)), queryVectorDimensions, queryText: texts.length > 0 ? texts : undefined };
}

/** A batch's `searches`, and its operation: `BATCH {operation}` for several, the plain operation for one. */
function batchOf(self: unknown, collection: unknown, args: unknown, operation: string, key: 'vector' | 'query'): StoreRequest {
  const searches = asArray(asRecord(args)?.searches).map(asRecord);
  return { ...collectionOf(self, collection), operation: batchOperation(operation, searches.length), ...batchShape(searches, key) };
}

/** The answers of a batch, one list of points per query, as documents: each tagged with its query's index when there are several. */
function batchAnswer(lists: readonly unknown[]) {
  return taggedDocuments(lists.map((items, index) => ({ tag: lists.length > 1 ? index : undefined, items })), 'query_index', pointDocument);
}

/** `searchBatch(name, { searches: [{ vector, limit, … }] })`: `ScoredPoint[][]`, one list per search. */
const searchBatch: StoreMethod = {
  operation: 'search',
  query: true,
  describe: (self, [collection, args]) => batchOf(self, collection, args, 'search', 'vector'),
  read: (result) => batchAnswer(asArray(result)),
};

/** `queryBatch(name, { searches: [{ query, limit, … }] })`: `[{ points: ScoredPoint[] }]`, one per query. */
const queryBatch: StoreMethod = {
  operation: 'query',
  query: true,
  describe: (self, [collection, args]) => batchOf(self, collection, args, 'query', 'query'),
  read: (result) => batchAnswer(asArray(result).map((answer) => asRecord(answer)?.points)),
};

/** A grouped answer, `{ groups: [{ id, hits: ScoredPoint[] }] }`: every group's hits, in order, each tagged with its group's id. */
function groupsAnswer(result: unknown) {
  const groups = asArray(asRecord(result)?.groups).map(asRecord);
  return taggedDocuments(groups.map((group) => ({ tag: group?.id, items: group?.hits })), 'group_id', pointDocument);
}

/**
 * `searchPointGroups(name, { vector, group_by, group_size, limit })` and (1.10 on) `queryGroups(name, { query,
 * group_by, limit, … })`: at most `limit` groups, the query under `key`.
 */
function groupsMethod(operation: string, key: 'vector' | 'query'): StoreMethod {
  return {
    operation,
    query: true,
    describe(self, [collection, args]) {
      const a = asRecord(args);
      return { ...collectionOf(self, collection), topK: finite(a?.limit), ...queryShape(a?.[key]) };
    },
    read: groupsAnswer,
  };
}

function plain(operation: string, read?: StoreMethod['read']): StoreMethod {
  return { operation, describe: (self, [collection]) => collectionOf(self, collection), read };
}

/** The traced `QdrantClient` methods by name. */
export const QDRANT_METHODS: Readonly<Record<string, StoreMethod>> = {
  search,
  query,
  searchBatch,
  queryBatch,
  searchPointGroups: groupsMethod('search_groups', 'vector'),
  queryGroups: groupsMethod('query_groups', 'query'),
  upsert: plain('upsert'),
  delete: plain('delete'),
  // `retrieve` answers `Record[]`, `scroll` `{ points, next_page_offset }`.
  retrieve: plain('retrieve', (result) => ({ returnedRows: Array.isArray(result) ? result.length : undefined })),
  scroll: plain('scroll', (result) => {
    const points = asRecord(result)?.points;
    return { returnedRows: Array.isArray(points) ? points.length : undefined };
  }),
};
