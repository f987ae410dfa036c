import type { Message, MessagePart, ToolCall } from '../../record/call-record';
import { messageFromParts } from '../../record/call-record';
import { argumentsJson } from '../../record/json';
import { asArray, asRecord, asString, type Json } from '../../record/read';

/**
 * LangChain's messages read duck-typed (no import of @langchain/core: it is an optional peer): live
 * `BaseMessage` instances of core 0.3 (`_getType()`) and 1.x (an own `type`), their serialized form
 * (`{ lc: 1, id: [..., 'HumanMessage'], kwargs }`, what a value looks like after `toJSON`), and the
 * message-likes an app may pass (`{ role, content }`).
 */

/** A serializable's class name and fields, live or serialized. */
export interface LcView {
  className: string | undefined;
  fields: Json;
}

export function lcView(value: unknown): LcView | undefined {
  const obj = asRecord(value);
  if (!obj) return undefined;
  if (obj.lc === 1 && Array.isArray(obj.id)) return { className: lastString(obj.id), fields: asRecord(obj.kwargs) ?? {} };
  return { className: classNameOf(obj), fields: obj };
}

/** The class name of a live LangChain object: its `lc_id` (kept through minification), else its constructor's. */
export function classNameOf(obj: Json): string | undefined {
  const id = obj.lc_id;
  if (Array.isArray(id)) return lastString(id);
  const name = (obj.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name !== 'Object' ? name : undefined;
}

export function lastString(list: readonly unknown[]): string | undefined {
  return asString(list[list.length - 1]);
}

/** LangChain's message types to the roles the conventions use. */
const ROLE_BY_TYPE: Readonly<Record<string, string>> = {
  human: 'user',
  user: 'user',
  ai: 'assistant',
  assistant: 'assistant',
  system: 'system',
  developer: 'developer',
  tool: 'tool',
  function: 'function',
};

/** Serialized message classes to their types. */
const TYPE_BY_CLASS: Readonly<Record<string, string>> = {
  HumanMessage: 'human',
  HumanMessageChunk: 'human',
  AIMessage: 'ai',
  AIMessageChunk: 'ai',
  SystemMessage: 'system',
  SystemMessageChunk: 'system',
  ToolMessage: 'tool',
  ToolMessageChunk: 'tool',
  FunctionMessage: 'function',
  FunctionMessageChunk: 'function',
  ChatMessage: 'generic',
  ChatMessageChunk: 'generic',
};

/** The message's LangChain type (`human`, `ai`, …), or undefined when `view` is not a message. */
function messageType(view: LcView): string | undefined {
  const { fields } = view;
  if (view.className !== undefined && Object.hasOwn(TYPE_BY_CLASS, view.className)) return TYPE_BY_CLASS[view.className];
  const getType = fields._getType;
  if (typeof getType === 'function') {
    const type = (getType as () => unknown).call(fields);
    if (typeof type === 'string') return type;
  }
  return asString(fields.type);
}

/** True when `view` is a LangChain message (live or serialized) or a `{ role, content }` message-like. */
export function isMessageView(view: LcView): boolean {
  if (typeof view.fields._getType === 'function') return true;
  if (view.className !== undefined && Object.hasOwn(TYPE_BY_CLASS, view.className)) return true;
  return typeof view.fields.role === 'string' && 'content' in view.fields;
}

/** The neutral message of a LangChain message; undefined for anything that is not one. */
export function messageOf(value: unknown): Message | undefined {
  const view = lcView(value);
  return view ? messageOfView(view) : undefined;
}

export function messageOfView(view: LcView): Message | undefined {
  const { fields } = view;
  const type = messageType(view);
  const role = type === 'generic' || type === undefined ? asString(fields.role) : (ROLE_BY_TYPE[type] ?? type);
  if (role === undefined && type === undefined) return undefined;
  const message = contentMessage(role, fields.content, toolCallsOf(fields.tool_calls));
  const name = asString(fields.name);
  if (name !== undefined && name !== '') message.name = name;
  const toolCallId = asString(fields.tool_call_id);
  if (toolCallId !== undefined) message.toolCallId = toolCallId;
  return message;
}

/** Every message of a list that is one (a chat model's input group, a graph state's `messages`). */
export function messagesOf(list: unknown): Message[] {
  const out: Message[] = [];
  for (const item of asArray(list)) {
    const message = messageOf(item);
    if (message) out.push(message);
  }
  return out;
}

/** A message's content: a string as it is, content blocks as parts (text only: one joined text). */
function contentMessage(role: string | undefined, content: unknown, toolCalls: ToolCall[]): Message {
  if (typeof content === 'string') {
    const message: Message = { role, content };
    if (toolCalls.length > 0) message.toolCalls = toolCalls;
    return message;
  }
  const parts: MessagePart[] = [];
  for (const block of asArray(content)) {
    const part = partOf(block);
    if (part) parts.push(part);
  }
  return messageFromParts(role, parts, toolCalls);
}

/** One content block: text, an image (OpenAI's `image_url` or the standard `image` block), or its type alone. */
function partOf(block: unknown): MessagePart | undefined {
  if (typeof block === 'string') return { type: 'text', text: block };
  const b = asRecord(block);
  const type = asString(b?.type);
  if (!b || type === undefined) return undefined;
  if (type === 'text' || type === 'text_delta') return { type: 'text', text: asString(b.text) ?? '' };
  if (type === 'image_url') {
    const url = asString(b.image_url) ?? asString(asRecord(b.image_url)?.url);
    return { type: 'image', imageUrl: url };
  }
  if (type === 'image') {
    const data = asString(b.data) ?? asString(b.base64);
    const mime = asString(b.mime_type) ?? asString(b.mimeType) ?? 'image/png';
    return { type: 'image', imageUrl: asString(b.url) ?? (data === undefined ? undefined : `data:${mime};base64,${data}`) };
  }
  if (type === 'thinking' || type === 'reasoning') return { type: 'thinking', text: asString(b.thinking) ?? asString(b.reasoning) };
  return { type };
}

/** `tool_calls` (`{ id, name, args }`) as the record keeps them: the arguments as JSON. */
export function toolCallsOf(list: unknown): ToolCall[] {
  const out: ToolCall[] = [];
  for (const item of asArray(list)) {
    const call = asRecord(item);
    if (!call) continue;
    out.push({ id: asString(call.id), name: asString(call.name), arguments: argumentsJson(call.args) });
  }
  return out;
}
