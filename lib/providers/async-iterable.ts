import type { LlmCall } from '../instrumentation/llm-call';
import { ChunkReader, StreamWatcher } from '../instrumentation/stream-wrapper';
import { endOnAbort } from './stainless/stream';

/**
 * For SDKs whose stream is a plain async iterable (the AWS event stream, Fern's `Stream` in cohere-ai):
 * the object's own `[Symbol.asyncIterator]` is replaced by one that hands out the one stream wrapper's
 * iterator, so the app keeps the SDK's object and every `for await` over it is watched. `signal` is the
 * request's abort signal, when the SDK exposes it. Returns false when `value` is not an async iterable;
 * the caller then ends the span itself.
 */
export function watchAsyncIterable<Chunk>(value: unknown, call: LlmCall, reader: ChunkReader<Chunk>, signal?: unknown): boolean {
  const source = value as AsyncIterable<Chunk> | null | undefined;
  if (!source || typeof source !== 'object' || typeof source[Symbol.asyncIterator] !== 'function') return false;
  const watcher = new StreamWatcher<Chunk>(call, reader);
  const original = source[Symbol.asyncIterator];
  Object.defineProperty(source, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    value: function tracedIterator(this: unknown) {
      return watcher.wrapIterator(original.call(this) as AsyncIterator<Chunk>, source);
    },
  });
  endOnAbort(signal as AbortSignal | undefined, watcher);
  watcher.watchCollection(source);
  return true;
}
