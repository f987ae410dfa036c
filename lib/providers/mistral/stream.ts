import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import type { CallRecord, Message } from '../../record/call-record';
import { asArray, asRecord, asString, TextAccumulator } from '../../record/read';
import { argumentsJson } from '../../record/json';
import { deltaText, readMistralUsage } from './messages';

interface ChoiceState {
  role?: string;
  text: TextAccumulator;
  toolCalls: Map<number, { id?: string; name?: string; arguments: TextAccumulator }>;
}

/**
 * Assembles `chat.stream` / `fim.stream` events. Each event is `{ data: CompletionChunk }`: content deltas
 * per choice, tool calls by their index (Mistral sends each call whole, but a split one still merges),
 * the finish reason, the model, and usage from the last chunk.
 */
export class MistralChunkReader implements ChunkReader<unknown> {
  private readonly choices = new Map<number, ChoiceState>();
  constructor(private readonly record: CallRecord) {}

  onChunk(event: unknown): void {
    const chunk = asRecord(asRecord(event)?.data);
    if (!chunk) return;
    if (typeof chunk.model === 'string') this.record.responseModel = chunk.model;
    if (chunk.usage) this.record.usage = readMistralUsage(chunk.usage) ?? this.record.usage;
    for (const item of asArray(chunk.choices)) {
      const choice = asRecord(item);
      if (!choice) continue;
      const index = typeof choice.index === 'number' ? choice.index : 0;
      const state = this.choice(index);
      const delta = asRecord(choice.delta);
      if (delta) {
        if (typeof delta.role === 'string') state.role = delta.role;
        state.text.add(deltaText(delta.content));
        asArray(delta.toolCalls).forEach((tc, position) => this.mergeToolCall(state, asRecord(tc), position));
      }
      const finish = asString(choice.finishReason);
      if (finish !== undefined && (index === 0 || this.record.finishReason === undefined)) this.record.finishReason = finish;
    }
  }

  onStop(): void {
    const indexes = [...this.choices.keys()].sort((a, b) => a - b);
    this.record.outputMessages = indexes.map((i) => {
      const state = this.choices.get(i)!;
      const message: Message = { role: state.role ?? 'assistant', content: state.text.text() ?? '' };
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
    if (!state) this.choices.set(index, (state = { text: new TextAccumulator(), toolCalls: new Map() }));
    return state;
  }

  private mergeToolCall(state: ChoiceState, delta: Record<string, unknown> | undefined, position: number): void {
    if (!delta) return;
    const index = typeof delta.index === 'number' ? delta.index : position;
    let call = state.toolCalls.get(index);
    if (!call) state.toolCalls.set(index, (call = { arguments: new TextAccumulator() }));
    if (typeof delta.id === 'string') call.id = delta.id;
    const fn = asRecord(delta.function);
    if (fn) {
      if (typeof fn.name === 'string' && fn.name !== '') call.name = fn.name;
      call.arguments.add(argumentsJson(fn.arguments));
    }
  }
}
