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
  | { type: string; content?: string; id?: string; name?: string; arguments?: string; response?: string };

export interface GenAiMessage {
  role: string;
  parts: GenAiPart[];
  name?: string;
  finish_reason?: string;
}

/** What an image URL becomes: the masked URL, or `undefined` to leave the image out. */
export type ImageMask = (url: string, message: number, part: number) => string | undefined;

export function genAiMessage(m: Message, index: number, maskImage: ImageMask, defaultRole: string, finishReason?: string): GenAiMessage {
  const message: GenAiMessage = { role: m.role ?? defaultRole, parts: genAiParts(m, index, maskImage) };
  if (m.name !== undefined) message.name = m.name;
  if (finishReason !== undefined) message.finish_reason = finishReason;
  return message;
}

/** A message's parts, in the order the conventions expect: content first, then tool calls. */
export function genAiParts(m: Message, index: number, maskImage: ImageMask): GenAiPart[] {
  const parts: GenAiPart[] = [];
  if (m.role === 'tool' || (m.toolCallId !== undefined && m.toolCalls === undefined)) {
    const result: GenAiPart = { type: 'tool_call_response' };
    if (m.toolCallId !== undefined) result.id = m.toolCallId;
    const response = m.content ?? textOf(m.parts);
    if (response !== undefined) result.response = response;
    parts.push(result);
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
    for (const call of m.toolCalls) {
      if (!call) continue;
      const part: GenAiPart = { type: 'tool_call' };
      if (call.id !== undefined) part.id = call.id;
      if (call.name !== undefined) part.name = call.name;
      if (call.arguments !== undefined) part.arguments = call.arguments;
      parts.push(part);
    }
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
