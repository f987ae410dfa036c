import { CallRecord, Message, noteFinishReason } from '../../record/call-record';
import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { asArray, asRecord, asString, Json, TextAccumulator, without } from '../../record/read';
import { IndexedSlots, keptMessages, OutputBuffers } from '../../record/bounded';
import type { StainlessOperation } from '../stainless/traced-method';
import { openaiServedBy, openaiServer } from './client';
import { readChunkModelAndUsage, readOpenAIUsage } from './usage';

/** Request keys that are content, not invocation parameters. */
const NOT_PARAMETERS = new Set(['prompt']);

/** The legacy `completions.create`, plain and streamed: prompts in, one text per choice out. */
export const legacyCompletions: StainlessOperation = {
  kind: 'LLM',
  operation: 'text_completion',
  system: 'openai',
  servedBy: openaiServedBy,
  server: openaiServer,
  readRequest(record, body) {
    record.prompts = readPrompts(body.prompt);
    record.invocationParameters = without(body, NOT_PARAMETERS);
  },
  readResponse(record, data) {
    const response = asRecord(data);
    if (!response) return;
    record.responseModel = asString(response.model) ?? record.responseModel;
    record.responseId = asString(response.id);
    const choices = byIndex(keptMessages(response.choices, record));
    record.outputMessages = choices.map((choice): Message => ({ role: 'assistant', content: asString(choice.text) }));
    choices.forEach((choice, i) => noteFinishReason(record, i, asString(choice.finish_reason)));
    record.usage = readOpenAIUsage(response.usage) ?? record.usage;
  },
  chunkReader: (record) => new CompletionChunkReader(record),
};

/** A string or a list of strings; token-id prompts (numbers) carry no text to record. */
function readPrompts(prompt: unknown): string[] | undefined {
  if (typeof prompt === 'string') return [prompt];
  const prompts = asArray(prompt).filter((p): p is string => typeof p === 'string');
  return prompts.length > 0 ? prompts : undefined;
}

/** Choices in `index` order (the API sends them so; an `n > 1` stream interleaves them). */
function byIndex(values: unknown[]): Json[] {
  const choices = values.map(asRecord).filter((c): c is Json => c !== undefined);
  return choices.sort((a, b) => indexOf(a) - indexOf(b));
}

function indexOf(choice: Json): number {
  return typeof choice.index === 'number' ? choice.index : 0;
}

/** Text deltas per choice index, the finish reason, the model, and usage from the usage chunk. */
class CompletionChunkReader implements ChunkReader<unknown> {
  /** One text per choice index, at most DEFAULT_MAX_OUTPUT_MESSAGES of them. */
  private readonly texts: IndexedSlots<TextAccumulator>;
  constructor(private readonly record: CallRecord) {
    const buffers = new OutputBuffers(record);
    this.texts = buffers.messages(() => buffers.text());
  }

  onChunk(value: unknown): void {
    const chunk = asRecord(value);
    if (!chunk) return;
    readChunkModelAndUsage(this.record, chunk);
    for (const item of asArray(chunk.choices)) {
      const choice = asRecord(item);
      if (!choice) continue;
      const index = indexOf(choice);
      this.texts.at(index)?.add(choice.text);
      noteFinishReason(this.record, index, asString(choice.finish_reason));
    }
  }

  onStop(): void {
    this.record.outputMessages = this.texts.ordered().map((text) => ({ role: 'assistant', content: text.text() ?? '' }));
  }
}
