import type { Message, MessagePart } from '../record/call-record';

/**
 * The record's messages in the OTel GenAI message format (`gen_ai.input.messages`,
 * `gen_ai.output.messages`, `gen_ai.system_instructions`): `{ role, parts: [...], name?, finish_reason? }`
 * with parts `text`, `reasoning`, `tool_call`, `tool_call_response`, `blob` / `uri` for media. The
 * reverse of lib/processor/genai-messages.ts, which reads foreign spans' messages into the record.
 */
export type GenAiPart =
  | { type: 'text' | 'reasoning'; content: string }
  | { type: 'tool_call'; id?: string; name?: string; arguments?: string }
  | { type: 'tool_call_response'; id?: string; response?: string }
  | { type: 'blob'; modality: 'image'; mime_type?: string; content: string }
  | { type: 'uri'; modality: 'image'; uri: string }
  | { type: string; content?: string };

export interface GenAiMessage {
  role: string;
  parts: GenAiPart[];
  name?: string;
  finish_reason?: string;
}

/** What an image URL becomes: the masked URL, or `undefined` to leave the image out. */
export type ImageMask = (url: string, message: number, part: number) => string | undefined;

export function genAiMessage(m: Message, index: number, maskImage: ImageMask, defaultRole: string): GenAiMessage {
  const message: GenAiMessage = { role: m.role ?? defaultRole, parts: genAiParts(m, index, maskImage) };
  if (m.name !== undefined) message.name = m.name;
  return message;
}

/** A message's parts, in the order the conventions expect: content first, then tool calls. */
export function genAiParts(m: Message, index: number, maskImage: ImageMask): GenAiPart[] {
  const parts: GenAiPart[] = [];
  if (m.role === 'tool' || (m.toolCallId !== undefined && m.toolCalls === undefined)) {
    parts.push(withDefined({ type: 'tool_call_response', id: m.toolCallId, response: m.content ?? textOf(m.parts) }));
    return parts;
  }
  if (m.content !== undefined) parts.push({ type: 'text', content: m.content });
  if (m.parts) {
    for (let j = 0; j < m.parts.length; j++) {
      const part = m.parts[j] ? contentPart(m.parts[j], index, j, maskImage) : undefined;
      if (part) parts.push(part);
    }
  }
  if (m.toolCalls) {
    for (const call of m.toolCalls) if (call) parts.push(withDefined({ type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments }));
  }
  return parts;
}

function contentPart(part: MessagePart, message: number, index: number, maskImage: ImageMask): GenAiPart | undefined {
  if (part.imageUrl !== undefined) {
    const url = maskImage(part.imageUrl, message, index);
    return url === undefined ? undefined : imagePart(url);
  }
  if (part.text === undefined) return undefined;
  if (part.type === 'text') return { type: 'text', content: part.text };
  if (part.type === 'thinking') return { type: 'reasoning', content: part.text };
  return { type: part.type, content: part.text };
}

/** A `data:` URL becomes a `blob` part (its base64 payload and MIME type), any other URL a `uri` part. */
function imagePart(url: string): GenAiPart {
  const match = /^data:([^;,]*)(?:;[^,]*)?;base64,/.exec(url);
  if (!match) return { type: 'uri', modality: 'image', uri: url };
  const part: GenAiPart = { type: 'blob', modality: 'image', content: url.slice(match[0].length) };
  if (match[1]) part.mime_type = match[1];
  return part;
}

function textOf(parts: MessagePart[] | undefined): string | undefined {
  const texts = parts?.flatMap((p) => (p?.text === undefined ? [] : [p.text]));
  return texts && texts.length > 0 ? texts.join('\n') : undefined;
}

/** Drops the keys whose value is undefined, so the JSON carries only what the record had. */
function withDefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}

/** The GenAI finish reasons of output messages, from the providers' spellings. */
const FINISH_REASONS: Readonly<Record<string, string>> = {
  stop: 'stop',
  end_turn: 'stop',
  stop_sequence: 'stop',
  STOP: 'stop',
  completed: 'stop',
  length: 'length',
  max_tokens: 'length',
  max_output_tokens: 'length',
  MAX_TOKENS: 'length',
  tool_calls: 'tool_call',
  function_call: 'tool_call',
  tool_use: 'tool_call',
  content_filter: 'content_filter',
  refusal: 'content_filter',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
};

export function genAiFinishReason(raw: string): string {
  return Object.hasOwn(FINISH_REASONS, raw) ? FINISH_REASONS[raw] : raw;
}
