import { MethodTable, tableDefinition } from '../../instrumentation/patch-table';
import { onFirstUse } from '../lazy-load';
import { moduleExports, PatchHost, prototypeOf, ProviderInstrumentation } from '../types';
import type * as Wrappers from './wrappers';
import type { OllamaOperationName } from './wrappers';

/**
 * `ollama`: `chat`, `generate`, `embed` and the legacy `embeddings` live on the browser build's `Ollama`
 * class (`dist/browser.*`), which the Node entry's `Ollama` extends; the entry's default export is an
 * instance. Patching that one prototype from the entry covers both classes and the default instance.
 * 0.6.4 is tested.
 */
export const OLLAMA_VERSIONS = ['>=0.5.0 <1'];

/**
 * The exported `Ollama` class, when it is ollama's: it (or a class it extends) has `chat`, `generate` and
 * `embed`. Only that export is taken: `manuallyInstrument` hands every provider the app's module.
 */
function ollamaClass(module: unknown): unknown[] {
  const exported = (module as { Ollama?: unknown } | undefined)?.Ollama ?? moduleExports<{ Ollama?: unknown } | undefined>(module)?.Ollama;
  const proto = prototypeOf(exported);
  return proto && typeof proto.chat === 'function' && typeof proto.generate === 'function' && typeof proto.embed === 'function' ? [exported] : [];
}

/** The adapters load when `ollama` is first patched. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wrappers = onFirstUse(() => require('./wrappers') as typeof Wrappers);

const METHODS: MethodTable<OllamaOperationName> = {
  roots: ollamaClass,
  methods: [
    { path: [], method: 'chat', operation: 'chat' },
    { path: [], method: 'generate', operation: 'generate' },
    { path: [], method: 'embed', operation: 'embed' },
    { path: [], method: 'embeddings', operation: 'embeddings' },
  ],
  wrapper: (host, name) => wrappers().ollamaMethodWrapper(host, name),
  inherited: true,
};

export const ollamaInstrumentation: ProviderInstrumentation = {
  name: 'ollama',
  definitions: (host: PatchHost) => [tableDefinition(host, 'ollama', OLLAMA_VERSIONS, [METHODS])],
};
