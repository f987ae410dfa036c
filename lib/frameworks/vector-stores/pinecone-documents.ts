import { endpointOf } from '../../record/endpoint';
import { asArray, asRecord, asString } from '../../record/read';
import type { RunDocument } from '../../record/run-record';
import { namedIndex } from './pinecone';
import { denseLength, documentsOf, fetchedRows, finite, nonEmptyObject, urlWithScheme } from './shapes';
import type { StoreMethod, StoreRequest } from './store-span';

/**
 * Pinecone 9's documents API (`index.documents.search/upsert/fetch/update/delete`, which `index.searchDocuments`
 * and its siblings call): schema-based documents, each `{ _id, ...fields }`. Its `Documents` class is exported;
 * an instance knows its index through its provider (`indexName`, and `indexHostUrl` once resolved).
 */
interface PineconeDocuments {
  _provider?: { indexName?: unknown; indexHostUrl?: unknown };
}

function providerOf(self: unknown): PineconeDocuments['_provider'] {
  return (self as PineconeDocuments | undefined)?._provider;
}

function indexOf(self: unknown): StoreRequest {
  const provider = providerOf(self);
  return namedIndex(provider?.indexName, provider?.indexHostUrl);
}

/** A host resolved by the index's name during the call. */
function resolvedServer(self: unknown) {
  return endpointOf(urlWithScheme(providerOf(self)?.indexHostUrl));
}

/** A match, `{ _id, _score, ...fields }`: the fields the search returned are its metadata (the app picks them, `includeFields`). */
function matchDocument(item: unknown): RunDocument | undefined {
  const match = asRecord(item);
  if (!match) return undefined;
  const { _id: id, _score: score, ...fields } = match;
  return { id: asString(id), score: finite(score), metadata: nonEmptyObject(fields) };
}

/**
 * `search({ scoreBy: [{ type, fields, query } | { type, field, values }], topK, includeFields, filter })`:
 * `{ matches }`. The query texts of its scoring methods are the input; a dense `values` is only counted.
 */
const search: StoreMethod = {
  operation: 'search',
  query: true,
  describe(self, [options]) {
    const o = asRecord(options);
    const methods = asArray(o?.scoreBy).map(asRecord);
    const texts = methods.map((method) => method?.query).filter((text): text is string => typeof text === 'string');
    const dense = methods.map((method) => denseLength(method?.values)).find((length) => length !== undefined);
    return { ...indexOf(self), topK: finite(o?.topK), queryVectorDimensions: dense, queryText: texts.length > 0 ? texts : undefined };
  },
  read: (result) => ({ documents: documentsOf(asRecord(result)?.matches, matchDocument) }),
  serverAfter: resolvedServer,
};

function plain(operation: string, read?: StoreMethod['read']): StoreMethod {
  return { operation, describe: (self) => indexOf(self), read, serverAfter: resolvedServer };
}

/** The traced `Documents` methods by name (`list` is paging, as `listPaginated`, and not traced). */
export const PINECONE_DOCUMENT_METHODS: Readonly<Record<string, StoreMethod>> = {
  search,
  upsert: plain('upsert'),
  // `fetch` answers `{ documents: { [id]: document } }`.
  fetch: plain('fetch', fetchedRows('documents')),
  update: plain('update'),
  delete: plain('delete'),
};
