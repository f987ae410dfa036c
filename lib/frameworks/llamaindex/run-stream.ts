import { diag } from '@opentelemetry/api';

/** What a streamed run's span needs to hear from its stream. */
export interface StreamEnds {
  chunk(value: unknown): void;
  /** Read to its end. */
  done(): void;
  failed(error: unknown): void;
  /** Left before its end (`break`, `return()`). */
  abandoned(): void;
}

/**
 * Watches a streamed engine response in place: the app keeps LlamaIndex's own object (an async generator),
 * whose `next`, `return` and `throw` are replaced on the object by ones that report to `ends` and return
 * what the originals return. An iterable that is not itself an iterator has its `[Symbol.asyncIterator]`
 * replaced instead, so that each iterator it hands out is watched. Returns false when `stream` is neither.
 * A stream the app drops without `return()` (read in part with `next()`, or never) is `abandoned` when
 * garbage-collected: nothing else would ever end its run.
 */
export function watchRunStream(stream: unknown, ends: StreamEnds): boolean {
  if (!stream || typeof stream !== 'object') return false;
  const target = stream as Record<PropertyKey, unknown>;
  const readers = new Readers(ends);
  if (typeof target.next === 'function') {
    tapIterator(target, readers);
    return true;
  }
  const iterate = target[Symbol.asyncIterator];
  if (typeof iterate !== 'function') return false;
  readers.watch(target);
  Object.defineProperty(target, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    value: function watchedIterator(this: unknown, ...args: unknown[]) {
      const iterator = (iterate as (...a: unknown[]) => unknown).apply(this, args);
      if (iterator && typeof iterator === 'object') tapIterator(iterator as Record<PropertyKey, unknown>, readers);
      return iterator;
    },
  });
  return true;
}

/**
 * The objects through which one stream can still be read (the iterable and each iterator it handed out, or
 * the one iterator): when the last is collected, the run is abandoned (a no-op once it has ended). Held by
 * the registry, so it must never reach a watched object (it holds only `ends`, whose closures hold the run).
 */
class Readers {
  private live = 0;

  constructor(private readonly ends: StreamEnds) {}

  watch(reader: object): void {
    this.live += 1;
    collected.register(reader, this);
  }

  dropped(): void {
    this.live -= 1;
    if (this.live === 0) this.report('abandoned');
  }

  /** Tells `ends`; what it throws is ours, never the app's (a registry callback's throw would be uncaught). */
  report(what: keyof StreamEnds, value?: unknown): void {
    try {
      this.ends[what](value);
    } catch (err) {
      diag.debug(`@infinium/otel: LlamaIndex stream ${what} failed`, err);
    }
  }
}

const collected = new FinalizationRegistry<Readers>((readers) => readers.dropped());

function tapIterator(iterator: Record<PropertyKey, unknown>, readers: Readers): void {
  readers.watch(iterator);
  const report = (what: keyof StreamEnds, value?: unknown) => readers.report(what, value);
  /** The step's promise as the app gets it (the same settlement), reported on the side. */
  const observe = (step: unknown): unknown => {
    if (!step || typeof (step as PromiseLike<unknown>).then !== 'function') return step;
    (step as PromiseLike<IteratorResult<unknown>>).then(
      (result) => (result?.done ? report('done') : report('chunk', result?.value)),
      (error: unknown) => report('failed', error),
    );
    return step;
  };
  for (const name of ['next', 'throw'] as const) {
    const original = iterator[name];
    if (typeof original !== 'function') continue;
    Object.defineProperty(iterator, name, {
      configurable: true,
      writable: true,
      value: function watchedStep(this: unknown, ...args: unknown[]) {
        return observe((original as (...a: unknown[]) => unknown).apply(this, args));
      },
    });
  }
  const originalReturn = iterator.return;
  if (typeof originalReturn !== 'function') return;
  Object.defineProperty(iterator, 'return', {
    configurable: true,
    writable: true,
    value: function watchedReturn(this: unknown, ...args: unknown[]) {
      // The run ends as left unfinished before the generator unwinds (an end after done changes nothing).
      report('abandoned');
      return (originalReturn as (...a: unknown[]) => unknown).apply(this, args);
    },
  });
}
