import { asyncMethodWrapper, AsyncMethodOperation } from '../async-method';
import type { AnyFunction, PatchHost } from '../types';
import { chat, embed, embeddings, generate } from './operations';

/** The adapter of each method index.ts patches, by the name its table gives: loaded when `ollama` is first patched. */
const OPERATIONS = { chat, generate, embed, embeddings } satisfies Record<string, AsyncMethodOperation>;

export type OllamaOperationName = keyof typeof OPERATIONS;

export function ollamaMethodWrapper(host: PatchHost, name: OllamaOperationName): (original: AnyFunction) => AnyFunction {
  return asyncMethodWrapper(host, OPERATIONS[name]);
}
