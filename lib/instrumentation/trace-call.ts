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
 * - `observe` attaches to the result (promise, APIPromise, stream) without replacing it; if it fails,
 *   the span ends and the app still gets the SDK's own result.
 */
export function traceCall<R>(
  runtime: CallRuntime,
  record: CallRecord,
  readRequest: (record: CallRecord) => void,
  invoke: () => R,
  observe: (result: R, call: LlmCall) => void,
): R {
  const parent = context.active();
  if (isTracingSuppressed(parent) || isInsideLlmCall(parent)) return invoke();
  let call: LlmCall;
  try {
    call = new LlmCall(runtime, record, parent);
    if (call.recording) readRequest(record);
  } catch (err) {
    diag.debug('@infinium/otel: could not start an LLM span', err);
    return invoke();
  }
  return runInCall(call, invoke, observe);
}

/**
 * Runs the SDK method inside an already started call: a synchronous throw fails the span and is rethrown
 * as it is; the result is handed to `observe` and returned unchanged. Also used where a helper started the
 * call's span before the SDK method ran (Anthropic's `messages.stream()`).
 */
export function runInCall<R>(call: LlmCall, invoke: () => R, observe: (result: R, call: LlmCall) => void): R {
  let result: R;
  try {
    result = context.with(call.context, invoke);
  } catch (error) {
    call.fail(error);
    throw error;
  }
  try {
    observe(result, call);
  } catch (err) {
    diag.debug('@infinium/otel: could not observe an LLM call result', err);
    call.succeed();
  }
  return result;
}

/**
 * Observes a plain promise result on the side. The side chain handles its own rejection, so it adds no
 * unhandled rejection; the app's own chain on the original promise is untouched.
 */
export function observePromise<T>(promise: PromiseLike<T>, call: LlmCall, onValue: (value: T) => void): void {
  promise.then(
    (value) => {
      try {
        onValue(value);
      } catch (err) {
        diag.debug('@infinium/otel: could not read an LLM response', err);
        call.succeed();
      }
    },
    (error: unknown) => call.fail(error),
  );
}

/** True for promises and promise-likes (`APIPromise` included). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}
