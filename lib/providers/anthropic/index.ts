import { MethodTable, tableDefinition } from '../../instrumentation/patch-table';
import { onFirstUse } from '../lazy-load';
import { moduleExports, PatchHost, ProviderInstrumentation } from '../types';
import type * as Wrappers from './wrappers';
import type { AnthropicMethodName } from './wrappers';
import { ANTHROPIC_RESOURCE_FILES, ANTHROPIC_SDK, ANTHROPIC_VERSIONS } from './files';

export { ANTHROPIC_ESM_FILES, ANTHROPIC_VERSIONS } from './files';

/**
 * `@anthropic-ai/sdk` (files.ts: versions, and the files hooked so that the Vertex and Bedrock clients,
 * which never load the main entry, are traced too; cloud.ts tells them apart).
 *
 * About the SDK's own spans (1.x emits an `anthropic.messages.create` CLIENT span with `gen_ai.*`
 * attributes for every call): we leave them on. The SDK starts its span inside `create` (or inside
 * `stream()`, see stream-helper.ts), under our span, so it is a plain child of our LLM span, and the
 * span processor does not turn a GenAI span started inside one of our LLM calls into a second LLM span.
 * One call stays one OpenInference span, while the SDK's HTTP details (request id, status) stay visible.
 * `ANTHROPIC_OPEN_TELEMETRY=false` (or the client option `openTelemetry: false`) turns the SDK's span off.
 * The same holds for the Vertex and Bedrock clients, whose span the SDK starts in the same place.
 */

/** The adapter, its stream readers and wrappers load when the SDK is first patched. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wrappers = onFirstUse(() => require('./wrappers') as typeof Wrappers);

/**
 * Both `Messages` resource classes (`Anthropic.Messages`, `Anthropic.Beta.Messages`), `create` and `stream`
 * on each. The same paths hold below the main entry's `Anthropic` class and below the resources index's
 * exports (files.ts); a class met through both is wrapped once (the host replaces its own wrapper).
 */
const METHODS: MethodTable<AnthropicMethodName> = {
  // CommonJS exports an object with an `Anthropic` property; the ESM default export is the class itself,
  // whose inherited static `Anthropic` is `BaseAnthropic`, which has no resources: so look at both. The
  // resources index exports `Messages` and `Beta` itself.
  roots: (module) => {
    const exports = moduleExports<{ Anthropic?: unknown } | undefined>(module);
    return [exports, exports?.Anthropic];
  },
  methods: [
    { path: ['Messages'], method: 'create', operation: 'create' },
    { path: ['Messages'], method: 'stream', operation: 'stream' },
    { path: ['Beta', 'Messages'], method: 'create', operation: 'create' },
    { path: ['Beta', 'Messages'], method: 'stream', operation: 'stream' },
  ],
  wrapper: (host, name) => wrappers().anthropicMethodWrapper(host, name),
};

export const anthropicInstrumentation: ProviderInstrumentation = {
  name: 'anthropic',
  definitions: (host: PatchHost) => [tableDefinition(host, ANTHROPIC_SDK, ANTHROPIC_VERSIONS, [METHODS], ANTHROPIC_RESOURCE_FILES)],
};
