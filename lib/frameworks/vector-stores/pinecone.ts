import { endpointOf } from '../../record/endpoint';
import type { ServerEndpoint } from '../../record/call-record';
import { asRecord, asString } from '../../record/read';
import { denseLength, documentsOf, fetchedRows, finite, scoredDocument, urlWithScheme } from './shapes';
import type { StoreMethod, StoreRequest } from './store-span';

/**
 * Pinecone (`@pinecone-database/pinecone`): the data-plane methods of its `Index` class. The only file that
 * knows Pinecone's shapes. An index is named when the app names it (`pc.index({ name })`), else from its
 * host (`{index}-{project}.svc.{environment}.pinecone.io`); a host given to the client is its `server.address`,
 * and one the client resolves by name (a control-plane call) is known once the call is in.
 */

interface PineconeIndex {
  /** 8.x and 9.x name the index `indexName`; 2.x `index`. */
  target?: { indexName?: unknown; index?: unknown; indexHostUrl?: unknown };
  _queryCommand?: { apiProvider?: { indexHostUrl?: unknown } };
}

/** A Pinecone serverless or pod host: the index name, then `-` and the 7-character project id. */
const HOST_INDEX = /^([a-z0-9-]+)-[a-z0-9]{7}\.svc\./i;

/** The index named by the app, else read from its host; the host, when known, is the server. */
export function namedIndex(name: unknown, hostUrl: unknown): StoreRequest {
  const host = asString(hostUrl);
  const collection = asString(name) || (host && HOST_INDEX.exec(host.replace(/^https?:\/\//, ''))?.[1]);
  return { collection: collection || undefined, server: endpointOf(urlWithScheme(host)) };
}

function indexOf(self: unknown): StoreRequest {
  const target = (self as PineconeIndex | undefined)?.target;
  return namedIndex(asString(target?.indexName) || target?.index, target?.indexHostUrl);
}

/** The host the client resolved during the call (the same provider serves every data-plane method). */
function resolvedServer(self: unknown): ServerEndpoint | undefined {
  return endpointOf(urlWithScheme((self as PineconeIndex | undefined)?._queryCommand?.apiProvider?.indexHostUrl));
}

/** A method that only names the index (writes, fetches, deletes). */
function plain(operation: string, read?: StoreMethod['read']): StoreMethod {
  return { operation, describe: (self) => indexOf(self), read, serverAfter: resolvedServer };
}

/** `fetch` and `fetchByMetadata`: `{ records: { [id]: record } }`. */
const fetchedCount = fetchedRows('records');

const MATCH = { id: 'id', score: 'score', metadata: 'metadata' };
const HIT = { id: '_id', score: '_score', metadata: 'fields' };

/** `query({ topK, vector | id, … })`: `{ matches: [{ id, score, values, metadata }] }` (values never read). */
const query: StoreMethod = {
  operation: 'query',
  query: true,
  describe(self, [options]) {
    const o = asRecord(options);
    return { ...indexOf(self), topK: finite(o?.topK), queryVectorDimensions: denseLength(o?.vector) };
  },
  read: (result) => ({ documents: documentsOf(asRecord(result)?.matches, (item) => scoredDocument(item, MATCH)) }),
  serverAfter: resolvedServer,
};

/** `searchRecords({ query: { topK, inputs: { text } | vector | id }, fields, rerank })`: `{ result: { hits: [{ _id, _score, fields }] } }`. */
const searchRecords: StoreMethod = {
  operation: 'search',
  query: true,
  describe(self, [options]) {
    const q = asRecord(asRecord(options)?.query);
    return {
      ...indexOf(self),
      topK: finite(q?.topK),
      queryVectorDimensions: denseLength(asRecord(q?.vector)?.values),
      queryText: asString(asRecord(q?.inputs)?.text),
    };
  },
  read: (result) => ({ documents: documentsOf(asRecord(asRecord(result)?.result)?.hits, (item) => scoredDocument(item, HIT)) }),
  serverAfter: resolvedServer,
};

/** The traced `Index` methods by name (several SDK methods are one API operation). */
export const PINECONE_METHODS: Readonly<Record<string, StoreMethod>> = {
  query,
  searchRecords,
  upsert: plain('upsert'),
  upsertRecords: plain('upsert'),
  update: plain('update'),
  fetch: plain('fetch', fetchedCount),
  fetchByMetadata: plain('fetch', fetchedCount),
  deleteOne: plain('delete'),
  deleteMany: plain('delete'),
  deleteAll: plain('delete'),
};
