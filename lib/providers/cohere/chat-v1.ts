import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import type { CallRecord, Message, ToolCall } from '../../record/call-record';
import { argumentsJson, safeJson, toolSchemas } from '../../record/json';
import { asArray, asRecord, asString, Json, TextAccumulator, without } from '../../record/read';
import { readCohereUsage } from './chat';

/**
 * Cohere's v1 chat (`CohereClient.chat` / `chatStream`), as the SDK hands it over (camelCase): the new
 * turn's `message`, a `preamble` (the system prompt), `chatHistory` of `{ role: USER|CHATBOT|SYSTEM|TOOL,
 * message, toolCalls, toolResults }`, and `toolResults` answering the last turn's calls; the response's
 * `text`, `toolCalls` (`{ name, parameters }`), `finishReason` and `meta` (`billedUnits`, `tokens`: the
 * same shape as v2's `usage`). Streamed events carry `eventType`; `stream-end` holds the whole response.
 * https://docs.cohere.com/v1/reference/chat
 */

/** Request keys that are content or transport, not invocation parameters. */
const NOT_PARAMETERS = new Set(['message', 'chatHistory', 'preamble', 'tools', 'toolResults', 'documents', 'stream', 'accepts']);

const ROLES: Readonly<Record<string, string>> = { USER: 'user', CHATBOT: 'assistant', SYSTEM: 'system', TOOL: 'tool' };

/** Input messages in the order the model reads them: preamble, history, tool results, the new message. */
export function readChatV1Request(record: CallRecord, request: Json): void {
  const messages: Message[] = [];
  const preamble = asString(request.preamble);
  if (preamble !== undefined) messages.push({ role: 'system', content: preamble });
  for (const item of asArray(request.chatHistory)) messages.push(...readHistoryMessage(asRecord(item) ?? {}));
  const results = asArray(request.toolResults);
  for (const result of results) messages.push(readToolResult(result));
  // A turn that only returns tool results sends an empty `message`: it is no user message.
  const message = asString(request.message);
  if (message !== undefined && (message !== '' || results.length === 0)) messages.push({ role: 'user', content: message });
  record.inputMessages = messages;
  record.tools = toolSchemas(asArray(request.tools));
  record.invocationParameters = without(request, NOT_PARAMETERS);
}

export function readChatV1Response(record: CallRecord, value: unknown): void {
  const response = asRecord(value);
  if (!response) return;
  record.outputMessages = [assistantMessage(asString(response.text), asArray(response.toolCalls))];
  record.finishReason = asString(response.finishReason) ?? record.finishReason;
  record.usage = readCohereUsage(response.meta) ?? record.usage;
}

function readHistoryMessage(m: Json): Message[] {
  const role = asString(m.role);
  // A TOOL turn holds the results of the calls before it: one tool message per result.
  if (role === 'TOOL') return asArray(m.toolResults).map(readToolResult);
  const message: Message = { role: role === undefined ? undefined : (ROLES[role] ?? role.toLowerCase()) };
  const text = asString(m.message);
  if (text !== undefined) message.content = text;
  const calls = asArray(m.toolCalls).map(readToolCall);
  if (calls.length > 0) message.toolCalls = calls;
  return [message];
}

/** `{ call: { name, parameters }, outputs: [...] }`: a tool message named after the tool, its outputs as JSON. */
function readToolResult(value: unknown): Message {
  const result = asRecord(value);
  return { role: 'tool', name: asString(asRecord(result?.call)?.name), content: safeJson(result?.outputs) };
}

/** v1 tool calls have no id; `parameters` is an object, recorded as JSON. */
function readToolCall(value: unknown): ToolCall {
  const call = asRecord(value);
  return { name: asString(call?.name), arguments: argumentsJson(call?.parameters) };
}

function assistantMessage(text: string | undefined, toolCalls: unknown[]): Message {
  const message: Message = { role: 'assistant' };
  if (text !== undefined) message.content = text;
  const calls = toolCalls.map(readToolCall);
  if (calls.length > 0) message.toolCalls = calls;
  return message;
}

/**
 * Assembles `chatStream` events: `text-generation` pieces and the latest `tool-calls-generation` list as
 * they come (partial output for a stream that stops early), then `stream-end`'s whole response, which
 * replaces them. Tool-call deltas (`tool-calls-chunk`) are not assembled: the complete calls follow.
 */
export class ChatV1StreamReader implements ChunkReader<unknown> {
  private readonly text: TextAccumulator;
  private toolCalls: unknown[] = [];
  private ended = false;

  constructor(private readonly record: CallRecord) {
    this.text = new TextAccumulator(record.textLimit);
  }

  onChunk(value: unknown): void {
    const event = asRecord(value);
    switch (event?.eventType) {
      case 'text-generation':
        this.text.add(event.text);
        break;
      case 'tool-calls-generation':
        this.toolCalls = asArray(event.toolCalls);
        break;
      case 'stream-end':
        this.ended = true;
        readChatV1Response(this.record, event.response);
        this.record.finishReason = asString(event.finishReason) ?? this.record.finishReason;
        break;
    }
  }

  onStop(): void {
    if (this.ended || (this.text.isEmpty && this.toolCalls.length === 0)) return;
    this.record.outputMessages = [assistantMessage(this.text.text() ?? '', this.toolCalls)];
  }
}
