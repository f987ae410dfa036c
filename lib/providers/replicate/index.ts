import { lazyDefinition, onFirstUse } from '../lazy-load';
import type { PatchHost, ProviderInstrumentation } from '../types';
import type * as Patch from './patch';

/** `replicate`: 1.4 is tested; 1.x builds its client the same way. */
export const REPLICATE_VERSIONS = ['>=1.0.0 <2'];

/** The patch code (wrapper, prediction readers, stream reader) loads when the SDK is first patched. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const patch = onFirstUse(() => require('./patch') as typeof Patch);

/** Replicate: `run`, `stream`, `wait` and `predictions.create`, one LLM span per model execution (traced.ts). */
export const replicateInstrumentation: ProviderInstrumentation = {
  name: 'replicate',
  definitions: (host: PatchHost) => [lazyDefinition(host, 'replicate', REPLICATE_VERSIONS, () => patch().replicatePatcher)],
};
