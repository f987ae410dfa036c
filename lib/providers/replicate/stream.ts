import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import type { CallRecord } from '../../record/call-record';
import { OutputBuffers } from '../../record/bounded';
import { asRecord, TextAccumulator } from '../../record/read';

/**
 * Replicate's prediction stream (`urls.stream`, server-sent events, read by the SDK into `ServerSentEvent`
 * objects `{ event, data, id }`): `output` events carry the next piece of text, `logs` the model's log
 * lines, `error` a failure (the SDK errors the stream with it, which ends the span as ERROR) and `done` the
 * end. The text pieces make one assistant message, bounded like every stream's text. A file model's
 * `output` is a file stream, not text, and is not recorded. The stream carries no token counts.
 */
export class ReplicateEventReader implements ChunkReader<unknown> {
  private readonly text: TextAccumulator;

  constructor(private readonly record: CallRecord) {
    this.text = new OutputBuffers(record).text();
  }

  onChunk(value: unknown): void {
    const event = asRecord(value);
    if (event?.event === 'output' && typeof event.data === 'string') this.text.add(event.data);
  }

  onStop(): void {
    const content = this.text.text();
    if (content !== undefined) this.record.outputMessages = [{ role: 'assistant', content }];
  }
}
