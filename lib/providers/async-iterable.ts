import type { LlmCall } from '../instrumentation/llm-call';
import { isReadableStream, watchReadableStream } from '../instrumentation/readable-stream';
import { AbortSource, endOnAbort } from '../instrumentation/stream-abort';
import { ChunkReader, StreamWatcher } from '../instrumentation/stream-wrapper';

/**
 * For SDKs whose stream is an async iterable object read through its own `[Symbol.asyncIterator]` (the AWS
 * event stream, Fern's `Stream` in cohere-ai, Mistral's `EventStream`, Ollama's `AbortableAsyncIterator`):
 * that method is replaced on the instance by one that hands out the one stream wrapper's iterator, so the
 * app keeps the SDK's object and every `for await` over it is watched. `abort` is where the request's
 * abort comes from, when known: the app's signal, or the SDK's own controller. A stream that is a WHATWG
 * `ReadableStream` (Mistral's) also has its other readers (`getReader()`, `tee()`, pipes) sent through the
 * same watcher (readable-stream.ts). Returns false when `value` is not an async iterable object; the
 * caller then ends the span itself.
 */
export function watchAsyncIterable<Chunk>(value: unknown, call: LlmCall, reader: ChunkReader<Chunk>, abort?: AbortSource): boolean {
  const source = value as AsyncIterable<Chunk> | null | undefined;
  if (!source || typeof source !== 'object' || typeof source[Symbol.asyncIterator] !== 'function') return false;
  const watcher = new StreamWatcher<Chunk>(call, reader);
  Object.defineProperty(source, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    value: watcher.iteratorFactory(source[Symbol.asyncIterator]),
  });
  if (isReadableStream(source)) watchReadableStream(source, watcher as StreamWatcher<unknown>);
  endOnAbort(abort, watcher);
  watcher.watchCollection(source);
  return true;
}

/** `watchAsyncIterable` for a call that resolves to the stream object: returns it, and ends the span at once when it is not one. */
export function watchIterableInPlace<Chunk>(value: unknown, call: LlmCall, reader: ChunkReader<Chunk>, abort?: AbortSource): unknown {
  if (!watchAsyncIterable(value, call, reader, abort)) call.succeed();
  return value;
}
