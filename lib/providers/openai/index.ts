import { MethodTable, tableDefinition } from '../../instrumentation/patch-table';
import { stainlessMethodWrapper, StainlessOperation } from '../stainless/traced-method';
import { moduleExports, PatchHost, ProviderInstrumentation } from '../types';
import { chatCompletions } from './chat';
import { legacyCompletions } from './completions';
import { embeddingsCreate } from './embeddings';
import { responsesCreate } from './responses';

/** The `openai` versions we patch. 5.x and 6.x are tested; 4.x shares the same resource classes. */
export const OPENAI_VERSIONS = ['>=4.0.0 <8'];

/** Each patched `create`: where its resource class hangs off the `OpenAI` class, and its adapter. */
const METHODS: MethodTable<StainlessOperation> = {
  // CommonJS exports a function with an `OpenAI` property; the ESM default export is the class, which has one too.
  roots: (module) => {
    const exports = moduleExports<{ OpenAI?: unknown } | undefined>(module);
    return [exports?.OpenAI ?? exports];
  },
  methods: [
    { path: ['Chat', 'Completions'], method: 'create', operation: chatCompletions },
    { path: ['Responses'], method: 'create', operation: responsesCreate },
    { path: ['Completions'], method: 'create', operation: legacyCompletions },
    { path: ['Embeddings'], method: 'create', operation: embeddingsCreate },
  ],
  wrapper: stainlessMethodWrapper,
};

export const openaiInstrumentation: ProviderInstrumentation = {
  name: 'openai',
  definitions: (host: PatchHost) => [tableDefinition(host, 'openai', OPENAI_VERSIONS, [METHODS])],
};
