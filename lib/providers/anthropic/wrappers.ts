import type { AnyFunction, PatchHost } from '../types';
import { messagesCreate } from './messages';
import { messagesCreateWrapper, messagesStreamWrapper } from './stream-helper';

/** `create` and the `stream()` helper built on it, each method's wrapper made from the one adapter. */
const WRAPPERS = {
  create: (host: PatchHost) => messagesCreateWrapper(host, messagesCreate),
  stream: (host: PatchHost) => messagesStreamWrapper(host, messagesCreate),
} satisfies Record<string, (host: PatchHost) => (original: AnyFunction) => AnyFunction>;

export type AnthropicMethodName = keyof typeof WRAPPERS;

export function anthropicMethodWrapper(host: PatchHost, name: AnthropicMethodName): (original: AnyFunction) => AnyFunction {
  return WRAPPERS[name](host);
}
