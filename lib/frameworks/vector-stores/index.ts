import { MethodTable, tableDefinition } from '../../instrumentation/patch-table';
import { AnyFunction, moduleExports, PatchHost } from '../../instrumentation/patching';
import type { ProviderInstrumentation } from '../../providers/types';
import type * as Patches from './patches';

/**
 * The vector stores: each similarity query a RETRIEVER span (its documents, scores and metadata) with the
 * OTel database attributes, each write, fetch and delete a CLIENT span with the database attributes alone
 * (store-span.ts). Under a framework's retriever (LangChain, LlamaIndex) a query keeps its database
 * attributes and leaves the documents to the retriever's span. docs/frameworks/vector-stores.md.
 */
export const PINECONE = '@pinecone-database/pinecone';
export const QDRANT = '@qdrant/js-client-rest';
export const CHROMA = 'chromadb';
export const PINECONE_VERSIONS = ['>=2.0.0 <10'];
export const QDRANT_VERSIONS = ['>=1.8.0 <2'];
/**
 * 3.x only: the client rewritten in 3.0 (collections of an unexported `CollectionImpl`, the v2 REST API) is the
 * one whose shapes chroma.ts reads and the tests run (3.5.0). 1.x (`Collection`, the v1 API) and 2.x cannot be
 * installed beside our other devDependencies, so they are not claimed.
 */
export const CHROMA_VERSIONS = ['>=3.0.0 <4'];

let patchesModule: typeof Patches | undefined;
function patches(): typeof Patches {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (patchesModule ??= require('./patches') as typeof Patches);
}

type Exports = Record<string, unknown> | undefined;

/** One store's traced methods on one exported class, by the names its adapter's table gives. */
function storeTable(system: string, className: string, names: readonly string[], methods: () => Readonly<Record<string, Patches.StoreMethodType>>): MethodTable<string> {
  return {
    roots: (module) => [moduleExports<Exports>(module)?.[className]],
    methods: names.map((method) => ({ path: [], method, operation: method })),
    wrapper: (host: PatchHost, name: string) => patches().storeMethodWrapper(host, system, methods()[name]),
  };
}

const PINECONE_TABLE = storeTable('pinecone', 'Index', [
  'query', 'searchRecords', 'upsert', 'upsertRecords', 'update', 'fetch', 'fetchByMetadata', 'deleteOne', 'deleteMany', 'deleteAll',
], () => patches().PINECONE_METHODS);

/** 9.x's documents API (`index.documents.*`, which `index.searchDocuments` and its siblings call). */
const PINECONE_DOCUMENTS_TABLE = storeTable('pinecone', 'Documents', ['search', 'upsert', 'fetch', 'update', 'delete'], () => patches().PINECONE_DOCUMENT_METHODS);

const QDRANT_TABLE = storeTable('qdrant', 'QdrantClient', [
  'search', 'query', 'recommend', 'discoverPoints', 'searchBatch', 'queryBatch', 'recommendBatch', 'recommend_batch', 'discoverBatchPoints',
  'searchPointGroups', 'queryGroups', 'recommendPointGroups', 'upsert', 'delete', 'retrieve', 'scroll',
], () => patches().QDRANT_METHODS);

/** Chroma's collection class is not exported: the client's factories find it (chroma.ts). */
const CHROMA_TABLE: MethodTable<string> = {
  roots: (module) => [moduleExports<Exports>(module)?.ChromaClient],
  methods: ['getCollection', 'createCollection', 'getOrCreateCollection', 'listCollections', 'getCollections', 'collection'].map((method) => ({
    path: [],
    method,
    operation: method,
  })),
  wrapper: (host: PatchHost): ((original: AnyFunction) => AnyFunction) => patches().collectionFactoryWrapper(host),
};

/** `Index` (and 9.x's `Documents`) are exported from this file; an ESM app's `import` loads the CommonJS package, whose entry the require hook may not see. */
const PINECONE_FILES = [`${PINECONE}/dist/data/index.js`];

export const pineconeInstrumentation: ProviderInstrumentation = {
  name: 'pinecone',
  definitions: (host) => [tableDefinition(host, PINECONE, PINECONE_VERSIONS, [PINECONE_TABLE, PINECONE_DOCUMENTS_TABLE], PINECONE_FILES)],
};
export const qdrantInstrumentation: ProviderInstrumentation = {
  name: 'qdrant',
  definitions: (host) => [tableDefinition(host, QDRANT, QDRANT_VERSIONS, [QDRANT_TABLE])],
};
export const chromaInstrumentation: ProviderInstrumentation = {
  name: 'chroma',
  definitions: (host) => [tableDefinition(host, CHROMA, CHROMA_VERSIONS, [CHROMA_TABLE])],
};
