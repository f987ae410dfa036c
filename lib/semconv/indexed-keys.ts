/**
 * Indexed attribute keys such as `llm.input_messages.3.message.role`, built once and reused: a call
 * renders dozens of them, and concatenating them anew on every call showed up in profiles.
 */
const MEMO_LIMIT = 128;

export type IndexedKey = (i: number) => string;
export type NestedKey = (i: number, j: number) => string;

export function indexedKey(prefix: string, suffix: string): IndexedKey {
  const memo: string[] = [];
  return (i) => {
    if (i >= MEMO_LIMIT) return `${prefix}${i}${suffix}`;
    return memo[i] ?? (memo[i] = `${prefix}${i}${suffix}`);
  };
}

export function nestedKey(prefix: string, middle: string, suffix: string): NestedKey {
  const memo: string[][] = [];
  return (i, j) => {
    if (i >= MEMO_LIMIT || j >= MEMO_LIMIT) return `${prefix}${i}${middle}${j}${suffix}`;
    const row = memo[i] ?? (memo[i] = []);
    return row[j] ?? (row[j] = `${prefix}${i}${middle}${j}${suffix}`);
  };
}

/** The keys of one message list (`llm.input_messages` or `llm.output_messages`). */
export interface MessageKeys {
  role: IndexedKey;
  content: IndexedKey;
  name: IndexedKey;
  toolCallId: IndexedKey;
  partType: NestedKey;
  partText: NestedKey;
  partImage: NestedKey;
  toolCallIdOf: NestedKey;
  toolCallName: NestedKey;
  toolCallArguments: NestedKey;
}

export function messageKeys(list: string): MessageKeys {
  const p = `${list}.`;
  return {
    role: indexedKey(p, '.message.role'),
    content: indexedKey(p, '.message.content'),
    name: indexedKey(p, '.message.name'),
    toolCallId: indexedKey(p, '.message.tool_call_id'),
    partType: nestedKey(p, '.message.contents.', '.message_content.type'),
    partText: nestedKey(p, '.message.contents.', '.message_content.text'),
    partImage: nestedKey(p, '.message.contents.', '.message_content.image.image.url'),
    toolCallIdOf: nestedKey(p, '.message.tool_calls.', '.tool_call.id'),
    toolCallName: nestedKey(p, '.message.tool_calls.', '.tool_call.function.name'),
    toolCallArguments: nestedKey(p, '.message.tool_calls.', '.tool_call.function.arguments'),
  };
}

export const INPUT_MESSAGE_KEYS = messageKeys('llm.input_messages');
export const OUTPUT_MESSAGE_KEYS = messageKeys('llm.output_messages');
export const TOOL_SCHEMA_KEY = indexedKey('llm.tools.', '.tool.json_schema');
export const EMBEDDING_TEXT_KEY = indexedKey('embedding.embeddings.', '.embedding.text');
export const EMBEDDING_VECTOR_KEY = indexedKey('embedding.embeddings.', '.embedding.vector');
