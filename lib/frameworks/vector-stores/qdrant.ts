import { endpointOf } from '../../record/endpoint';
import { asArray, asRecord, asString } from '../../record/read';
import { batchOf, denseLength, documentsOf, finite, sameNumber, scoredDocument, taggedDocuments } from './shapes';
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

/** How one query of a method says what it looks for: its vector's size, or its text. */
type QueryReader = (args: Record<string, unknown> | undefined) => Pick<StoreRequest, 'queryVectorDimensions' | 'queryText'>;

const byVector: QueryReader = (a) => queryShape(a?.vector);
const byQuery: QueryReader = (a) => queryShape(a?.query);
/** Recommendations: `positive` examples, point ids or vectors (ids are numbers too: only an array is a vector). */
const byExamples: QueryReader = (a) => ({ queryVectorDimensions: denseLength(asArray(a?.positive).find(Array.isArray)) });
/** Discovery: a `target`, a point id or a vector. */
const byTarget: QueryReader = (a) => ({ queryVectorDimensions: Array.isArray(a?.target) ? denseLength(a?.target) : undefined });

/**
 * A method of one query: `(name, { …query, limit })`, its answer the points (`ScoredPoint[]`) or, where
 * `answerPoints` says so, an object holding them. `defaultLimit`: what the SDK sends when no limit is given.
 */
function single(operation: string, reader: QueryReader, defaultLimit?: number, answerPoints: (result: unknown) => unknown = (result) => result): StoreMethod {
  return {
    operation,
    query: true,
    describe(self, [collection, args]) {
      const a = asRecord(args);
      return { ...collectionOf(self, collection), topK: finite(a?.limit) ?? defaultLimit, ...reader(a) };
    },
    read: (result) => ({ documents: documentsOf(answerPoints(result), pointDocument) }),
  };
}

/**
 * A batch, `(name, { searches: [{ …query, limit }] })`: `BATCH {operation}` for several queries, the plain
 * operation for one; the limit they share, the first vector's size, the texts of queries by document (one as it
 * is, several as their list). Its answer has one list of points per query (`answerPoints` finds it in each
 * item), read in order, each point tagged with its query's index when there are several.
 */
function batch(operation: string, reader: QueryReader, answerPoints: (item: unknown) => unknown = (item) => item): StoreMethod {
  return {
    operation,
    query: true,
    describe(self, [collection, args]) {
      const queries = asArray(asRecord(args)?.searches).map(asRecord);
      let queryVectorDimensions: number | undefined;
      const texts: string[] = [];
      for (const one of queries) {
        const shape = reader(one);
        queryVectorDimensions ??= shape.queryVectorDimensions;
        if (typeof shape.queryText === 'string') texts.push(shape.queryText);
      }
      return {
        ...collectionOf(self, collection),
        ...batchOf(operation, queries.length),
        topK: sameNumber(queries.map((one) => one?.limit)),
        queryVectorDimensions,
        queryText: texts.length > 0 ? texts : undefined,
      };
    },
    read(result) {
      const lists = asArray(result).map(answerPoints);
      return taggedDocuments(lists.map((items, index) => ({ tag: lists.length > 1 ? index : undefined, items })), 'query_index', pointDocument);
    },
  };
}

/**
 * A grouped query, `(name, { …query, group_by, group_size, limit })`: at most `limit` groups. Its answer,
 * `{ groups: [{ id, hits: ScoredPoint[] }] }`: every group's hits, in order, each tagged with its group's id.
 */
function groups(operation: string, reader: QueryReader): StoreMethod {
  return {
    operation,
    query: true,
    describe(self, [collection, args]) {
      const a = asRecord(args);
      return { ...collectionOf(self, collection), topK: finite(a?.limit), ...reader(a) };
    },
    read(result) {
      const found = asArray(asRecord(result)?.groups).map(asRecord);
      return taggedDocuments(found.map((group) => ({ tag: group?.id, items: group?.hits })), 'group_id', pointDocument);
    },
  };
}

const pointsOf = (result: unknown) => asRecord(result)?.points;

function plain(operation: string, read?: StoreMethod['read']): StoreMethod {
  return { operation, describe: (self, [collection]) => collectionOf(self, collection), read };
}

/**
 * The traced `QdrantClient` methods by name. `search` and `recommend` get 10 from the SDK when no limit is given;
 * the universal query API (`query`, `queryBatch`, `queryGroups`) came in 1.10.
 */
export const QDRANT_METHODS: Readonly<Record<string, StoreMethod>> = {
  search: single('search', byVector, 10),
  query: single('query', byQuery, undefined, pointsOf),
  recommend: single('recommend', byExamples, 10),
  discoverPoints: single('discover', byTarget),
  searchBatch: batch('search', byVector),
  queryBatch: batch('query', byQuery, pointsOf),
  recommendBatch: batch('recommend', byExamples),
  // The SDK's older spelling of `recommendBatch`, a method of its own (it does not call the other).
  recommend_batch: batch('recommend', byExamples),
  discoverBatchPoints: batch('discover', byTarget),
  searchPointGroups: groups('search_groups', byVector),
  queryGroups: groups('query_groups', byQuery),
  recommendPointGroups: groups('recommend_groups', byExamples),
  upsert: plain('upsert'),
  delete: plain('delete'),
  // `retrieve` answers `Record[]`, `scroll` `{ points, next_page_offset }`.
  retrieve: plain('retrieve', (result) => ({ returnedRows: Array.isArray(result) ? result.length : undefined })),
  scroll: plain('scroll', (result) => {
    const points = asRecord(result)?.points;
    return { returnedRows: Array.isArray(points) ? points.length : undefined };
  }),
};
