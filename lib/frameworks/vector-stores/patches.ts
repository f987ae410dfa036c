/**
 * What index.ts loads the first time a vector store's SDK is patched: the span, the wrappers and each
 * store's adapter. An app that loads no vector store pays for index.ts only.
 */
export { storeMethodWrapper } from './store-span';
export { PINECONE_METHODS } from './pinecone';
export { PINECONE_DOCUMENT_METHODS } from './pinecone-documents';
export { QDRANT_METHODS } from './qdrant';
export { collectionFactoryWrapper } from './chroma';
export type { StoreMethod as StoreMethodType } from './store-span';
