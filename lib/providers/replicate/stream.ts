import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { DEFAULT_MAX_OUTPUT_PARTS } from '../../config/record-limits';
import { CallRecord, MessagePart, noteOmitted } from '../../record/call-record';
import { OutputBuffers } from '../../record/bounded';
import { asRecord, TextAccumulator } from '../../record/read';
import { filePart, isFileUrl } from './prediction';

/**
 * Replicate's prediction stream (`urls.stream`, server-sent events, read by the SDK into `ServerSentEvent`
 * objects `{ event, data, id }`): `output` events carry the next piece of text, `logs` the model's log
 * lines, `error` a failure (the SDK errors the stream with it, which ends the span as ERROR) and `done` the
 * end. The text pieces make one assistant message, bounded like every stream's text. A file model's
 * `output` is a file stream (`FileOutput`), not text, and is not recorded; with `useFileOutput: false` it
 * is the file's URL, kept as an image or file part (the SDK's own rule for a file, as `run` reads it),
 * never as text. The stream carries no token counts.
 */
export class ReplicateEventReader implements ChunkReader<unknown> {
  private readonly text: TextAccumulator;
  private readonly files: MessagePart[] = [];

  constructor(private readonly record: CallRecord) {
    this.text = new OutputBuffers(record).text();
  }

  onChunk(value: unknown): void {
    const event = asRecord(value);
    if (event?.event !== 'output' || typeof event.data !== 'string') return;
    if (!isFileUrl(event.data)) this.text.add(event.data);
    else if (this.files.length < DEFAULT_MAX_OUTPUT_PARTS) this.files.push(filePart(event.data));
    else noteOmitted(this.record, 'outputParts', 1);
  }

  onStop(): void {
    const content = this.text.text();
    if (this.files.length > 0) {
      const parts = content === undefined ? this.files : [{ type: 'text', text: content }, ...this.files];
      this.record.outputMessages = [{ role: 'assistant', parts }];
    } else if (content !== undefined) this.record.outputMessages = [{ role: 'assistant', content }];
  }
}
