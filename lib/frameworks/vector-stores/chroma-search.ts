import { asRecord } from '../../record/read';
import { batchOf, denseLength, finite, sameNumber } from './shapes';
import type { StoreRequest } from './store-span';

/**
 * Chroma 3's search API, `collection.search(searches)`: each search a `Search` (the builder) or a `SearchInit`
 * (`{ where, rank, groupBy, limit, select }`). Its query is a `Knn` rank, `{ $knn: { query, key, limit } }`,
 * alone or inside a fusion (`Rrf`, sums, …) of the rank expression. Read here: the results each search asks
 * for (`limit`), the first dense query vector's size, and the texts Chroma embeds (the query's input).
 */
export function describeSearch(searches: unknown): StoreRequest {
  const items = Array.isArray(searches) ? searches : [searches];
  const texts: string[] = [];
  const limits: unknown[] = [];
  let queryVectorDimensions: number | undefined;
  for (const item of items) {
    const { rank, limit } = partsOf(item);
    limits.push(limit);
    for (const query of knnQueries(rank)) {
      if (typeof query === 'string') texts.push(query);
      else queryVectorDimensions ??= denseLength(query);
    }
  }
  return {
    ...batchOf('search', items.length),
    topK: sameNumber(limits),
    queryVectorDimensions,
    queryText: texts.length > 0 ? texts : undefined,
  };
}

interface SearchParts {
  rankExpression?: unknown;
  limitConfig?: unknown;
  rank?: unknown;
  limit?: unknown;
  toPayload?: unknown;
}

/** A `Search` gives its rank and limit through getters; a `SearchInit` is its parts. The limit: a number, or a `Limit`'s. */
function partsOf(item: unknown): { rank: unknown; limit: number | undefined } {
  const search = asRecord(item) as SearchParts | undefined;
  if (!search) return { rank: undefined, limit: undefined };
  const builder = typeof search.toPayload === 'function';
  const limit = builder ? search.limitConfig : search.limit;
  return { rank: builder ? search.rankExpression : search.rank, limit: finite(limit) ?? finite(asRecord(limit)?.limit) };
}

/**
 * A rank expression object as its JSON (`Knn(…)` is a class; its `toJSON` builds the `$knn` literal). One that
 * cannot be read is skipped: the span keeps what the rest of the request says.
 */
function plainOf(value: unknown): unknown {
  const toJSON = asRecord(value)?.toJSON;
  if (typeof toJSON !== 'function') return value;
  try {
    return toJSON.call(value);
  } catch {
    return undefined;
  }
}

/** Rank expressions are small trees: a bound on the nodes visited keeps a strange input cheap. */
const MAX_RANK_NODES = 200;

/** The `query` of every `$knn` in a rank expression, in order. Vectors are not walked into. */
function knnQueries(rank: unknown): unknown[] {
  const queries: unknown[] = [];
  const pending: unknown[] = [rank];
  for (let visited = 0; pending.length > 0 && visited < MAX_RANK_NODES; visited++) {
    const node = plainOf(pending.shift());
    if (Array.isArray(node)) {
      if (typeof node[0] !== 'number') pending.push(...node);
      continue;
    }
    const object = asRecord(node);
    if (!object) continue;
    const knn = asRecord(plainOf(object.$knn));
    if (knn) queries.push(knn.query);
    for (const [key, value] of Object.entries(object)) if (key !== '$knn') pending.push(value);
  }
  return queries;
}
