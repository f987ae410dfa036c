import { MethodTable, tableDefinition } from '../../instrumentation/patch-table';
import { onFirstUse } from '../lazy-load';
import { moduleExports, PatchHost, ProviderInstrumentation } from '../types';
import type * as Operations from './operations';
import type { CohereOperationName } from './operations';

/**
 * `cohere-ai`: the v2 API's `chat`, `chatStream`, `embed` and `rerank` of the `V2Client` resource, which
 * `CohereClientV2` binds as its own methods (and `CohereClient#v2` exposes), and the v1 API's `chat` and
 * `chatStream` of `CohereClient`. 8.1 and 7.21 are tested. `V2Client` is not exported, so its file is
 * hooked; `CohereClient` is (the package exports a subclass of the generated class, which defines them).
 */
export const COHERE_VERSIONS = ['>=7.0.0 <9'];
const V2_CLIENT_FILE = 'cohere-ai/api/resources/v2/client/Client.js';

/** The adapters, stream readers and wrapper load when `cohere-ai` is first patched. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const operations = onFirstUse(() => require('./operations') as typeof Operations);
const wrapper = (host: PatchHost, name: CohereOperationName) => operations().cohereWrapper(host, name);

/** The v2 API, on `V2Client` (from its own file, or from a module a bundled app hands `manuallyInstrument`). */
const V2_METHODS: MethodTable<CohereOperationName> = {
  roots: (module) => [moduleExports<{ V2Client?: unknown } | undefined>(module)?.V2Client],
  methods: [
    { path: [], method: 'chat', operation: 'v2Chat' },
    { path: [], method: 'chatStream', operation: 'v2ChatStream' },
    { path: [], method: 'embed', operation: 'v2Embed' },
    { path: [], method: 'rerank', operation: 'v2Rerank' },
  ],
  wrapper,
};

/** The v1 API's chat, on the generated `CohereClient` the exported one extends (not its v2 client, above). */
const V1_METHODS: MethodTable<CohereOperationName> = {
  roots: (module) => [moduleExports<{ CohereClient?: unknown } | undefined>(module)?.CohereClient],
  methods: [
    { path: [], method: 'chat', operation: 'v1Chat' },
    { path: [], method: 'chatStream', operation: 'v1ChatStream' },
  ],
  wrapper,
  inherited: true,
};

export const cohereInstrumentation: ProviderInstrumentation = {
  name: 'cohere',
  // The package root exports `CohereClient` but no `V2Client`, the V2 file the reverse: each table finds
  // its class in the one module that has it, so one patch serves both (and `manuallyInstrument` of either).
  definitions: (host: PatchHost) => [tableDefinition(host, 'cohere-ai', COHERE_VERSIONS, [V2_METHODS, V1_METHODS], [V2_CLIENT_FILE])],
};
