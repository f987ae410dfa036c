import { asyncMethodWrapper, AsyncMethodOperation } from '../async-method';
import type { AnyFunction, PatchHost } from '../types';
import { chatComplete, chatParse, chatParseStream, chatStream, embeddingsCreate, fimComplete, fimStream } from './operations';

/** The adapter of each method index.ts patches, by the name its tables give: loaded when the SDK is first patched. */
const OPERATIONS = {
  chatComplete, chatStream, chatParse, chatParseStream, fimComplete, fimStream, embeddingsCreate,
} satisfies Record<string, AsyncMethodOperation>;

export type MistralOperationName = keyof typeof OPERATIONS;

export function mistralMethodWrapper(host: PatchHost, name: MistralOperationName): (original: AnyFunction) => AnyFunction {
  return asyncMethodWrapper(host, OPERATIONS[name]);
}
