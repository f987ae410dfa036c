import { MethodTable, tableDefinition } from '../../instrumentation/patch-table';
import { onFirstUse } from '../lazy-load';
import { moduleExports, PatchHost, ProviderInstrumentation } from '../types';
import type * as Wrappers from './wrappers';
import type { OpenAIOperationName } from './wrappers';

/** The `openai` versions we patch. 5.x and 6.x are tested; 4.x shares the same resource classes. */
export const OPENAI_VERSIONS = ['>=4.0.0 <8'];

/** The adapters (and the stream, record and render code under them) load when `openai` is first patched. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wrappers = onFirstUse(() => require('./wrappers') as typeof Wrappers);

/** Each patched `create`: where its resource class hangs off the `OpenAI` class, and its adapter's name. */
const METHODS: MethodTable<OpenAIOperationName> = {
  // CommonJS exports a function with an `OpenAI` property; the ESM default export is the class, which has one too.
  roots: (module) => {
    const exports = moduleExports<{ OpenAI?: unknown } | undefined>(module);
    return [exports?.OpenAI ?? exports];
  },
  methods: [
    { path: ['Chat', 'Completions'], method: 'create', operation: 'chat' },
    { path: ['Responses'], method: 'create', operation: 'responses' },
    { path: ['Completions'], method: 'create', operation: 'completions' },
    { path: ['Embeddings'], method: 'create', operation: 'embeddings' },
  ],
  wrapper: (host, name) => wrappers().openaiMethodWrapper(host, name),
};

export const openaiInstrumentation: ProviderInstrumentation = {
  name: 'openai',
  definitions: (host: PatchHost) => [tableDefinition(host, 'openai', OPENAI_VERSIONS, [METHODS])],
};
