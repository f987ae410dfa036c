import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { AnyFunction, moduleExports, PatchHost, prototypeOf, ProviderInstrumentation } from '../types';
import { BedrockCommand, bedrockSendWrapper, CommandTable } from './send';

/**
 * `@aws-sdk/client-bedrock-runtime` 3.x: `send()` of `BedrockRuntimeClient` (and so of the aggregated
 * `BedrockRuntime`, a subclass whose methods call `send`). 3.1164 is tested; the client and command
 * classes have had this shape through 3.x.
 *
 * `send` is inherited from the shared Smithy `Client`, which every AWS client uses (and which
 * `@opentelemetry/instrumentation-aws-sdk` wraps). We install our wrapper as an own `send` of the Bedrock
 * client's prototype only, so no other AWS client is touched; on unpatch it is removed again and the
 * inherited `send` shows through.
 */
export const BEDROCK_VERSIONS = ['>=3.0.0 <4'];

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

/** Prototypes whose `send` we installed as an own property, to the inherited `send` seen then. */
const inheritedSend = new WeakMap<object, unknown>();

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
          const wrapper = bedrockSendWrapper(host, commandTable(exports));
          if (Object.hasOwn(proto, 'send')) {
            host.wrap(proto, 'send', wrapper);
            return module;
          }
          // Inherited: call whatever the parent's `send` is at call time, so that an instrumentation
          // enabled later on the shared Smithy `Client` (instrumentation-aws-sdk) is still seen.
          inheritedSend.set(proto, proto.send);
          const parent = Object.getPrototypeOf(proto) as { send: AnyFunction };
          host.wrap(proto, 'send', () => wrapper(function inheritedSend(this: unknown, ...args: unknown[]) {
            return parent.send.apply(this, args);
          }));
          return module;
        },
        (module) => {
          const proto = module ? prototypeOf(moduleExports<BedrockModule | undefined>(module)?.BedrockRuntimeClient) : undefined;
          if (!proto) return;
          host.unwrap(proto, 'send');
          // The restored own `send` is the inherited one we saw: remove it, so the parent's shows through again.
          if (Object.hasOwn(proto, 'send') && inheritedSend.has(proto) && proto.send === inheritedSend.get(proto)) {
            inheritedSend.delete(proto);
            delete proto.send;
          }
        },
      ),
    ];
  },
};
