import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { CallRecord, noteFinishReason } from '../../record/call-record';
import { ChoiceAssembler } from '../../record/choices';
import { asArray, asRecord, asString } from '../../record/read';
import { toolCallDeltas } from '../openai/chat';
import { deltaText, readMistralUsage } from './messages';

/**
 * Assembles `chat.stream` / `fim.stream` events. Each event is `{ data: CompletionChunk }`, OpenAI's chunk
 * shape in camelCase: content deltas per choice, tool calls (`toolCalls`, each `{ id, function, index }`)
 * merged by their index, each choice's finish reason, the model, and usage from the last chunk.
 */
export class MistralChunkReader implements ChunkReader<unknown> {
  private readonly choices: ChoiceAssembler;
  constructor(private readonly record: CallRecord) {
    this.choices = new ChoiceAssembler(record);
  }

  onChunk(event: unknown): void {
    const chunk = asRecord(asRecord(event)?.data);
    if (!chunk) return;
    if (typeof chunk.model === 'string') this.record.responseModel = chunk.model;
    if (chunk.usage) this.record.usage = readMistralUsage(chunk.usage) ?? this.record.usage;
    for (const item of asArray(chunk.choices)) {
      const choice = asRecord(item);
      if (!choice) continue;
      const index = typeof choice.index === 'number' ? choice.index : 0;
      const delta = asRecord(choice.delta);
      this.choices.add(index, delta?.role, deltaText(delta?.content), toolCallDeltas(delta?.toolCalls, this.record));
      noteFinishReason(this.record, index, asString(choice.finishReason));
    }
  }

  onStop(): void {
    this.record.outputMessages = this.choices.messages();
  }
}
