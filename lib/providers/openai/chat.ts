import { CallRecord, Message, outputTypeOf, ToolCall } from '../../record/call-record';
import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { toolSchemas } from '../../record/json';
import { asArray, asRecord, asString, Json, TextAccumulator, without } from '../../record/read';
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
    record.inputMessages = asArray(body.messages).map(readInputMessage);
    record.tools = toolSchemas(asArray(body.tools ?? body.functions));
    record.invocationParameters = without(body, NOT_PARAMETERS);
    record.outputType = outputTypeOf(asRecord(body.response_format)?.type);
  },
  readResponse(record, data) {
    const response = asRecord(data);
    if (!response) return;
    record.responseModel = asString(response.model) ?? record.responseModel;
    record.responseId = asString(response.id);
    const choices = asArray(response.choices);
    record.outputMessages = choices.map((choice) => readOutputMessage(asRecord(asRecord(choice)?.message)));
    record.finishReason = asString(asRecord(choices[0])?.finish_reason);
    record.usage = readOpenAIUsage(response.usage) ?? record.usage;
  },
  chunkReader: (record) => new ChatChunkReader(record),
};


export function readInputMessage(value: unknown): Message {
  const m = asRecord(value) ?? {};
  const message: Message = { role: asString(m.role) };
  readOpenAIContent(message, m.content);
  message.name = asString(m.name);
  message.toolCallId = asString(m.tool_call_id);
  message.toolCalls = readToolCalls(m);
  return message;
}

function readOutputMessage(m: Json | undefined): Message {
  if (!m) return { role: 'assistant' };
  const message: Message = { role: asString(m.role) ?? 'assistant' };
  readOpenAIContent(message, m.content);
  if (message.content === undefined && typeof m.refusal === 'string') message.content = m.refusal;
  message.toolCalls = readToolCalls(m);
  return message;
}

function readToolCalls(m: Json): ToolCall[] | undefined {
  const calls: ToolCall[] = [];
  for (const item of asArray(m.tool_calls)) {
    const call = asRecord(item);
    const fn = asRecord(call?.function);
    calls.push({ id: asString(call?.id), name: asString(fn?.name), arguments: asString(fn?.arguments) });
  }
  // The deprecated single `function_call`.
  const legacy = asRecord(m.function_call);
  if (legacy) calls.push({ name: asString(legacy.name), arguments: asString(legacy.arguments) });
  return calls.length > 0 ? calls : undefined;
}

interface ChoiceState {
  role?: string;
  text: TextAccumulator;
  toolCalls: Map<number, { id?: string; name?: string; arguments: TextAccumulator }>;
}

/**
 * Assembles streamed chat chunks: content deltas per choice, tool-call deltas merged by their index, the
 * finish reason, the model, and usage from the final usage chunk (`stream_options.include_usage`).
 */
class ChatChunkReader implements ChunkReader<unknown> {
  private readonly choices = new Map<number, ChoiceState>();
  constructor(private readonly record: CallRecord) {}

  onChunk(value: unknown): void {
    const chunk = asRecord(value);
    if (!chunk) return;
    readChunkModelAndUsage(this.record, chunk);
    const choices = chunk.choices;
    if (!Array.isArray(choices)) return;
    for (const item of choices) {
      const choice = asRecord(item);
      if (!choice) continue;
      const state = this.choice(typeof choice.index === 'number' ? choice.index : 0);
      const delta = asRecord(choice.delta);
      if (delta) {
        if (typeof delta.role === 'string') state.role = delta.role;
        state.text.add(delta.content);
        if (Array.isArray(delta.tool_calls)) for (const tc of delta.tool_calls) this.mergeToolCall(state, asRecord(tc));
      }
      if (typeof choice.finish_reason === 'string' && choice.index === 0) this.record.finishReason = choice.finish_reason;
      else if (typeof choice.finish_reason === 'string' && this.record.finishReason === undefined) this.record.finishReason = choice.finish_reason;
    }
  }

  onStop(): void {
    const indexes = [...this.choices.keys()].sort((a, b) => a - b);
    this.record.outputMessages = indexes.map((i) => {
      const state = this.choices.get(i)!;
      const message: Message = { role: state.role ?? 'assistant', content: state.text.text() };
      if (state.toolCalls.size > 0) {
        message.toolCalls = [...state.toolCalls.entries()]
          .sort(([a], [b]) => a - b)
          .map(([, tc]) => ({ id: tc.id, name: tc.name, arguments: tc.arguments.text() ?? '' }));
      }
      return message;
    });
  }

  private choice(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (!state) this.choices.set(index, (state = { text: new TextAccumulator(this.record.textLimit), toolCalls: new Map() }));
    return state;
  }

  private mergeToolCall(state: ChoiceState, delta: Json | undefined): void {
    if (!delta) return;
    const index = typeof delta.index === 'number' ? delta.index : state.toolCalls.size;
    let call = state.toolCalls.get(index);
    if (!call) state.toolCalls.set(index, (call = { arguments: new TextAccumulator(this.record.textLimit) }));
    if (typeof delta.id === 'string') call.id = delta.id;
    const fn = asRecord(delta.function);
    if (fn) {
      if (typeof fn.name === 'string') call.name = (call.name ?? '') + fn.name;
      call.arguments.add(fn.arguments);
    }
  }
}
