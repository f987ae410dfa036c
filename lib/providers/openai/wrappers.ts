import type { AnyFunction, PatchHost } from '../../instrumentation/patching';
import { stainlessMethodWrapper, StainlessOperation } from '../stainless/traced-method';
import { chatCompletions } from './chat';
import { legacyCompletions } from './completions';
import { embeddingsCreate } from './embeddings';
import { responsesCreate } from './responses';

/** The adapter of each method index.ts patches, by the name its table gives: loaded when `openai` is first patched. */
const OPERATIONS = {
  chat: chatCompletions,
  responses: responsesCreate,
  completions: legacyCompletions,
  embeddings: embeddingsCreate,
} satisfies Record<string, StainlessOperation>;

export type OpenAIOperationName = keyof typeof OPERATIONS;

export function openaiMethodWrapper(host: PatchHost, name: OpenAIOperationName): (original: AnyFunction) => AnyFunction {
  return stainlessMethodWrapper(host, OPERATIONS[name]);
}
