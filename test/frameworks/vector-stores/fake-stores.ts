import type http from 'node:http';
import { LocalHttpServer } from '../../helpers/local-http-server';

/**
 * One local server answering the three stores' REST APIs in their real shapes (recorded from the stores'
 * OpenAPI documents and SDK models): Pinecone's data plane, Qdrant's points API, Chroma's v2 API. It keeps
 * every request (method, path, body) and fails a request whose path holds `fail` with the store's error shape.
 */
export interface SeenRequest {
  method: string;
  path: string;
  body: unknown;
}

export const PINECONE_MATCHES = [
  { id: 'doc-1', score: 0.92, values: [], metadata: { text: 'Paris is the capital of France.', source: 'wiki' } },
  { id: 'doc-2', score: 0.81, values: [], metadata: { text: 'Lyon is in France.' } },
];
/** `searchRecords` hits (integrated inference, 5.x on) and 9.x documents-search matches: `_id`, `_score`, the fields. */
export const PINECONE_HITS = [{ _id: 'rec-1', _score: 0.77, fields: { chunk_text: 'Apples grow on trees.', category: 'fruit' } }];
export const PINECONE_DOCUMENT_MATCHES = [
  { _id: 'article-1', _score: 1.5, title: 'Growing apples', category: 'gardening' },
  { _id: 'article-2', _score: 0.9 },
];
export const QDRANT_POINTS = [
  { id: 7, version: 3, score: 0.88, payload: { page_content: 'Qdrant is a vector database.', lang: 'en' } },
  { id: 'a1b2c3d4-0000-4000-8000-000000000001', version: 1, score: 0.5, payload: null },
];
/** Qdrant's grouped answer (`search/groups`, `query/groups`, `recommend/groups`): groups by a payload field, each with its hits. */
export const QDRANT_GROUPS = { groups: [{ id: 'wiki', hits: QDRANT_POINTS.slice(0, 1) }, { id: 3, hits: QDRANT_POINTS.slice(1) }] };
/** More points than a span's 128 attributes hold as documents (`many-docs`). */
export const MANY_POINTS = Array.from({ length: 60 }, (_, i) => ({ id: i, version: 1, score: 1 - i / 100, payload: { n: i } }));
export const CHROMA_QUERY = {
  ids: [['c1', 'c2']],
  distances: [[0.12, 0.4]],
  documents: [['Chroma stores documents.', 'Embeddings live here.']],
  metadatas: [[{ topic: 'db' }, null]],
  embeddings: null,
  uris: null,
  include: ['metadatas', 'documents', 'distances'],
};

/** Chroma's search answer for one search (`scores`, as the search ranked them, in place of `distances`). */
export const CHROMA_SEARCH_ROW = {
  ids: ['c1', 'c2'],
  documents: ['Chroma stores documents.', 'Embeddings live here.'],
  metadatas: [{ topic: 'db' }, null],
  scores: [0.12, 0.4],
};

export class FakeStores extends LocalHttpServer {
  readonly seen: SeenRequest[] = [];

  protected async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const path = req.url ?? '/';
    const body: unknown = text ? JSON.parse(text) : undefined;
    this.seen.push({ method: req.method ?? 'GET', path, body });
    // Pinecone's control plane: describe-index gives the index's data-plane host (this server).
    const described = /^\/indexes\/([^/]+)$/.exec(path);
    const answer = described ? ok({ name: described[1], dimension: 3, metric: 'cosine', host: this.origin, status: { ready: true, state: 'Ready' }, spec: {} }) : route(req.method ?? 'GET', path, body);
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  }
}

function route(method: string, path: string, body: unknown): { status: number; body: unknown } {
  // A Pinecone index host with a `/fail` path, a Qdrant collection or a Chroma collection id with `fail` in its name.
  if (path.includes('fail') && !/^\/api\/v2\/.*\/collections\/[^/]+$/.test(path)) return failure(path);
  // Pinecone data plane (the index host)
  if (path === '/query') return ok({ matches: PINECONE_MATCHES, namespace: '', usage: { readUnits: 5 } });
  if (path === '/vectors/upsert') return ok({ upsertedCount: 2 });
  if (path.startsWith('/vectors/fetch')) return ok({ vectors: { 'doc-1': { id: 'doc-1', values: [0.1, 0.2], metadata: { a: 1 } } }, namespace: '', usage: { readUnits: 1 } });
  if (path === '/vectors/delete') return ok({});
  if (/^\/records\/namespaces\/[^/]*\/search$/.test(path)) return ok({ result: { hits: PINECONE_HITS }, usage: { read_units: 1, embed_total_tokens: 4 } });
  // 9.x documents API
  if (/^\/namespaces\/[^/]*\/documents\/search$/.test(path)) return ok({ matches: PINECONE_DOCUMENT_MATCHES, namespace: '', usage: { read_units: 1 } });
  if (/^\/namespaces\/[^/]*\/documents\/upsert$/.test(path)) return ok({ upserted_count: 1 });
  if (/^\/namespaces\/[^/]*\/documents\/fetch$/.test(path)) return ok({ documents: { 'article-1': { _id: 'article-1', title: 'Growing apples' } }, namespace: '', usage: { read_units: 1 } });
  if (/^\/namespaces\/[^/]*\/documents\/delete$/.test(path)) return ok({ matched_records: 1 });
  // Qdrant
  if (path === '/') return ok({ title: 'qdrant - vector search engine', version: '1.18.0' });
  if (path === '/collections/many-docs/points/search') return qdrant(MANY_POINTS);
  if (/^\/collections\/[^/]+\/points\/(search|recommend|discover)$/.test(path)) return qdrant(QDRANT_POINTS);
  if (/^\/collections\/[^/]+\/points\/query$/.test(path)) return qdrant({ points: QDRANT_POINTS.slice(0, 1) });
  // A batch answers one list per query: QDRANT_POINTS, then its first point, alternately.
  if (/^\/collections\/[^/]+\/points\/(search|recommend|discover)\/batch$/.test(path)) return qdrant(batchLists(body));
  if (/^\/collections\/[^/]+\/points\/query\/batch$/.test(path)) return qdrant(batchLists(body).map((points) => ({ points })));
  if (/^\/collections\/[^/]+\/points\/(search|query|recommend)\/groups$/.test(path)) return qdrant(QDRANT_GROUPS);
  if (/^\/collections\/[^/]+\/points(\?.*)?$/.test(path) && method === 'PUT') return qdrant({ operation_id: 1, status: 'completed' });
  if (/^\/collections\/[^/]+\/points(\?.*)?$/.test(path)) return qdrant([{ id: 7, payload: { a: 1 } }]);
  if (/^\/collections\/[^/]+\/points\/delete/.test(path)) return qdrant({ operation_id: 2, status: 'completed' });
  // Chroma v2 (a write first asks the server's limits)
  if (path === '/api/v2/pre-flight-checks') return ok({ max_batch_size: 1000, supports_base64_encoding: false });
  const chroma = /^\/api\/v2\/tenants\/([^/]+)\/databases\/([^/]+)\/collections\/([^/]+)(\/\w+)?$/.exec(path);
  if (chroma) {
    const [, tenant, database, collection, action] = chroma;
    if (!action && collection === 'absent') return { status: 404, body: { error: 'NotFoundError', message: 'Collection [absent] does not exist' } };
    if (!action) return ok({ id: `id-${collection}`, name: collection, tenant, database, metadata: null, configuration_json: {}, dimension: 3, log_position: 0, version: 0 });
    // One row per query (per embedding: the SDK embeds query texts first), per search.
    if (action === '/query') return ok(chromaRows(CHROMA_QUERY, (body as { query_embeddings?: unknown[] } | undefined)?.query_embeddings?.length ?? 1));
    if (action === '/search') {
      const rows = (body as { searches?: unknown[] } | undefined)?.searches?.length ?? 1;
      const row = CHROMA_SEARCH_ROW;
      return ok({ ids: Array(rows).fill(row.ids), documents: Array(rows).fill(row.documents), metadatas: Array(rows).fill(row.metadatas), scores: Array(rows).fill(row.scores), embeddings: null, select: Array(rows).fill(['#document', '#metadata', '#score']) });
    }
    if (action === '/get') return ok({ ids: ['c1'], documents: ['Chroma stores documents.'], metadatas: [null], embeddings: null, uris: null, include: ['documents', 'metadatas'] });
    if (action === '/delete') return ok({ deleted: 1 });
    return ok({});
  }
  return { status: 404, body: { error: `no route for ${method} ${path}` } };
}

/** A columnar Chroma answer with its one row repeated `rows` times. */
function chromaRows(answer: typeof CHROMA_QUERY, rows: number) {
  const repeat = <T>(column: T[]) => Array(rows).fill(column[0]) as T[];
  return { ...answer, ids: repeat(answer.ids), distances: repeat(answer.distances), documents: repeat(answer.documents), metadatas: repeat(answer.metadatas) };
}

function batchLists(body: unknown): unknown[][] {
  const searches = (body as { searches?: unknown[] } | undefined)?.searches ?? [];
  return searches.map((_, i) => (i % 2 === 0 ? QDRANT_POINTS : QDRANT_POINTS.slice(0, 1)));
}

function ok(body: unknown) {
  return { status: 200, body };
}

function qdrant(result: unknown) {
  return ok({ result, status: 'ok', time: 0.001 });
}

/** Each store's error body for a bad request. */
function failure(path: string) {
  if (path.startsWith('/api/v2')) return { status: 400, body: { error: 'InvalidArgumentError', message: 'bad query' } };
  if (path.startsWith('/collections')) return { status: 400, body: { status: { error: 'Wrong input: Vector dimension error' }, time: 0 } };
  return { status: 400, body: { code: 3, message: 'Vector dimension 2 does not match the dimension of the index 3', details: [] } };
}
