import type { Message, MessagePart, ToolCall } from '../record/call-record';
import { asArray, asRecord, asString, Json } from '../record/read';
import { parseJson, safeJson } from '../record/json';

/**
 * Reads the OTel GenAI message attributes (`gen_ai.input.messages`, `gen_ai.output.messages`,
 * `gen_ai.system_instructions`) into neutral messages. They are JSON strings of
 * `[{ role, parts: [{ type: 'text', content } | { type: 'tool_call', id, name, arguments } |
 * { type: 'tool_call_response', id, response } | { type: 'blob' | 'uri', modality, … } | …], finish_reason? }]`.
 * Anything malformed gives no message rather than an error.
 */
export function parseGenAiMessages(value: unknown): { messages: Message[]; finishReasons: string[] } {
  const list = parseJson(value);
  const messages: Message[] = [];
  const finishReasons: string[] = [];
  for (const item of asArray(list)) {
    const raw = asRecord(item);
    if (!raw) continue;
    const finish = asString(raw.finish_reason);
    if (finish !== undefined) finishReasons.push(finish);
    messages.push(...toMessages(raw));
  }
  return { messages, finishReasons };
}

/**
 * `gen_ai.system_instructions`: a JSON list of parts, or (as some emitters write it) the plain text.
 * Becomes one leading system message.
 */
export function parseSystemInstructions(value: unknown): Message | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const parsed = parseJson(value);
  if (!Array.isArray(parsed)) return { role: 'system', content: value };
  const message = toMessages({ role: 'system', parts: parsed })[0];
  return message && (message.content !== undefined || message.parts) ? message : undefined;
}


/** One GenAI message; each tool-call response becomes its own tool message, as OpenInference expects. */
function toMessages(raw: Json): Message[] {
  const role = asString(raw.role);
  const name = asString(raw.name);
  const content: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  const toolResults: Message[] = [];
  for (const item of asArray(raw.parts)) {
    const part = asRecord(item);
    if (!part) continue;
    switch (part.type) {
      case 'text':
      case 'reasoning': {
        const text = asString(part.content);
        if (text !== undefined) content.push({ type: part.type === 'text' ? 'text' : 'thinking', text });
        break;
      }
      case 'tool_call':
        toolCalls.push({ id: asString(part.id), name: asString(part.name), arguments: jsonText(part.arguments) });
        break;
      case 'tool_call_response':
        toolResults.push({ role: role ?? 'tool', toolCallId: asString(part.id), content: jsonText(part.response) });
        break;
      case 'blob':
      case 'uri': {
        const imageUrl = mediaUrl(part);
        if (imageUrl !== undefined) content.push({ type: 'image', imageUrl });
        break;
      }
    }
  }
  const out: Message[] = [];
  if (content.length > 0 || toolCalls.length > 0 || toolResults.length === 0) {
    const message: Message = {};
    if (role !== undefined) message.role = role;
    if (name !== undefined) message.name = name;
    if (content.length === 1 && content[0].type === 'text') message.content = content[0].text;
    else if (content.length > 0) message.parts = content;
    if (toolCalls.length > 0) message.toolCalls = toolCalls;
    out.push(message);
  }
  out.push(...toolResults);
  return out;
}

/** Tool arguments and results: a string as it is, anything else as JSON. */
function jsonText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : safeJson(value);
}

/** An image part as a URL: a `uri` part's URI, or a `blob` part as a `data:` URL. */
function mediaUrl(part: Json): string | undefined {
  if (part.modality !== undefined && part.modality !== 'image') return undefined;
  if (part.type === 'uri') return asString(part.uri);
  const data = asString(part.content);
  if (data === undefined) return undefined;
  return `data:${asString(part.mime_type) ?? 'image/png'};base64,${data}`;
}
