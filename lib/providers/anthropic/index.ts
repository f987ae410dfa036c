import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { moduleExports, PatchHost, prototypeAt, ProviderInstrumentation } from '../types';
import { messagesCreate } from './messages';
import { messagesCreateWrapper, messagesStreamWrapper } from './stream-helper';

/**
 * The `@anthropic-ai/sdk` versions we patch. 1.x is tested; 0.50 onward has the same Stainless layout
 * (`Anthropic.Messages`, `Anthropic.Beta.Messages`, `APIPromise`, `Stream`, a `MessageStream` built on `create`).
 *
 * About the SDK's own spans (1.x emits an `anthropic.messages.create` CLIENT span with `gen_ai.*`
 * attributes for every call): we leave them on. The SDK starts its span inside `create` (or inside
 * `stream()`, see stream-helper.ts), under our span, so it is a plain child of our LLM span, and the
 * span processor does not turn a GenAI span started inside one of our LLM calls into a second LLM span.
 * One call stays one OpenInference span, while the SDK's HTTP details (request id, status) stay visible.
 * `ANTHROPIC_OPEN_TELEMETRY=false` (or the client option `openTelemetry: false`) turns the SDK's span off.
 */
export const ANTHROPIC_VERSIONS = ['>=0.50.0 <2'];

/** Where each patched `Messages` resource class hangs off the exported `Anthropic` class. */
const RESOURCE_PATHS: ReadonlyArray<readonly string[]> = [['Messages'], ['Beta', 'Messages']];

function messagesPrototypes(module: unknown): Array<Record<string, unknown>> {
  // CommonJS exports an object with an `Anthropic` property; the ESM default export is the class itself,
  // whose inherited static `Anthropic` is `BaseAnthropic`, which has no resources: so look at both.
  const exports = moduleExports<{ Anthropic?: unknown } | undefined>(module);
  const found: Array<Record<string, unknown>> = [];
  for (const root of [exports, exports?.Anthropic]) {
    for (const path of RESOURCE_PATHS) {
      const proto = prototypeAt(root, path);
      if (proto && typeof proto.create === 'function' && !found.includes(proto)) found.push(proto);
    }
  }
  return found;
}

export const anthropicInstrumentation: ProviderInstrumentation = {
  name: 'anthropic',
  definitions(host: PatchHost) {
    return [
      new InstrumentationNodeModuleDefinition(
        '@anthropic-ai/sdk',
        ANTHROPIC_VERSIONS,
        (module) => {
          for (const proto of messagesPrototypes(module)) {
            host.wrap(proto, 'create', messagesCreateWrapper(host, messagesCreate));
            host.wrap(proto, 'stream', messagesStreamWrapper(host, messagesCreate));
          }
          return module;
        },
        (module) => {
          if (!module) return;
          for (const proto of messagesPrototypes(module)) {
            host.unwrap(proto, 'create');
            host.unwrap(proto, 'stream');
          }
        },
      ),
    ];
  },
};
