import { CallRecord, Message, noteFinishReason, outputTypeOf, ToolCall } from '../../record/call-record';
import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { argumentsJson, toolSchemas } from '../../record/json';
import { ChoiceAssembler, ToolCallDelta } from '../../record/choices';
import { asArray, asRecord, asString, Json, without } from '../../record/read';
import { keptMessages, keptToolCalls } from '../../record/bounded';
import type { StainlessOperation } from '../stainless/traced-method';
import { openaiServedBy, openaiServer } from './client';
import { readOpenAIContent } from './content';
import { readChunkModelAndUsage, readOpenAIUsage } from './usage';

/** Request keys that are content, not invocation parameters. */
const NOT_PARAMETERS = new Set(['messages', 'tools', 'functions']);

/** `chat.completions.create`, plain and streamed. */
export const chatCompletions: StainlessOperation = {
  kind: 'LLM',
  operation: 'chat',
  system: 'openai',
  servedBy: openaiServedBy,
  server: openaiServer,
  readRequest(record, body) {
    record.inputMessages = readInputMessages(body.messages);
    const tools = body.tools ?? body.functions;
    // Most requests offer none: nothing to list then (toolSchemas of an empty list is undefined).
    if (tools !== undefined && tools !== null) record.tools = toolSchemas(asArray(tools));
    record.invocationParameters = without(body, NOT_PARAMETERS);
    record.outputType = outputTypeOf(asRecord(body.response_format)?.type);
  },
  readResponse(record, data) {
    const response = asRecord(data);
    if (!response) return;
    record.responseModel = asString(response.model) ?? record.responseModel;
    record.responseId = asString(response.id);
    // Only the choices a record keeps are read: 200,000 of them cost what 128 do.
    const choices = keptMessages(response.choices, record);
    // Plain loops, no closures: this runs on every call, mostly before V8 has optimized it.
    const messages: Message[] = [];
    for (let i = 0; i < choices.length; i++) messages.push(readOutputMessage(asRecord(asRecord(choices[i])?.message), record));
    record.outputMessages = messages;
    for (let i = 0; i < choices.length; i++) noteFinishReason(record, i, asString(asRecord(choices[i])?.finish_reason));
    const usage = readOpenAIUsage(response.usage);
    if (usage) record.usage = usage;
  },
  chunkReader: (record) => new ChatChunkReader(record),
};


/**
 * The request's messages, read in a loop that pushes: the array then has the same elements kind whatever
 * tier V8 runs this in. `Array.prototype.map` gave another one once this reader was optimized (the map
 * inlined), around the 2,000th call of a fresh process, and that new array map deoptimized every function
 * that had only seen the old one (`messageCount`, `capMessages`, `renderCallRecord`), sending them back to
 * the baseline tier for the rest of the run (docs/performance.md, "Where the µs go"). A sparse list keeps
 * its holes, as `map` kept them: only such a list goes through `map`.
 */
export function readInputMessages(value: unknown): Message[] {
  const list = asArray(value);
  const messages: Message[] = [];
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (item === undefined && !(i in list)) return list.map(readInputMessage);
    messages.push(readInputMessage(item));
  }
  return messages;
}

export function readInputMessage(value: unknown): Message {
  const m = asRecord(value) ?? {};
  const message: Message = { role: asString(m.role) };
  readOpenAIContent(message, m.content);
  // Only the keys the message has: most have neither, and every key set is one more for the renderer and
  // for `input.value`'s JSON to visit on every call.
  if (typeof m.name === 'string') message.name = m.name;
  if (typeof m.tool_call_id === 'string') message.toolCallId = m.tool_call_id;
  const toolCalls = readToolCalls(m);
  if (toolCalls) message.toolCalls = toolCalls;
  return message;
}

function readOutputMessage(m: Json | undefined, record: CallRecord): Message {
  if (!m) return { role: 'assistant' };
  const message: Message = { role: asString(m.role) ?? 'assistant' };
  readOpenAIContent(message, m.content, undefined, record);
  if (message.content === undefined && typeof m.refusal === 'string') message.content = m.refusal;
  message.toolCalls = readToolCalls(m, record);
  return message;
}

/** `record`: an output message's, whose tool calls are capped (the app's own input messages are not). */
function readToolCalls(m: Json, record?: CallRecord): ToolCall[] | undefined {
  if (m.tool_calls === undefined && m.function_call === undefined) return undefined;
  const list = record ? keptToolCalls(m.tool_calls, record) : asArray(m.tool_calls);
  const calls: ToolCall[] = list.map(readFunctionToolCall);
  // The deprecated single `function_call`.
  const legacy = asRecord(m.function_call);
  if (legacy) calls.push({ name: asString(legacy.name), arguments: asString(legacy.arguments) });
  return calls.length > 0 ? calls : undefined;
}

/**
 * Assembles streamed chat chunks: content deltas per choice, tool-call deltas merged by their index, the
 * finish reason, the model, and usage from the final usage chunk (`stream_options.include_usage`).
 */
class ChatChunkReader implements ChunkReader<unknown> {
  private readonly choices: ChoiceAssembler;
  constructor(private readonly record: CallRecord) {
    this.choices = new ChoiceAssembler(record);
  }

  onChunk(value: unknown): void {
    const chunk = asRecord(value);
    if (!chunk) return;
    readChunkModelAndUsage(this.record, chunk);
    const choices = chunk.choices;
    if (!Array.isArray(choices)) return;
    // An index loop: this runs for every chunk, mostly before V8 has optimized it (docs/performance.md).
    for (let i = 0; i < choices.length; i++) {
      const choice = asRecord(choices[i]);
      if (!choice) continue;
      const delta = asRecord(choice.delta);
      const index = typeof choice.index === 'number' ? choice.index : 0;
      // Most chunks have neither tool calls nor a finish reason: no call made for what is absent.
      const toolCalls = delta?.tool_calls;
      this.choices.add(index, delta?.role, delta?.content, toolCalls === undefined ? undefined : toolCallDeltas(toolCalls, this.record));
      const reason = choice.finish_reason;
      if (typeof reason === 'string') noteFinishReason(this.record, index, reason);
    }
  }

  onStop(): void {
    this.record.outputMessages = this.choices.messages();
  }
}

/**
 * One function tool call, `{ id, function: { name, arguments } }`: the Chat Completions shape, which Mistral
 * (camelCase around it) and Ollama (object arguments, recorded as JSON) share.
 */
export function readFunctionToolCall(value: unknown): ToolCall {
  const call = asRecord(value);
  const fn = asRecord(call?.function);
  return { id: asString(call?.id), name: asString(fn?.name), arguments: argumentsJson(fn?.arguments) };
}

/**
 * Chat Completions tool-call deltas (`{ index, id, function: { name, arguments } }`) in the assembler's
 * terms; `undefined` for a chunk without any (most of them), so that such chunks allocate nothing here.
 */
export function toolCallDeltas(value: unknown, record: CallRecord): ToolCallDelta[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const deltas: ToolCallDelta[] = [];
  // No more than a call may keep are read from one chunk; the rest are counted as left out.
  for (const item of keptToolCalls(value, record)) {
    const tc = asRecord(item);
    if (!tc) continue;
    const fn = asRecord(tc.function);
    deltas.push({ index: tc.index, id: tc.id, name: fn?.name, arguments: fn?.arguments });
  }
  return deltas;
}
