import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { OutputBuffers } from '../../record/bounded';
import { CallRecord, noteFinishReason } from '../../record/call-record';
import { asNumber, asRecord, asString, TextAccumulator } from '../../record/read';
import { legacyCompletions } from '../openai/completions';

/**
 * `textGenerationStream` chunks, in either shape a provider streams: OpenAI's completion chunks (an
 * endpoint's `/v1/completions`, most providers: read by the OpenAI adapter's completions reader, usage in
 * the last chunk), or TGI's token events (`{ token: { text, special }, details }`: the tokens' text joined,
 * special tokens left out, and the last event's `details` giving the finish reason and `generated_tokens`).
 */
export class TextGenerationChunkReader implements ChunkReader<unknown> {
  private readonly completions: ChunkReader<unknown>;
  /** Made at the first TGI token event. */
  private tokens: TextAccumulator | undefined;

  constructor(private readonly record: CallRecord) {
    this.completions = legacyCompletions.chunkReader!(record);
  }

  onChunk(value: unknown): void {
    const chunk = asRecord(value);
    const token = asRecord(chunk?.token);
    if (!chunk || !token) {
      this.completions.onChunk(value);
      return;
    }
    this.tokens ??= new OutputBuffers(this.record).text();
    if (token.special !== true) this.tokens.add(token.text);
    const details = asRecord(chunk.details);
    if (!details) return;
    noteFinishReason(this.record, 0, asString(details.finish_reason));
    const completion = asNumber(details.generated_tokens);
    if (completion !== undefined) this.record.usage = { ...this.record.usage, completion };
  }

  onStop(): void {
    if (this.tokens) this.record.outputMessages = [{ role: 'assistant', content: this.tokens.text() ?? '' }];
    else this.completions.onStop?.();
  }
}
