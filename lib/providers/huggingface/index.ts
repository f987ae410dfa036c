import type { ProviderInstrumentation } from '../types';

/** Placeholder registered ahead of the adapter (issue 28): patches nothing yet. */
export const huggingfaceInstrumentation: ProviderInstrumentation = { name: 'huggingface', definitions: () => [] };
