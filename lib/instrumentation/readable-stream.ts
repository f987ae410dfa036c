import { diag } from '@opentelemetry/api';
import type { StreamWatcher } from './stream-wrapper';

/**
 * An SDK stream that is a WHATWG `ReadableStream` (Mistral's `EventStream`) is read in more ways than
 * `for await`: `getReader()`, `values()`, `tee()`, `pipeTo()`, `pipeThrough()`, `cancel()`. Node runs those
 * on the stream's internal slots, never through its `[Symbol.asyncIterator]`, so each one bypassed the
 * stream wrapper: a stream read to its end through `getReader()` ended its span only when collected, as
 * abandoned, without output; an error it gave the app left the span UNSET.
 *
 * So these methods are replaced on the instance (the app keeps the SDK's object and class) by shared
 * functions that send every read through the same `StreamWatcher`:
 * - `getReader()` returns the runtime's own reader, whose `read()` and `cancel()` report to the watcher;
 * - `values()` is the watcher's iterator over the runtime's;
 * - `tee()`, `pipeTo()` and `pipeThrough()` run on a stream made from that watched iterator, which the
 *   runtime reads exactly as it would the original (what the original holds, errors and cancellation pass
 *   through it unchanged);
 * - `cancel()` of an unlocked stream abandons it.
 * Where the runtime would refuse the call (a locked stream, a destination that is not a stream), the
 * runtime's own method runs, so the app gets its own error. The functions are shared and find the watcher
 * on the object: nothing made per stream reaches the stream (see `StreamWatcher` on what that costs).
 */
const WATCHER = Symbol('@infinium/otel readable watcher');

type Watched<T> = T & { [WATCHER]?: StreamWatcher<unknown> };
type Stream = Watched<ReadableStream<unknown>>;
type PipeOptions = StreamPipeOptions | undefined;

const native = ReadableStream.prototype;
/** Node has these; TypeScript's DOM library does not declare them. */
const nativeValues = (native as unknown as { values(this: ReadableStream<unknown>, options?: { preventCancel?: boolean }): AsyncIterableIterator<unknown> }).values;
const fromIterable = (ReadableStream as unknown as { from?(iterable: AsyncIterable<unknown>): ReadableStream<unknown> }).from;
const nativeRead = ReadableStreamDefaultReader.prototype.read;
const nativeReaderCancel = ReadableStreamDefaultReader.prototype.cancel;
const nativeReleaseLock = ReadableStreamDefaultReader.prototype.releaseLock;

/** Routes every way of reading `stream` through `watcher`. */
export function watchReadableStream(stream: ReadableStream<unknown>, watcher: StreamWatcher<unknown>): void {
  const s = stream as Stream;
  s[WATCHER] = watcher;
  define(s, 'getReader', tracedGetReader);
  define(s, 'values', tracedValues);
  define(s, 'tee', tracedTee);
  define(s, 'pipeTo', tracedPipeTo);
  define(s, 'pipeThrough', tracedPipeThrough);
  define(s, 'cancel', tracedCancel);
}

export function isReadableStream(value: unknown): value is ReadableStream<unknown> {
  return typeof ReadableStream === 'function' && value instanceof ReadableStream;
}

function define(target: object, name: string, fn: (...args: never[]) => unknown): void {
  Object.defineProperty(target, name, { value: fn, writable: true, configurable: true, enumerable: false });
}

function tracedGetReader(this: Stream, options?: { mode?: string }): unknown {
  const reader = native.getReader.call(this, options as undefined) as Watched<ReadableStreamDefaultReader<unknown>>;
  const watcher = this[WATCHER];
  // A BYOB reader (byte streams only) reads buffers, not the SDK's chunks: it is left as it is.
  if (watcher && options?.mode === undefined) {
    try {
      reader[WATCHER] = watcher;
      define(reader, 'read', tracedRead);
      define(reader, 'cancel', tracedReaderCancel);
      define(reader, 'releaseLock', tracedReleaseLock);
    } catch (err) {
      diag.debug('@infinium/otel: could not watch a stream reader', err);
    }
  }
  return reader;
}

function tracedRead(this: Watched<ReadableStreamDefaultReader<unknown>>): Promise<ReadableStreamReadResult<unknown>> {
  const watcher = this[WATCHER];
  if (!watcher) return nativeRead.call(this);
  watcher.readStarted();
  let pending: Promise<ReadableStreamReadResult<unknown>>;
  try {
    pending = nativeRead.call(this);
  } catch (error) {
    return watcher.readFailed(error);
  }
  return pending.then(
    (result) => watcher.readResult(result) as ReadableStreamReadResult<unknown>,
    // A read the reader's `releaseLock()` cut short failed the reader, not the stream.
    (error: unknown) => (this[WATCHER] === watcher ? watcher.readFailed(error) : watcher.readWithdrawn(error)),
  );
}

/**
 * A released reader no longer reads the stream: its reads and `cancel()` then fail with the runtime's own
 * errors and say nothing about the stream, which the app may read on through another reader.
 */
function tracedReleaseLock(this: Watched<ReadableStreamDefaultReader<unknown>>): void {
  nativeReleaseLock.call(this);
  this[WATCHER] = undefined;
}

function tracedReaderCancel(this: Watched<ReadableStreamDefaultReader<unknown>>, reason?: unknown): Promise<void> {
  this[WATCHER]?.abandon();
  return nativeReaderCancel.call(this, reason);
}

function tracedValues(this: Stream, options?: { preventCancel?: boolean }): AsyncIterableIterator<unknown> {
  const inner = nativeValues.call(this, options);
  const watcher = this[WATCHER];
  return watcher ? watcher.wrapIterator(inner, this) : inner;
}

function tracedCancel(this: Stream, reason?: unknown): Promise<void> {
  if (!this.locked) this[WATCHER]?.abandon();
  return native.cancel.call(this, reason);
}

/**
 * A stream that reads `stream` through the watcher, for the runtime's own `tee`/pipe to run on; undefined
 * (use the runtime's method on the original) when the original is locked or there is no watcher.
 * `preventCancel` is passed to the original's iterator, so a stopped pipe cancels the original exactly
 * when the app asked for it. `release` lets go of the original (its lock) once a pipe is over.
 */
function watchedCopy(stream: Stream, preventCancel: boolean | undefined): { copy: ReadableStream<unknown>; release(): void } | undefined {
  const watcher = stream[WATCHER];
  if (!watcher || stream.locked || typeof fromIterable !== 'function') return undefined;
  const iterator = watcher.wrapIterator(nativeValues.call(stream, { preventCancel: preventCancel === true }), stream);
  const release = (): void => {
    iterator.return?.().catch(() => undefined);
  };
  return { copy: fromIterable.call(ReadableStream, iterator), release };
}

function tracedTee(this: Stream): [ReadableStream<unknown>, ReadableStream<unknown>] {
  const watched = watchedCopy(this, false);
  return watched ? watched.copy.tee() : native.tee.call(this);
}

function tracedPipeTo(this: Stream, destination: WritableStream<unknown>, options?: PipeOptions): Promise<void> {
  if (!(destination instanceof WritableStream) || destination.locked) return native.pipeTo.call(this, destination, options);
  return pipeWatched(this, destination, options) ?? native.pipeTo.call(this, destination, options);
}

function tracedPipeThrough(this: Stream, transform: ReadableWritablePair<unknown, unknown>, options?: PipeOptions): ReadableStream<unknown> {
  const { writable, readable } = (transform ?? {}) as Partial<ReadableWritablePair<unknown, unknown>>;
  if (!(writable instanceof WritableStream) || !(readable instanceof ReadableStream) || writable.locked) return native.pipeThrough.call(this, transform, options);
  const done = pipeWatched(this, writable, options);
  if (done === undefined) return native.pipeThrough.call(this, transform, options);
  // As the runtime's pipeThrough does: the pipe's own failure shows on the streams, not as a rejection.
  done.catch(() => undefined);
  return readable;
}

function pipeWatched(stream: Stream, destination: WritableStream<unknown>, options: PipeOptions): Promise<void> | undefined {
  const watched = watchedCopy(stream, options?.preventCancel);
  if (!watched) return undefined;
  const done = watched.copy.pipeTo(destination, options);
  // A pipe that stopped without cancelling its source leaves the original unlocked, as the runtime's does.
  if (options?.preventCancel) done.then(watched.release, watched.release);
  return done;
}
