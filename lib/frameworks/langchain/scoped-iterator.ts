import { Context, context, diag } from '@opentelemetry/api';

/** The prototype every async generator inherits from: `Symbol.asyncIterator` (and, where Node has it, `Symbol.asyncDispose`). */
const ASYNC_ITERATOR_PROTOTYPE: object = Object.getPrototypeOf(Object.getPrototypeOf((async function* () {}).prototype));

/**
 * An async iterator whose every step runs in `scopeContext`. An async generator's body runs inside the
 * `next()` that resumes it, so this is what puts a run's scope around the body of a generator method
 * (`_streamIterator`, `_transformStreamWithConfig`) however its consumer calls it. Values, `done` and
 * errors are the inner iterator's own. A `return()` before the inner iterator finished (the app broke out
 * of `.stream()`) calls `onAbandon` first: LangChain ends no run then (LangGraph fails its running nodes
 * with an AbortError), so ours end as abandoned. When the inner iterator finishes (done or failed)
 * `onAbandon` runs too: LangChain has ended the scope's runs by then, and any it left open must not
 * outlive the stream.
 */
class ScopedAsyncIterator<T> {
  /** The inner iterator said done or failed: a later `return()` abandons nothing. */
  private finished = false;

  constructor(
    private readonly inner: AsyncIterator<T>,
    private readonly scopeContext: Context,
    private readonly onAbandon: () => void,
  ) {}

  next(...args: [] | [unknown]): Promise<IteratorResult<T>> {
    return this.follow(context.with(this.scopeContext, () => this.inner.next(...args)));
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    const inner = this.inner;
    // An iterator without throw() (not a generator) gets the default: the error, after closing it.
    if (typeof inner.throw !== 'function') return this.return(undefined).then(() => Promise.reject(error));
    return this.follow(context.with(this.scopeContext, () => inner.throw!(error)));
  }

  return(value?: unknown): Promise<IteratorResult<T>> {
    // Before the inner return(): what it unwinds (LangGraph aborts its running nodes) then fails runs that
    // have already ended as abandoned, not as errors of the app.
    this.finish();
    const inner = this.inner;
    if (typeof inner.return !== 'function') return Promise.resolve({ done: true, value } as IteratorResult<T>);
    return context.with(this.scopeContext, () => inner.return!(value));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private follow(step: Promise<IteratorResult<T>>): Promise<IteratorResult<T>> {
    return Promise.resolve(step).then(
      (result) => {
        if (result?.done) this.finish();
        return result;
      },
      (error: unknown) => {
        this.finish();
        throw error;
      },
    );
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.abandon();
  }

  private abandon(): void {
    try {
      this.onAbandon();
    } catch (err) {
      diag.debug('@infinium/otel: ending the runs of an abandoned LangChain stream failed', err);
    }
  }
}
Object.setPrototypeOf(ScopedAsyncIterator.prototype, ASYNC_ITERATOR_PROTOTYPE);

/**
 * `generator` with each of its steps in `scopeContext`; anything that is not an async iterator is returned
 * as it is (a subclass's override may return something else).
 */
export function scopedAsyncIterator<T>(generator: unknown, scopeContext: Context, onAbandon: () => void): unknown {
  const candidate = generator as Partial<AsyncIterator<T>> | null | undefined;
  if (!candidate || typeof candidate !== 'object' || typeof candidate.next !== 'function') return generator;
  return new ScopedAsyncIterator<T>(candidate as AsyncIterator<T>, scopeContext, onAbandon);
}
