import type { ProviderInstrumentation } from '../../providers/types';

/** Placeholders registered ahead of the vector-store room (issue 28): patch nothing yet. */
export const pineconeInstrumentation: ProviderInstrumentation = { name: 'pinecone', definitions: () => [] };
export const qdrantInstrumentation: ProviderInstrumentation = { name: 'qdrant', definitions: () => [] };
export const chromaInstrumentation: ProviderInstrumentation = { name: 'chroma', definitions: () => [] };
