import { diag } from '@opentelemetry/api';
import type { LlmCall } from './llm-call';
import { WatchedIterator, type ReadWatcher } from './watched-iterator';

/**
 * Provider adapters assemble a stream's output through this: one call per chunk as it passes, then one
 * call when the stream stops for any reason, so that partial output is kept on errors and abandons.
 */
export interface ChunkReader<Chunk> {
  onChunk(chunk: Chunk): void;
  onStop?(): void;
  /**
   * An error the stream reported in its data although the transport ended cleanly (a Responses
   * `response.failed` or `error` event): when set, the span ends as ERROR with it instead of OK/abandoned.
   */
  failure?(): unknown;
}

/**
 * The one stream wrapper. It watches an SDK stream's async iterator and ends the call's span exactly once:
 * - the iterator finishes: OK;
 * - it rejects (an API error mid-stream, a dropped connection): ERROR, the same error rethrown;
 * - the app calls `return()` (`break`) or `throw()`, aborts, or lets the stream be collected unread: abandoned.
 * Chunks reach the app unchanged and in order; reading a chunk never throws into the app.
 */
export class StreamWatcher<Chunk> implements ReadWatcher<Chunk> {
  /**
   * What the collection registry holds for this watcher, cut when the stream stops. The registration has
   * no unregister token (a token costs a hash-table entry per stream, and the unregister a lookup): the
   * registry keeps this small object until the stream is collected, and then finds nothing to do.
   */
  private readonly ref = new WatcherRef(this);
  /**
   * The call and its chunk reader, let go of when the stream stops. The SDK's stream object reaches this
   * watcher (through its patched iterator factory and its abort hook), and that object outlives the
   * call: the SDK or the runtime keeps it through weak references, which young-generation GCs treat as
   * strong. Were the span, the record and the assembled text still reachable from here, every stream
   * call's graph would be promoted to old space (about 4 KB per call, docs/performance.md).
   *
   * They are fields of this class, not an object literal `{ call, reader }`, and nothing else the SDK's
   * stream reaches is a literal either: V8 tracks the survival of objects per literal site, and a site
   * whose objects keep surviving is "pretenured", allocated straight in old space. A dead old object still
   * keeps the young objects it points to alive until the next full GC, so a pretenured holder of the call
   * promoted the whole call (Node 22: 7.0 KB per stream call instead of 3.7 KB, docs/performance.md).
   */
  private call: LlmCall | undefined;
  private reader: ChunkReader<Chunk> | undefined;
  /** Reads in flight, over every wrapped iterator (tee halves share one). */
  private pending = 0;
  private abortRequested = false;
  /** Undoes what watched the stream from outside (the app's abort signal's listener), once it stops. */
  private release: (() => void) | undefined;

  constructor(call: LlmCall, reader: ChunkReader<Chunk>) {
    this.call = call;
    this.reader = reader;
  }

  /**
   * Wraps one iterator. Created per iteration, so `tee()` and re-iteration all pass through here.
   * `owner` is the SDK's stream object: the iterator keeps it reachable, so that a stream being read is
   * never mistaken for one dropped unread (see `watchCollection`).
   */
  wrapIterator(inner: AsyncIterator<Chunk>, owner?: object): AsyncIterableIterator<Chunk> {
    return new WatchedIterator(this, inner, owner);
  }

  /**
   * An iterator factory to put on the SDK's stream object in place of its own (`stream.iterator`,
   * `[Symbol.asyncIterator]`): it wraps what `original` returns. The object is `this` when the SDK or the
   * app calls it, and becomes the iterator's owner. Made here so that its scope holds the watcher and
   * `original` only: a closure stored on an SDK object must never reach that object (docs/performance.md).
   */
  iteratorFactory(original: (...args: unknown[]) => unknown): (this: object, ...args: unknown[]) => AsyncIterableIterator<Chunk> {
    const watcher = this;
    return function tracedIterator(this: object, ...args: unknown[]) {
      return watcher.wrapIterator(original.apply(this, args) as AsyncIterator<Chunk>, this);
    };
  }

  /** A read began (`next()` on any wrapped iterator). */
  readStarted(): void {
    this.pending++;
  }

  /** A read gave a chunk or the end. */
  readResult(result: IteratorResult<Chunk>): IteratorResult<Chunk> {
    this.pending--;
    if (result.done) {
      if (this.abortRequested) this.abandon();
      else this.complete();
    } else {
      // The chunk is read here, not in a method of its own: this runs for every chunk, mostly before V8
      // has optimized it, where each call costs (docs/performance.md, "Two methods").
      const { call, reader } = this;
      if (call !== undefined && reader !== undefined) {
        call.touch();
        try {
          reader.onChunk(result.value);
        } catch (err) {
          diag.debug('@infinium/otel: could not read a stream chunk', err);
        }
      }
      if (this.abortRequested && this.pending === 0) this.abandon();
    }
    return result;
  }

  /** A read failed for its reader (released meanwhile), not for the stream: rethrown, the span left as it is. */
  readWithdrawn(error: unknown): never {
    this.pending--;
    throw error;
  }

  /** A read failed: the error is rethrown to the app as it is. */
  readFailed(error: unknown): never {
    this.pending--;
    if (this.abortRequested && isAbortError(error)) this.abandon();
    else this.stop((call) => call.fail(error));
    throw error;
  }

  /**
   * Ends the span as abandoned when `target` (the SDK's stream object) is garbage-collected before the
   * stream stopped: a stream that was never read still ends its span.
   */
  watchCollection(target: object): void {
    if (this.call === undefined) return;
    collectionRegistry.register(target, this.ref);
  }

  /**
   * The request's signal aborted. With no read in flight the span ends now, as abandoned. With one in
   * flight, that read decides: a dropped connection makes the SDK abort its own controller while the
   * network error unwinds, and that error must end the span as ERROR; a read that ends quietly (the SDK
   * swallows its own AbortError) ends it as abandoned, not OK.
   */
  abort(): void {
    if (this.call === undefined) return;
    if (this.pending === 0) this.abandon();
    else this.abortRequested = true;
  }

  /** Runs `release` when the stream stops, or now if it has. */
  whenStopped(release: () => void): void {
    if (this.call === undefined) release();
    else this.release = release;
  }

  /** The app gave up on the stream (break, return(), GC): ends now, as abandoned. */
  abandon(): void {
    this.stop((call, reader) => endUnlessFailedInBand(call, reader, () => call.abandon()));
  }

  private complete(): void {
    this.stop((call, reader) => endUnlessFailedInBand(call, reader, () => call.succeed()));
  }

  /** Stops watching, once: the reader closes its output, `end` ends the span, and the call is let go of. */
  private stop(end: (call: LlmCall, reader: ChunkReader<Chunk>) => void): void {
    const { call, reader } = this;
    if (call === undefined || reader === undefined) return;
    this.call = undefined;
    this.reader = undefined;
    this.ref.watcher = undefined;
    const release = this.release;
    this.release = undefined;
    release?.();
    try {
      reader.onStop?.();
    } catch (err) {
      diag.debug('@infinium/otel: could not finish a stream', err);
    }
    end(call, reader);
  }
}

/** Ends the call with `end`, unless the stream reported an error in its data: then it fails with it. */
function endUnlessFailedInBand(call: LlmCall, reader: ChunkReader<unknown>, end: () => void): void {
  let failure: unknown;
  try {
    failure = reader.failure?.();
  } catch (err) {
    diag.debug('@infinium/otel: could not read a stream failure', err);
  }
  if (failure === undefined) end();
  else call.fail(failure);
}

function isAbortError(error: unknown): boolean {
  return error !== null && typeof error === 'object' && (error as { name?: unknown }).name === 'AbortError';
}

/** A class, not an object literal: see the note on allocation sites in `StreamWatcher`. */
class WatcherRef {
  constructor(public watcher: { abandon(): void } | undefined) {}
}

const collectionRegistry = new FinalizationRegistry<WatcherRef>((ref) => ref.watcher?.abandon());
