import { lazyDefinition, onFirstUse } from '../lazy-load';
import type { PatchHost, ProviderInstrumentation } from '../types';
import type * as Patch from './patch';

/**
 * `replicate`, the package's peer range: 1.4 is tested. 0.25 to 0.34 (read, not tested) build the client
 * the same way: `run`, `stream` (an async generator) and `wait` on the class, `predictions` built in the
 * constructor, `run` = `predictions.create` + `wait`.
 */
export const REPLICATE_VERSIONS = ['>=0.25.0 <2'];

/** The patch code (wrapper, prediction readers, stream reader) loads when the SDK is first patched. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const patch = onFirstUse(() => require('./patch') as typeof Patch);

/** Replicate: `run`, `stream`, `wait` and `predictions.create`, one LLM span per model execution (traced.ts). */
export const replicateInstrumentation: ProviderInstrumentation = {
  name: 'replicate',
  definitions: (host: PatchHost) => [lazyDefinition(host, 'replicate', REPLICATE_VERSIONS, () => patch().replicatePatcher)],
};
