import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { AsyncMethodOperation, asyncMethodWrapper } from '../async-method';
import { moduleExports, PatchHost, prototypeOf, ProviderInstrumentation } from '../types';
import { chat, embed, generate } from './operations';

/**
 * `ollama`: `chat`, `generate` and `embed` live on the browser build's `Ollama` class (`dist/browser.*`),
 * which the Node entry's `Ollama` extends; the entry's default export is an instance. Patching that one
 * prototype from the entry covers both classes and the default instance. 0.6.4 is tested.
 */
export const OLLAMA_VERSIONS = ['>=0.5.0 <1'];

const METHODS: ReadonlyArray<readonly [string, AsyncMethodOperation]> = [
  ['chat', chat],
  ['generate', generate],
  ['embed', embed],
];

/**
 * The prototype that defines `chat`, `generate` and `embed`: up the chain from the exported `Ollama` class.
 * Only that export is taken: `manuallyInstrument` hands every provider the app's module.
 */
function methodsPrototype(module: unknown): Record<string, unknown> | undefined {
  const exported = (module as { Ollama?: unknown } | undefined)?.Ollama ?? moduleExports<{ Ollama?: unknown } | undefined>(module)?.Ollama;
  let proto = prototypeOf(exported);
  while (proto && !Object.prototype.hasOwnProperty.call(proto, 'chat')) proto = (Object.getPrototypeOf(proto) ?? undefined) as Record<string, unknown> | undefined;
  return proto && typeof proto.generate === 'function' && typeof proto.embed === 'function' ? proto : undefined;
}

function patch(host: PatchHost, module: unknown): unknown {
  const proto = methodsPrototype(module);
  if (proto) for (const [name, op] of METHODS) host.wrap(proto, name, asyncMethodWrapper(host, op));
  return module;
}

function unpatch(host: PatchHost, module: unknown): void {
  const proto = module ? methodsPrototype(module) : undefined;
  if (proto) for (const [name] of METHODS) host.unwrap(proto, name);
}

export const ollamaInstrumentation: ProviderInstrumentation = {
  name: 'ollama',
  definitions(host: PatchHost) {
    return [
      new InstrumentationNodeModuleDefinition(
        'ollama',
        OLLAMA_VERSIONS,
        (module) => patch(host, module),
        (module) => unpatch(host, module),
      ),
    ];
  },
};
