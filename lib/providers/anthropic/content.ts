import type { Message, MessagePart, ToolCall } from '../../record/call-record';
import { safeJson } from '../../record/json';
import { asArray, asRecord, asString, Json } from '../../record/read';

/**
 * Anthropic content blocks to neutral messages. The Messages API carries tool calls (`tool_use`) and
 * tool results (`tool_result`) as blocks inside ordinary messages; OpenInference wants tool calls on the
 * message and each tool result as its own `tool` message, so they are split out here.
 */

/** `system` (a string, or text blocks) as input message 0; `undefined` when the request has none. */
export function readSystemMessage(system: unknown): Message | undefined {
  if (typeof system === 'string') return { role: 'system', content: system };
  const blocks = asArray(system);
  if (blocks.length === 0) return undefined;
  const texts = blocks.map((b) => asString(asRecord(b)?.text));
  if (texts.every((t): t is string => t !== undefined)) return { role: 'system', content: texts.join('\n') };
  return { role: 'system', parts: blocks.map(readInputPart) };
}

/** One request message: usually one neutral message, plus one `tool` message per `tool_result` block. */
export function readInputMessages(value: unknown): Message[] {
  const m = asRecord(value);
  if (!m) return [];
  const role = asString(m.role);
  if (!Array.isArray(m.content)) return [{ role, content: asString(m.content) }];
  const out: Message[] = [];
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  for (const item of m.content) {
    const block = asRecord(item);
    if (!block) continue;
    if (block.type === 'tool_result') out.push(readToolResult(block));
    else if (block.type === 'tool_use') toolCalls.push(readToolUse(block));
    else parts.push(readInputPart(block));
  }
  // A user turn made only of tool results becomes only the tool messages.
  if (parts.length > 0 || toolCalls.length > 0 || out.length === 0) {
    const message: Message = { role };
    if (parts.length > 0 || toolCalls.length === 0) message.parts = parts;
    if (toolCalls.length > 0) message.toolCalls = toolCalls;
    out.push(message);
  }
  return out;
}

function readInputPart(value: unknown): MessagePart {
  const block = asRecord(value) ?? {};
  const type = asString(block.type) ?? 'unknown';
  switch (type) {
    case 'text':
      return { type: 'text', text: asString(block.text) };
    case 'image':
      return { type: 'image', imageUrl: imageUrl(asRecord(block.source)) };
    case 'thinking':
      return { type: 'thinking', text: asString(block.thinking) };
    default:
      return { type };
  }
}

/** A base64 source becomes a `data:` URL (the masking truncates long ones); a URL source stays a URL. */
function imageUrl(source: Json | undefined): string | undefined {
  if (!source) return undefined;
  if (source.type === 'base64') {
    const mediaType = asString(source.media_type);
    const data = asString(source.data);
    return mediaType && data !== undefined ? `data:${mediaType};base64,${data}` : undefined;
  }
  return asString(source.url);
}

function readToolUse(block: Json): ToolCall {
  return { id: asString(block.id), name: asString(block.name), arguments: safeJson(block.input ?? {}) };
}

function readToolResult(block: Json): Message {
  const message: Message = { role: 'tool', toolCallId: asString(block.tool_use_id) };
  const content = block.content;
  if (typeof content === 'string') {
    message.content = content;
    return message;
  }
  const blocks = asArray(content);
  const texts = blocks.map((b) => asString(asRecord(b)?.text));
  if (texts.every((t): t is string => t !== undefined)) {
    if (texts.length > 0) message.content = texts.join('\n');
  } else {
    message.parts = blocks.map(readInputPart);
  }
  return message;
}

/** A response content block, as the response and the stream reader both hand it to `readOutputMessage`. */
export type OutputBlock =
  | { type: 'text'; text?: string }
  | { type: 'thinking'; text?: string }
  | { type: 'tool_use'; id?: string; name?: string; arguments?: string }
  | { type: string };

/** A `Message.content` block of the response as an `OutputBlock`. */
export function outputBlockOf(value: unknown): OutputBlock | undefined {
  const block = asRecord(value);
  const type = asString(block?.type);
  if (!block || !type) return undefined;
  if (type === 'text') return { type, text: asString(block.text) };
  if (type === 'thinking') return { type, text: asString(block.thinking) };
  if (type === 'tool_use') return { type, id: asString(block.id), name: asString(block.name), arguments: safeJson(block.input ?? {}) };
  return { type };
}

/**
 * The one assistant message of a response: text only becomes `content`; with thinking or other blocks it
 * becomes `parts`; `tool_use` blocks become tool calls.
 */
export function readOutputMessage(blocks: OutputBlock[]): Message {
  const message: Message = { role: 'assistant' };
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of blocks) {
    if (isToolUse(block)) toolCalls.push({ id: block.id, name: block.name, arguments: block.arguments });
    else if (isTextLike(block)) parts.push({ type: block.type, text: block.text });
    else parts.push({ type: block.type });
  }
  if (parts.length > 0 && parts.every((p) => p.type === 'text')) message.content = parts.map((p) => p.text ?? '').join('');
  else if (parts.length > 0) message.parts = parts;
  if (toolCalls.length > 0) message.toolCalls = toolCalls;
  return message;
}

function isToolUse(block: OutputBlock): block is { type: 'tool_use'; id?: string; name?: string; arguments?: string } {
  return block.type === 'tool_use';
}

function isTextLike(block: OutputBlock): block is { type: 'text' | 'thinking'; text?: string } {
  return block.type === 'text' || block.type === 'thinking';
}
