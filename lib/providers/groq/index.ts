import { MethodTable, tableDefinition } from '../../instrumentation/patch-table';
import { onFirstUse } from '../lazy-load';
import { moduleExports, PatchHost, ProviderInstrumentation } from '../types';
import type * as Operations from './operations';
import type { GroqOperationName } from './operations';

/**
 * `groq-sdk`: a Stainless SDK with OpenAI's shapes (operations.ts). Tested: 1.6.0 and 0.37.0 (the older
 * Stainless generation, with the same resource classes).
 */
export const GROQ_VERSIONS = ['>=0.3.0 <2'];

/** The adapters (OpenAI's among them) load when `groq-sdk` is first patched. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const operations = onFirstUse(() => require('./operations') as typeof Operations);

/**
 * Every traced method, below the `Groq` class. CommonJS exports a function with a `Groq` property; the ESM
 * default export is the class, which has one too. Nothing else is taken: `manuallyInstrument` hands every
 * provider the app's module, and the `openai` module has the same `Chat.Completions` shape.
 */
const METHODS: MethodTable<GroqOperationName> = {
  roots: (module) => [moduleExports<{ Groq?: unknown } | undefined>(module)?.Groq],
  methods: [
    { path: ['Chat', 'Completions'], method: 'create', operation: 'chat' },
    { path: ['Embeddings'], method: 'create', operation: 'embeddings' },
    { path: ['Audio', 'Transcriptions'], method: 'create', operation: 'transcriptions' },
    { path: ['Audio', 'Translations'], method: 'create', operation: 'translations' },
    { path: ['Audio', 'Speech'], method: 'create', operation: 'speech' },
  ],
  wrapper: (host, name) => operations().groqMethodWrapper(host, name),
};

/**
 * Groq's chat and embeddings adapters stay exports of this module, read lazily: reading one loads the
 * adapters, importing this module does not.
 */
Object.defineProperty(module.exports, 'groqChatCompletions', { enumerable: true, get: () => operations().groqChatCompletions });
Object.defineProperty(module.exports, 'groqEmbeddingsCreate', { enumerable: true, get: () => operations().groqEmbeddingsCreate });
export declare const groqChatCompletions: typeof Operations.groqChatCompletions;
export declare const groqEmbeddingsCreate: typeof Operations.groqEmbeddingsCreate;

export const groqInstrumentation: ProviderInstrumentation = {
  name: 'groq',
  definitions: (host: PatchHost) => [tableDefinition(host, 'groq-sdk', GROQ_VERSIONS, [METHODS])],
};
