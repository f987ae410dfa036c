import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { onFirstUse } from '../lazy-load';
import { AnyFunction, moduleExports, PatchHost, prototypeOf, ProviderInstrumentation } from '../types';
import type * as Send from './send';
import type { BedrockCommand, CommandTable } from './send';

/**
 * `@aws-sdk/client-bedrock-runtime` 3.x: `send()` of `BedrockRuntimeClient` (and so of the aggregated
 * `BedrockRuntime`, a subclass whose methods call `send`). 3.1164 is tested; the client and command
 * classes have had this shape through 3.x.
 *
 * `send` is inherited from the shared Smithy `Client`, which every AWS client uses (and which
 * `@opentelemetry/instrumentation-aws-sdk` wraps). We wrap an own `send` of the Bedrock client's prototype
 * only (see `installForwarder`), so no other AWS client is touched; on unpatch it is removed again and the
 * inherited `send` shows through.
 */
export const BEDROCK_VERSIONS = ['>=3.0.0 <4'];

/** The `send` wrapper and the command adapters under it load when the SDK is first patched. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sendModule = onFirstUse(() => require('./send') as typeof Send);

const COMMANDS: readonly BedrockCommand[] = ['Converse', 'ConverseStream', 'InvokeModel', 'InvokeModelWithResponseStream'];

interface BedrockModule {
  BedrockRuntimeClient?: unknown;
  [name: string]: unknown;
}

function commandTable(exports: BedrockModule): CommandTable {
  const table = new Map<unknown, BedrockCommand>();
  for (const name of COMMANDS) if (typeof exports[`${name}Command`] === 'function') table.set(exports[`${name}Command`], name);
  return table;
}

/**
 * Our own `send` on the Bedrock client's prototype, which calls the inherited one at call time (so an
 * instrumentation enabled later on the shared Smithy `Client`, such as instrumentation-aws-sdk, is still
 * in the chain). It exists so that we wrap an own, unwrapped function: wrapping the inherited `send`
 * directly would make `_wrap` "unwrap" it first, which removes another instrumentation's wrapper from the
 * shared `Client.prototype` for every AWS client.
 */
const FORWARDER = Symbol.for('@infinium/otel bedrock send forwarder');

function installForwarder(proto: Record<string, unknown>): void {
  const parent = Object.getPrototypeOf(proto) as { send: AnyFunction };
  const send = function send(this: unknown, ...args: unknown[]) {
    return parent.send.apply(this, args);
  };
  Object.defineProperty(send, FORWARDER, { value: true });
  Object.defineProperty(proto, 'send', { value: send, writable: true, configurable: true, enumerable: false });
}

function isForwarder(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[FORWARDER] === true;
}

export const bedrockInstrumentation: ProviderInstrumentation = {
  name: 'bedrock',
  definitions(host: PatchHost) {
    return [
      new InstrumentationNodeModuleDefinition(
        '@aws-sdk/client-bedrock-runtime',
        BEDROCK_VERSIONS,
        (module) => {
          const exports = moduleExports<BedrockModule | undefined>(module);
          const proto = prototypeOf(exports?.BedrockRuntimeClient);
          if (!exports || !proto || typeof proto.send !== 'function') return module;
          if (!Object.hasOwn(proto, 'send')) installForwarder(proto);
          host.wrap(proto, 'send', sendModule().bedrockSendWrapper(host, commandTable(exports)));
          return module;
        },
        (module) => {
          const proto = module ? prototypeOf(moduleExports<BedrockModule | undefined>(module)?.BedrockRuntimeClient) : undefined;
          if (!proto) return;
          host.unwrap(proto, 'send');
          // Back to our forwarder: remove it, so the inherited `send` shows through again.
          if (Object.hasOwn(proto, 'send') && isForwarder(proto.send)) delete proto.send;
        },
      ),
    ];
  },
};
