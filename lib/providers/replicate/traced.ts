import { Context, context, createContextKey, diag } from '@opentelemetry/api';
import type { LlmCall } from '../../instrumentation/llm-call';
import { endOnSignalAbort } from '../../instrumentation/stream-abort';
import { StreamWatcher } from '../../instrumentation/stream-wrapper';
import { isThenable, observePromise, traceCall } from '../../instrumentation/trace-call';
import { CallRecord, createCallRecord } from '../../record/call-record';
import { endpointOf } from '../../record/endpoint';
import { asRecord } from '../../record/read';
import type { AnyFunction, PatchHost } from '../types';
import { predictionFailure, readPrediction } from './prediction';
import { ReplicateEventReader } from './stream';

/**
 * One Replicate model execution is one LLM span, however many HTTP requests it takes. `run` creates a
 * prediction and then polls it (`wait` → `predictions.get` every 500 ms) and may cancel it; `stream`
 * creates one and reads its SSE stream. Those inner calls go through the same patched methods, so the
 * outer call's record is put in the context its SDK code runs in (`PREDICTION_CALL_KEY`): an inner
 * `predictions.create/get/cancel` or `wait` there makes no span, and the predictions it returns are read
 * into that record (id, output, token metrics), the last one last. Called by the app itself,
 * `predictions.create` and `wait` are spans of their own; `predictions.get`/`cancel` are status reads, not
 * model calls, and make none.
 */
const PREDICTION_CALL_KEY = createContextKey('@infinium/otel replicate prediction call');

export interface ReplicateOperation {
  /** `owner/name[:version]`, as the call names it. */
  model(args: unknown[]): string | undefined;
  readRequest(record: CallRecord, args: unknown[]): void;
  /**
   * What the call resolves to: `prediction` (create, wait: read it, and a failed status fails the span),
   * `output` (run: the output, already read from the predictions it polled), `stream` (an async generator
   * of server-sent events), or `none` (a status read, traced only as part of a call above).
   */
  readonly result: 'prediction' | 'output' | 'stream' | 'none';
  /**
   * Where the call takes an app callback the SDK calls while the model runs (`run`'s `progress`, `wait`'s
   * `stop`). It runs in the app's context, not the call's: a model call it makes is a span of its own, and
   * its predictions are not read into this call.
   */
  readonly appCallbackAt?: number;
}

export const REPLICATE_PROVIDER = 'replicate';

/** `clientOf`: the `Replicate` client a call belongs to (its `baseUrl` is the server), from the object it is called on. */
export function replicateWrapper(host: PatchHost, op: ReplicateOperation, clientOf: (self: unknown) => unknown = (self) => self): (original: AnyFunction) => AnyFunction {
  return (original) =>
    function tracedReplicateCall(this: unknown, ...args: unknown[]) {
      const self = this;
      const outer = context.active().getValue(PREDICTION_CALL_KEY) as CallRecord | undefined;
      if (outer !== undefined) return readInto(outer, original.apply(self, args));
      if (op.result === 'none') return original.apply(self, args);
      let record: CallRecord;
      try {
        record = createCallRecord('LLM', 'generate_content', REPLICATE_PROVIDER, REPLICATE_PROVIDER);
        record.requestModel = op.model(args);
        record.server = endpointOf(asRecord(clientOf(self))?.baseUrl);
      } catch {
        return original.apply(self, args);
      }
      const callArgs = op.appCallbackAt === undefined ? args : inContext(args, op.appCallbackAt, context.active());
      let inner: Context | undefined;
      return traceCall(
        host.runtime,
        record,
        (r) => op.readRequest(r, args),
        () => {
          inner = context.active().setValue(PREDICTION_CALL_KEY, record);
          return context.with(inner, () => original.apply(self, callArgs));
        },
        (result, call) => observe(op, result, call, inner!, args),
      );
    };
}

/** `args` with the function at `at` (if it is one) called in `ctx`, with its own `this`, arguments and result. */
function inContext(args: unknown[], at: number, ctx: Context): unknown[] {
  const callback = args[at];
  if (typeof callback !== 'function') return args;
  const copy = [...args];
  copy[at] = function inAppContext(this: unknown, ...callbackArgs: unknown[]) {
    return context.with(ctx, () => callback.apply(this, callbackArgs));
  };
  return copy;
}

/** An inner call's prediction, read into the outer call's record when it arrives; the SDK gets its own promise. */
function readInto(record: CallRecord, result: unknown): unknown {
  if (isThenable(result)) result.then((value) => readSafely(record, value), ignore);
  return result;
}

/** In a reaction nobody else handles: a reader's throw must not become an unhandled rejection. */
function readSafely(record: CallRecord, value: unknown): void {
  try {
    readPrediction(record, value);
  } catch (err) {
    diag.debug('@infinium/otel: could not read a Replicate prediction', err);
  }
}

function ignore(): void {}

function observe(op: ReplicateOperation, result: unknown, call: LlmCall, inner: Context, args: unknown[]): unknown {
  if (op.result === 'stream') return watchEvents(result, call, inner, asRecord(args[1])?.signal);
  if (!isThenable(result)) return call.succeed();
  return observePromise(result, call, (value) => {
    if (op.result !== 'prediction') {
      // `run`'s output, when no prediction reached this call (a client built before the instrumentation: its
      // `predictions` is the SDK's own). Text only: files come back as FileOutput streams.
      if (call.record.outputMessages.length === 0) readPrediction(call.record, { output: value });
      return call.succeed();
    }
    readPrediction(call.record, value);
    const failure = predictionFailure(value);
    if (failure) call.fail(failure);
    else call.succeed();
  });
}

/**
 * `stream()` is an async generator method: it returns at once, and its body (creating the prediction,
 * opening the SSE stream) runs on the app's first `next()`, in the app's context. The app gets our
 * iterator, which resumes the generator in the call's context (so its `predictions.create` is read into
 * this call, not traced again) and ends the span on end, error, `break`, abort or collection unread.
 */
function watchEvents(value: unknown, call: LlmCall, inner: Context, signal: unknown): unknown {
  const source = value as AsyncIterableIterator<unknown> | undefined;
  if (!source || typeof source.next !== 'function') {
    call.succeed();
    return value;
  }
  const watcher = new StreamWatcher<unknown>(call, new ReplicateEventReader(call.record));
  const wrapped = watcher.wrapIterator(new ContextBoundIterator(source, inner), source);
  watcher.watchCollection(wrapped);
  endOnSignalAbort(signal, watcher);
  return wrapped;
}

/** Runs each step of an async iterator in one context. */
class ContextBoundIterator<T> implements AsyncIterator<T> {
  constructor(
    private readonly inner: AsyncIterator<T>,
    private readonly ctx: Context,
  ) {}

  next(value?: unknown): Promise<IteratorResult<T>> {
    return context.with(this.ctx, () => (value === undefined ? this.inner.next() : this.inner.next(value)));
  }

  return(value?: unknown): Promise<IteratorResult<T>> {
    const inner = this.inner;
    if (typeof inner.return !== 'function') return Promise.resolve({ done: true, value } as IteratorResult<T>);
    return context.with(this.ctx, () => inner.return!(value));
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    const inner = this.inner;
    if (typeof inner.throw !== 'function') return Promise.reject(error);
    return context.with(this.ctx, () => inner.throw!(error));
  }
}
