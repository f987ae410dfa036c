/**
 * What a `WatchedIterator` reports to: the `StreamWatcher` of its stream (stream-wrapper.ts), which counts
 * the reads in flight, reads each chunk and ends the span.
 */
export interface ReadWatcher<Chunk> {
  readStarted(): void;
  readResult(result: IteratorResult<Chunk>): IteratorResult<Chunk>;
  readFailed(error: unknown): never;
  abandon(): void;
}

/**
 * The iterator the app reads. Its methods are on the class, not closures made per stream: what the app's
 * `for await` call sites remember about the functions they call is then shared code, never a closure whose
 * scope reaches the SDK's iterator and stream (see docs/performance.md on what such closures cost in GC).
 */
export class WatchedIterator<Chunk> implements AsyncIterableIterator<Chunk> {
  private readonly onResult: (result: IteratorResult<Chunk>) => IteratorResult<Chunk>;
  private readonly onError: (error: unknown) => never;

  /**
   * `owner` (the SDK's stream) is held so that a stream being read is never taken for one dropped unread.
   * Both are let go of once the SDK's iterator is done (its end or its error): this iterator may be a
   * collection-registry target, which young-generation GCs treat as strong, and an SDK iterator that is an
   * async generator holds the whole response (Gemini: 1.3 KB more promoted per stream call while it was held).
   */
  constructor(
    private readonly watcher: ReadWatcher<Chunk>,
    private inner: AsyncIterator<Chunk>,
    private owner?: object,
  ) {
    this.onResult = (result) => {
      if (result.done) this.release();
      return watcher.readResult(result);
    };
    this.onError = (error) => {
      this.release();
      return watcher.readFailed(error);
    };
  }

  /** A done iterator answers as a finished generator does, without the SDK's. */
  private release(): void {
    this.inner = FINISHED;
    this.owner = undefined;
  }

  // One parameter, not a rest array: this runs for every chunk (`for await` passes no value).
  next(value?: unknown): Promise<IteratorResult<Chunk>> {
    let pending: Promise<IteratorResult<Chunk>>;
    this.watcher.readStarted();
    try {
      pending = value === undefined ? this.inner.next() : this.inner.next(value);
    } catch (error) {
      return this.onError(error);
    }
    return Promise.resolve(pending).then(this.onResult, this.onError);
  }

  return(value?: unknown): Promise<IteratorResult<Chunk>> {
    this.watcher.abandon();
    if (typeof this.inner.return === 'function') return this.inner.return(value);
    return Promise.resolve({ done: true, value } as IteratorResult<Chunk>);
  }

  throw(error?: unknown): Promise<IteratorResult<Chunk>> {
    this.watcher.abandon();
    if (typeof this.inner.throw === 'function') return this.inner.throw(error);
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Chunk> {
    return this;
  }
}

/** What a released `WatchedIterator` reads: a finished async generator's answers. */
const FINISHED: AsyncIterator<never> = {
  next: () => Promise.resolve({ done: true, value: undefined }),
  return: (value?: unknown) => Promise.resolve({ done: true, value: value as never }),
  throw: (error?: unknown) => Promise.reject(error),
};
