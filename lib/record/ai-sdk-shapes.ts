/**
 * Readers for the Vercel AI SDK's own shapes, shared by the ai 7 channel adapter (lib/providers/ai-sdk) and
 * the ai 5/6 span mapper (lib/processor/ai-sdk-mapper.ts): both see the same model messages, content parts
 * and usage objects (live objects on the channel, JSON in the `ai.*` span attributes). Every read is guarded.
 */
import type { Message, MessagePart, ToolCall, Usage } from './call-record';
import { safeJson } from './json';
import { asArray, asNumber, asRecord, asString, Json } from './read';

/** The AI SDK provider id's prefix (`openai.chat` → `openai`) to the `llm.provider` vocabulary. */
const PROVIDER_BY_PREFIX: Readonly<Record<string, string>> = {
  mistral: 'mistralai',
  'google-vertex': 'google',
  vertex: 'google',
  'amazon-bedrock': 'aws',
  bedrock: 'aws',
  'azure-openai': 'azure',
  togetherai: 'together',
};

/** The provider to the OpenInference `llm.system` (the API family). */
const SYSTEM_BY_PROVIDER: Readonly<Record<string, string>> = { google: 'vertexai', azure: 'openai', aws: 'amazon' };

/** `openai.chat` → openai, `anthropic.messages` → anthropic, `google.generative-ai` → google, `mistral.chat` → mistralai. */
export function aiSdkProvider(providerId: unknown): string {
  const id = asString(providerId);
  if (id === undefined || id === '') return 'unknown';
  const prefix = id.split('.')[0].toLowerCase();
  return Object.hasOwn(PROVIDER_BY_PREFIX, prefix) ? PROVIDER_BY_PREFIX[prefix] : prefix;
}

export function aiSdkSystem(provider: string): string {
  return Object.hasOwn(SYSTEM_BY_PROVIDER, provider) ? SYSTEM_BY_PROVIDER[provider] : provider;
}

/** The model's input: the instructions (system) first, then the AI SDK model messages. */
export function modelMessages(instructions: unknown, messages: unknown): Message[] {
  const out: Message[] = [];
  const system = instructionText(instructions);
  if (system !== undefined) out.push({ role: 'system', content: system });
  for (const m of asArray(messages)) out.push(...modelMessage(m));
  return out;
}

/** `instructions`/`system`: a string, a system message, or a list of them. */
function instructionText(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  const texts = (Array.isArray(value) ? value : [value]).map((m) => asString(asRecord(m)?.content)).filter((t): t is string => t !== undefined);
  return texts.length > 0 ? texts.join('\n') : undefined;
}

/** One AI SDK message; a `tool` message holding several results becomes one message per result. */
function modelMessage(value: unknown): Message[] {
  const m = asRecord(value);
  if (!m) return [];
  const role = asString(m.role);
  if (typeof m.content === 'string') return [{ role, content: m.content }];
  const parts = asArray(m.content).map(asRecord).filter((p): p is Json => p !== undefined);
  if (role === 'tool') return parts.filter((p) => p.type === 'tool-result').map(toolResultMessage);
  return [contentMessage(role, parts)];
}

function toolResultMessage(part: Json): Message {
  const message: Message = { role: 'tool', content: textOf(toolOutputValue(part.output)) };
  const id = asString(part.toolCallId);
  if (id !== undefined) message.toolCallId = id;
  return message;
}

/** A tool result's `output`: `{ type: 'json' | 'text', value }` in messages, the raw value elsewhere. */
function toolOutputValue(output: unknown): unknown {
  const o = asRecord(output);
  if (o && typeof o.type === 'string' && 'value' in o) return o.value;
  return output;
}

/** An assistant's output content (text, reasoning and tool-call parts) as one message. */
export function contentMessage(role: string | undefined, content: unknown): Message {
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  for (const raw of asArray(content)) {
    const part = asRecord(raw);
    if (!part) continue;
    const type = asString(part.type);
    if (type === 'tool-call') toolCalls.push(toolCallOf(part));
    else if (type === 'text' || type === 'reasoning') parts.push({ type: type === 'text' ? 'text' : 'reasoning', text: asString(part.text) ?? '' });
    else if (type === 'image' || type === 'file') parts.push(mediaPart(part));
  }
  const message: Message = { role };
  if (parts.length > 0 && parts.every((p) => p.type === 'text')) message.content = parts.map((p) => p.text).join('');
  else if (parts.length > 0) message.parts = parts;
  if (toolCalls.length > 0) message.toolCalls = toolCalls;
  return message;
}

/** The model's output message, from content parts, or from the text and tool calls the ai 5/6 spans keep apart. */
export function outputMessage(content: unknown, text?: unknown, toolCalls?: unknown): Message | undefined {
  const parts = Array.isArray(content) ? content : [...(typeof text === 'string' && text !== '' ? [{ type: 'text', text }] : []), ...asArray(toolCalls).map((c) => ({ ...asRecord(c), type: 'tool-call' }))];
  const message = contentMessage('assistant', parts);
  return message.content !== undefined || message.parts || message.toolCalls ? message : undefined;
}

function toolCallOf(part: Json): ToolCall {
  const call: ToolCall = {};
  const id = asString(part.toolCallId);
  const name = asString(part.toolName);
  if (id !== undefined) call.id = id;
  if (name !== undefined) call.name = name;
  const args = textOf(part.input ?? part.args);
  if (args !== undefined) call.arguments = args;
  return call;
}

function mediaPart(part: Json): MessagePart {
  const mediaType = asString(part.mediaType) ?? asString(part.mimeType);
  const data = part.image ?? part.data;
  const isImage = part.type === 'image' || (mediaType?.startsWith('image/') ?? false);
  const out: MessagePart = { type: isImage ? 'image' : 'file' };
  if (!isImage) return out;
  if (typeof data === 'string') out.imageUrl = /^(https?:|data:)/.test(data) ? data : `data:${mediaType ?? 'image/png'};base64,${data}`;
  else if (data instanceof URL) out.imageUrl = data.href;
  return out;
}

/** A string as it is, anything else as JSON (tool arguments and results). */
export function textOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : safeJson(value);
}

/**
 * Token counts from any of the AI SDK's usage shapes: the provider's (ai 7: `inputTokens: { total, cacheRead,
 * cacheWrite }`, `outputTokens: { total, reasoning }`), the SDK's (`inputTokens` number with
 * `inputTokenDetails`/`outputTokenDetails`, or ai 5's `cachedInputTokens`/`reasoningTokens`), and embeddings' `tokens`.
 */
export function aiSdkUsage(value: unknown): Usage {
  const u = asRecord(value);
  const usage: Usage = {};
  if (!u) return usage;
  const input = asRecord(u.inputTokens);
  const output = asRecord(u.outputTokens);
  const inputDetails = asRecord(u.inputTokenDetails);
  const outputDetails = asRecord(u.outputTokenDetails);
  setCount(usage, 'prompt', input ? input.total : u.inputTokens ?? u.promptTokens ?? u.tokens);
  setCount(usage, 'completion', output ? output.total : u.outputTokens ?? u.completionTokens);
  setCount(usage, 'total', u.totalTokens);
  setCount(usage, 'cacheRead', input?.cacheRead ?? inputDetails?.cacheReadTokens ?? u.cachedInputTokens);
  setCount(usage, 'cacheWrite', input?.cacheWrite ?? inputDetails?.cacheWriteTokens);
  setCount(usage, 'reasoning', output?.reasoning ?? outputDetails?.reasoningTokens ?? u.reasoningTokens);
  return usage;
}

function setCount(usage: Usage, key: keyof Usage, value: unknown): void {
  const n = asNumber(value);
  if (n !== undefined && n >= 0) usage[key] = n;
}

/** A finish reason: ai 7's provider result has `{ unified, raw }`, everything else a string. */
export function finishReasonOf(value: unknown): string | undefined {
  return asString(value) ?? asString(asRecord(value)?.unified);
}

/** Request settings the AI SDK passes to every model call, in `llm.invocation_parameters` names. */
const SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ['temperature', 'temperature'],
  ['maxOutputTokens', 'max_tokens'],
  ['topP', 'top_p'],
  ['topK', 'top_k'],
  ['presencePenalty', 'presence_penalty'],
  ['frequencyPenalty', 'frequency_penalty'],
  ['stopSequences', 'stop_sequences'],
  ['seed', 'seed'],
];

/** The invocation parameters from an object holding the settings under `prefix` + name (`ai.settings.`). */
export function aiSdkSettings(source: Json, model: string | undefined, prefix = ''): Record<string, unknown> | undefined {
  let params: Record<string, unknown> | undefined;
  for (const [key, name] of SETTINGS) {
    const value = source[prefix + key];
    if (value !== undefined && value !== null) (params ??= {})[name] = value;
  }
  return params && model !== undefined ? { model, ...params } : params;
}
