import type { LlmCall } from '../../instrumentation/llm-call';
import { ChunkReader, StreamWatcher } from '../../instrumentation/stream-wrapper';

/**
 * The Stainless `Stream` (OpenAI, Anthropic) keeps a private `iterator` factory that `[Symbol.asyncIterator]`,
 * `tee()` and `toReadableStream()` all go through. We wrap that factory on the instance, so the app keeps
 * the SDK's own object (its class, `controller`, `tee()`, `toReadableStream()`), and every way of reading it
 * passes through the one stream wrapper.
 */
interface StainlessStream {
  iterator: () => AsyncIterator<unknown>;
  controller?: { signal?: AbortSignal };
}

export function isStainlessStream(value: unknown): value is StainlessStream {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { iterator?: unknown }).iterator === 'function' &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

/** Returns false when `value` is not a stream this module knows; the caller then ends the span itself. */
export function watchStainlessStream<Chunk>(value: unknown, call: LlmCall, reader: ChunkReader<Chunk>): boolean {
  if (!isStainlessStream(value)) return false;
  const stream = value;
  const watcher = new StreamWatcher<Chunk>(call, reader);
  stream.iterator = tracedIterator(stream.iterator, watcher);
  endOnAbort(stream.controller?.signal, watcher);
  watcher.watchCollection(stream);
  return true;
}

/**
 * Made in its own scope, which holds the original factory and the watcher only: a closure stored on the SDK
 * object must not reach that object (docs/performance.md). The stream is `this` when the SDK calls it.
 */
function tracedIterator<Chunk>(original: () => AsyncIterator<unknown>, watcher: StreamWatcher<Chunk>): () => AsyncIterator<unknown> {
  return function tracedIterator(this: object) {
    return watcher.wrapIterator(original.call(this) as AsyncIterator<Chunk>, this);
  };
}

/**
 * In its own function so that the listener's closure holds the watcher only: a closure created next to
 * `tracedIterator` would share its scope and keep the stream reachable from the signal (which fetch holds
 * while the body is open), and a stream dropped unread would then never be collected.
 */
export function endOnAbort<Chunk>(signal: AbortSignal | undefined, watcher: StreamWatcher<Chunk>): void {
  if (!signal || typeof signal.addEventListener !== 'function') return;
  if (signal.aborted) watcher.abort();
  else signal.addEventListener('abort', () => watcher.abort(), { once: true });
}
