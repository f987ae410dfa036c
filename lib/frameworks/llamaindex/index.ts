import type { ProviderInstrumentation } from '../../providers/types';

/** Placeholder registered ahead of the LlamaIndex.TS room (issue 28): patches nothing yet. */
export const llamaindexInstrumentation: ProviderInstrumentation = { name: 'llamaindex', definitions: () => [] };
