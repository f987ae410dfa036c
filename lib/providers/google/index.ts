import type { PatchHost, ProviderInstrumentation } from '../types';
import { genaiDefinition } from './genai';
import { generativeAiDefinition } from './generative-ai';

/** Google Gemini: the current `@google/genai` SDK and the legacy `@google/generative-ai`. */
export const googleInstrumentation: ProviderInstrumentation = {
  name: 'google',
  definitions: (host: PatchHost) => [genaiDefinition(host), generativeAiDefinition(host)],
};
