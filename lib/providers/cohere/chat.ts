import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { CallRecord, Message, MessagePart, messageFromParts, ToolCall, Usage } from '../../record/call-record';
import { toolSchemas } from '../../record/json';
import { IndexedSlots, keptParts, keptToolCalls, OutputBuffers, shortString, ToolCallBuffer, toolCallOf } from '../../record/bounded';
import { asArray, asNumber, asRecord, asString, Json, TextAccumulator, without } from '../../record/read';

/**
 * Cohere's v2 chat shapes, as the SDK hands them over (camelCase; its serializer maps the wire's
 * snake_case): `messages` with string or typed content, `toolCalls`, `toolCallId`; responses with
 * `message`, `finishReason` and `usage`; stream events `message-start`, `content-delta`,
 * `tool-call-start`/`-delta`, `message-end`. https://docs.cohere.com/reference/chat
 */

/** Request keys that are content or transport, not invocation parameters. */
const NOT_PARAMETERS = new Set(['messages', 'tools', 'documents', 'stream']);

export function readChatRequest(record: CallRecord, request: Json): void {
  record.inputMessages = asArray(request.messages).map((m) => readCohereMessage(m));
  record.tools = toolSchemas(asArray(request.tools));
  record.invocationParameters = without(request, NOT_PARAMETERS);
}

export function readChatResponse(record: CallRecord, value: unknown): void {
  const response = asRecord(value);
  if (!response) return;
  if (response.message !== undefined) record.outputMessages = [readCohereMessage(response.message, record)];
  record.finishReason = asString(response.finishReason) ?? record.finishReason;
  record.usage = readCohereUsage(response.usage) ?? record.usage;
}

/**
 * `usage.billedUnits` first: where a system reports both used and billed tokens, the GenAI conventions
 * ask for the billed ones. `usage.tokens` only fills in what the bill leaves out.
 */
export function readCohereUsage(value: unknown): Usage | undefined {
  const usage = asRecord(value);
  if (!usage) return undefined;
  const billed = asRecord(usage.billedUnits);
  const used = asRecord(usage.tokens);
  return {
    prompt: asNumber(billed?.inputTokens) ?? asNumber(used?.inputTokens),
    completion: asNumber(billed?.outputTokens) ?? asNumber(used?.outputTokens),
    cacheRead: asNumber(usage.cachedTokens),
  };
}

/** A request or response message; `output`: the record of a response, whose parts and tool calls are capped. */
function readCohereMessage(value: unknown, output?: CallRecord): Message {
  const m = asRecord(value) ?? {};
  const content = output ? keptParts(m.content, output) : asArray(m.content);
  const parts = Array.isArray(m.content) ? content.map(readPart) : [];
  const toolCalls = output ? keptToolCalls(m.toolCalls, output) : asArray(m.toolCalls);
  const message = messageFromParts(asString(m.role), parts, toolCalls.map(readToolCall));
  if (typeof m.content === 'string') message.content = m.content;
  const toolCallId = asString(m.toolCallId);
  if (toolCallId !== undefined) message.toolCallId = toolCallId;
  return message;
}

function readPart(value: unknown): MessagePart {
  const part = asRecord(value) ?? {};
  const type = asString(part.type) ?? 'unknown';
  if (type === 'text') return { type, text: asString(part.text) };
  if (type === 'thinking') return { type, text: asString(part.thinking) };
  if (type === 'image_url') return { type: 'image', imageUrl: asString(asRecord(part.imageUrl)?.url) };
  return { type };
}

function readToolCall(value: unknown): ToolCall {
  const call = asRecord(value);
  const fn = asRecord(call?.function);
  return { id: asString(call?.id), name: asString(fn?.name), arguments: asString(fn?.arguments) };
}

/** An error Cohere reported inside the stream (`message-end` with `delta.error`), although HTTP succeeded. */
export class CohereStreamError extends Error {}

interface ContentState {
  /** From the first event of the part that names one. */
  type?: string;
  acc: TextAccumulator;
}

/**
 * Assembles `chatStream` events into the record a `chat` response gives; partial output is kept. Content
 * parts and tool calls are kept by their `index`, within the caps of `OutputBuffers`.
 */
export class ChatStreamReader implements ChunkReader<unknown> {
  private role: string | undefined;
  private readonly content: IndexedSlots<ContentState>;
  private readonly toolCalls: IndexedSlots<ToolCallBuffer>;
  private error: string | undefined;

  constructor(private readonly record: CallRecord) {
    const buffers = new OutputBuffers(record);
    this.content = buffers.parts((): ContentState => ({ acc: buffers.text() }));
    this.toolCalls = buffers.toolCalls();
  }

  onChunk(value: unknown): void {
    const event = asRecord(value);
    const delta = asRecord(event?.delta);
    const message = asRecord(delta?.message);
    const index = asNumber(event?.index) ?? 0;
    switch (event?.type) {
      case 'message-start':
        this.role = shortString(message?.role);
        break;
      case 'content-start':
      case 'content-delta': {
        const content = asRecord(message?.content);
        const part = this.content.at(index);
        if (!part) break;
        part.type ??= shortString(content?.type);
        if (content?.thinking !== undefined) part.type = 'thinking';
        part.acc.add(content?.text ?? content?.thinking);
        break;
      }
      case 'tool-call-start':
      case 'tool-call-delta': {
        const call = asRecord(message?.toolCalls);
        const state = this.toolCalls.at(index);
        if (!state) break;
        state.id ??= shortString(call?.id);
        if (state.name.isEmpty) state.name.add(asRecord(call?.function)?.name);
        state.arguments.add(asRecord(call?.function)?.arguments);
        break;
      }
      case 'message-end':
        this.record.finishReason = asString(delta?.finishReason) ?? this.record.finishReason;
        this.record.usage = readCohereUsage(delta?.usage) ?? this.record.usage;
        this.error = asString(delta?.error);
        break;
    }
  }

  onStop(): void {
    if (this.role === undefined && this.content.size === 0 && this.toolCalls.size === 0) return;
    const parts = this.content.ordered().map((p): MessagePart => ({ type: p.type ?? 'text', text: p.acc.text() ?? '' }));
    const calls = this.toolCalls.ordered().map(toolCallOf);
    this.record.outputMessages = [messageFromParts(this.role ?? 'assistant', parts, calls)];
  }

  failure(): unknown {
    return this.error === undefined || this.error === '' ? undefined : new CohereStreamError(this.error);
  }
}
