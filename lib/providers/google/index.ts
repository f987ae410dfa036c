import { lazyDefinition, onFirstUse } from '../lazy-load';
import type { PatchHost, ProviderInstrumentation } from '../types';
import type * as Genai from './genai';
import type * as GenerativeAi from './generative-ai';
import type * as VertexAi from './vertexai';

/** `@google/genai`: 2.32 is tested; 1.x has the same `Models` shape but is not tested here. */
export const GENAI_VERSIONS = ['>=1.0.0 <4'];
/** The legacy `@google/generative-ai`. */
export const GENERATIVE_AI_VERSIONS = ['>=0.1.0 <1'];
/** `@google-cloud/vertexai`: 1.12 is tested; 1.x keeps the model and session shapes it forked from the legacy SDK. */
export const VERTEXAI_VERSIONS = ['>=1.0.0 <2'];

/** Each SDK's patch code (its adapters, readers and stream code) loads when that SDK is first patched. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const genai = onFirstUse(() => require('./genai') as typeof Genai);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const generativeAi = onFirstUse(() => require('./generative-ai') as typeof GenerativeAi);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const vertexAi = onFirstUse(() => require('./vertexai') as typeof VertexAi);

/** Google Gemini: the current `@google/genai` SDK, the legacy `@google/generative-ai`, and `@google-cloud/vertexai`. */
export const googleInstrumentation: ProviderInstrumentation = {
  name: 'google',
  definitions: (host: PatchHost) => [
    lazyDefinition(host, '@google/genai', GENAI_VERSIONS, () => genai().genaiPatcher),
    lazyDefinition(host, '@google/generative-ai', GENERATIVE_AI_VERSIONS, () => generativeAi().generativeAiPatcher),
    lazyDefinition(host, '@google-cloud/vertexai', VERTEXAI_VERSIONS, () => vertexAi().vertexAiPatcher),
  ],
};
