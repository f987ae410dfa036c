import { MethodTable, tableDefinition } from '../../instrumentation/patch-table';
import { onFirstUse } from '../lazy-load';
import { moduleExports, PatchHost, ProviderInstrumentation } from '../types';
import type * as Operations from './operations';
import type { TogetherOperationName } from './operations';

/**
 * `together-ai`: a Stainless SDK shaped like OpenAI's (operations.ts). 0.52 is tested; the 0.x line since
 * the Stainless generation of 2024 has the same `Together.Chat.Completions`, `Completions` and `Embeddings`.
 */
export const TOGETHER_VERSIONS = ['>=0.6.0 <1'];

/** The adapters (OpenAI's among them) load when `together-ai` is first patched. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const operations = onFirstUse(() => require('./operations') as typeof Operations);

/**
 * Every traced method, below the `Together` class. CommonJS exports a function with a `Together` property;
 * the ESM default export is the class, which has one too. Nothing else is taken: `manuallyInstrument` hands
 * every provider the app's module, and the `openai` module has the same `Chat.Completions` shape.
 */
const METHODS: MethodTable<TogetherOperationName> = {
  roots: (module) => [moduleExports<{ Together?: unknown } | undefined>(module)?.Together],
  methods: [
    { path: ['Chat', 'Completions'], method: 'create', operation: 'chat' },
    { path: ['Completions'], method: 'create', operation: 'completions' },
    { path: ['Embeddings'], method: 'create', operation: 'embeddings' },
  ],
  wrapper: (host, name) => operations().togetherMethodWrapper(host, name),
};

export const togetherInstrumentation: ProviderInstrumentation = {
  name: 'together',
  definitions: (host: PatchHost) => [tableDefinition(host, 'together-ai', TOGETHER_VERSIONS, [METHODS])],
};
