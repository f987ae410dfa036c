import type { LlmCall } from '../../instrumentation/llm-call';
import { endOnControllerAbort } from '../../instrumentation/stream-abort';
import { ChunkReader, StreamWatcher } from '../../instrumentation/stream-wrapper';

/**
 * The Stainless `Stream` (OpenAI, Anthropic) keeps a private `iterator` factory that `[Symbol.asyncIterator]`,
 * `tee()` and `toReadableStream()` all go through. We wrap that factory on the instance, so the app keeps
 * the SDK's own object (its class, `controller`, `tee()`, `toReadableStream()`), and every way of reading it
 * passes through the one stream wrapper.
 */
interface StainlessStream {
  iterator: () => AsyncIterator<unknown>;
  controller?: unknown;
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
  const watcher = new StreamWatcher<Chunk>(call, reader);
  value.iterator = watcher.iteratorFactory(value.iterator);
  endOnControllerAbort(value.controller, watcher);
  watcher.watchCollection(value);
  return true;
}
