import type { ReceivedSpan } from './model';
import type { TraceStore } from './store';

/**
 * The bounded queue between the receivers and the store. A request's spans wait here until the next
 * write, which takes every waiting request in one transaction (group commit: under load, fewer and larger
 * transactions); the request is answered once its transaction committed. When the spans waiting pass
 * `maxQueuedSpans`, a request is refused at once (the receiver answers 429 with Retry-After) rather than
 * held: memory stays bounded and the exporter retries later.
 */
export interface IngestOptions {
  maxQueuedSpans: number;
  /** Spans written per transaction at most (a larger backlog is written in several). */
  maxSpansPerWrite?: number;
  /** Told the ids of the traces each write changed. */
  onStored?: (traceIds: string[]) => void;
  onError?: (error: Error) => void;
}

interface Waiting {
  spans: readonly ReceivedSpan[];
  done: (error: Error | null) => void;
}

export class IngestQueue {
  private waiting: Waiting[] = [];
  private queuedSpans = 0;
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly store: TraceStore,
    private readonly options: IngestOptions,
  ) {}

  /** Whether a request of `count` spans would be refused now. */
  full(count: number): boolean {
    return this.closed || (this.queuedSpans > 0 && this.queuedSpans + count > this.options.maxQueuedSpans);
  }

  get backlog(): number {
    return this.queuedSpans;
  }

  /** Resolves once the spans are committed; rejects if the store failed (or the queue is full: check `full` first). */
  submit(spans: readonly ReceivedSpan[]): Promise<void> {
    if (spans.length === 0) return Promise.resolve();
    if (this.full(spans.length)) return Promise.reject(new Error('ingest queue full'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ spans, done: (error) => (error ? reject(error) : resolve()) });
      this.queuedSpans += spans.length;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate: the requests whose bodies arrived in this turn of the event loop join the same write.
    setImmediate(() => {
      this.scheduled = false;
      this.write();
    });
  }

  private write(): void {
    const limit = this.options.maxSpansPerWrite ?? 20_000;
    const batch: Waiting[] = [];
    let count = 0;
    while (this.waiting.length > 0 && (batch.length === 0 || count + this.waiting[0].spans.length <= limit)) {
      const next = this.waiting.shift()!;
      batch.push(next);
      count += next.spans.length;
    }
    this.queuedSpans -= count;
    let failure: Error | null = null;
    let traceIds: string[] = [];
    try {
      traceIds = this.store.ingest(batch.map((w) => w.spans));
    } catch (error) {
      failure = error as Error;
      this.options.onError?.(failure);
    }
    for (const w of batch) w.done(failure);
    if (traceIds.length > 0) this.options.onStored?.(traceIds);
    if (this.waiting.length > 0) this.schedule();
  }

  /** Refuses new requests; what is waiting is still written. */
  close(): void {
    this.closed = true;
    while (this.waiting.length > 0) this.write();
  }
}
