import { context, diag } from '@opentelemetry/api';
import { isTracingSuppressed } from '../compat/sdk-shared';
import type { CallRecord } from '../record/call-record';
import { isInsideLlmCall } from './call-context';
import { CallRuntime, LlmCall } from './llm-call';

/**
 * Runs one SDK method call inside an LLM span. The shape every provider patch shares:
 * - nothing is traced when tracing is suppressed or we are already inside one of our calls;
 * - the request is read only when the span is recording (a sampler that drops it costs almost nothing);
 * - a synchronous throw fails the span and is rethrown as it is;
 * - `observe` attaches to the result (promise, APIPromise, stream); if it fails, the span ends and the app
 *   still gets the SDK's own result. It may hand back what the app gets instead: a native promise's
 *   follower that settles as it does (observePromise).
 */
export function traceCall<R>(
  runtime: CallRuntime,
  record: CallRecord,
  readRequest: (record: CallRecord) => void,
  invoke: () => R,
  observe: (result: R, call: LlmCall) => R | void,
): R {
  const parent = context.active();
  if (isTracingSuppressed(parent) || isInsideLlmCall(parent)) return invoke();
  let call: LlmCall;
  try {
    call = new LlmCall(runtime, record, parent);
  } catch (err) {
    diag.debug('@infinium/otel: could not start an LLM span', err);
    return invoke();
  }
  // Its own try: the span has started, so a request the adapter cannot read must not leave it open (the
  // call is still run inside it and ends it, with what the response tells).
  if (call.recording) {
    try {
      readRequest(record);
    } catch (err) {
      diag.debug('@infinium/otel: could not read an LLM request', err);
    }
  }
  return runInCall(call, invoke, observe);
}

/**
 * Runs the SDK method inside an already started call: a synchronous throw fails the span and is rethrown
 * as it is; the result is handed to `observe`, and the app gets what `observe` hands back, or the result
 * itself. Also used where a helper started the call's span before the SDK method ran (Anthropic's
 * `messages.stream()`).
 */
export function runInCall<R>(call: LlmCall, invoke: () => R, observe: (result: R, call: LlmCall) => R | void): R {
  let result: R;
  try {
    result = context.with(call.context, invoke);
  } catch (error) {
    call.fail(error);
    throw error;
  }
  try {
    const forApp = observe(result, call);
    if (forApp !== undefined) return forApp;
  } catch (err) {
    diag.debug('@infinium/otel: could not observe an LLM call result', err);
    call.succeed();
  }
  return result;
}

/** Observes an LLM call's promise result (`followPromise`) and returns what the app gets. */
export function observePromise<T>(promise: PromiseLike<T>, call: LlmCall, onValue: (value: T) => void): PromiseLike<T> {
  return followPromise(
    promise,
    (value) => {
      try {
        onValue(value);
      } catch (err) {
        diag.debug('@infinium/otel: could not read an LLM response', err);
        call.succeed();
      }
    },
    (error) => call.fail(error),
  );
}

/**
 * Runs `onValue` or `onError` when `promise` settles, and returns what the app gets.
 * - A native promise: our reaction's own promise, which settles as the original did (the same value, the
 *   same error object) right after the span has its outcome. A failure nobody handles is then still the
 *   app's unhandled rejection, as without us: a reaction on the side would have handled it, and hidden it.
 * - Any other thenable (an SDK's promise class with methods of its own, such as Cohere's
 *   `HttpResponsePromise`): returned as it is, so its methods stay; observed on the side.
 */
export function followPromise<T>(promise: PromiseLike<T>, onValue: (value: T) => void, onError: (error: unknown) => void): PromiseLike<T> {
  const follower = promise.then(
    (value) => {
      onValue(value);
      return value;
    },
    (error: unknown) => {
      onError(error);
      throw error;
    },
  );
  if (Object.getPrototypeOf(promise) === Promise.prototype) return follower;
  follower.then(undefined, ignoreRejection);
  return promise;
}

function ignoreRejection(): void {}

/** True for promises and promise-likes (`APIPromise` included). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}
