import { Context, context, createContextKey, diag } from '@opentelemetry/api';
import { isTracingSuppressed } from '../../compat/sdk-shared';
import { isInsideLlmCall } from '../../instrumentation/call-context';
import { LlmCall } from '../../instrumentation/llm-call';
import { asRecord } from '../../record/read';
import { runInCall } from '../../instrumentation/trace-call';
import { observeStainlessResult, stainlessCallRecord, stainlessMethodWrapper, StainlessOperation } from '../stainless/traced-method';
import type { AnyFunction, PatchHost } from '../types';

/**
 * `messages.stream()` (and `beta.messages.stream()`) builds a `MessageStream` that calls `create({stream:
 * true})` synchronously. Tracing only `create` would give one span, but the SDK's own tracing starts its
 * `anthropic.messages.create` span in the helper, *before* `create`: that span would then be our sibling,
 * and the span processor could no longer tell that it describes the same call (it leaves alone a GenAI span
 * started inside one of our LLM calls). So `stream()` starts our span first, runs the helper inside our
 * call, and the helper's `create` adopts the call instead of starting a second one: still one span per
 * call, and the SDK's span is its child.
 */
const PENDING_STREAM_CALL = createContextKey('@infinium/otel anthropic stream helper call');

interface PendingCall {
  readonly call: LlmCall;
  /** Set once a `create` took the call over (or the helper returned without calling `create`). */
  taken: boolean;
}

export function messagesStreamWrapper(host: PatchHost, op: StainlessOperation): (original: AnyFunction) => AnyFunction {
  return (original) =>
    function tracedStream(this: unknown, ...args: unknown[]) {
      const resource = this;
      const parent = context.active();
      if (isTracingSuppressed(parent) || isInsideLlmCall(parent)) return original.apply(resource, args);
      let pending: PendingCall;
      try {
        // The record `create`'s wrapper would start, endpoint included.
        const record = stainlessCallRecord(op, resource, asRecord(args[0]));
        pending = { call: new LlmCall(host.runtime, record, parent), taken: false };
      } catch (err) {
        diag.debug('@infinium/otel: could not start an LLM span', err);
        return original.apply(resource, args);
      }
      // Inside our call (our span active, the LLM-call marker set), so the SDK's span is our child and the
      // span processor knows it for the same call.
      const helperContext = pending.call.context.setValue(PENDING_STREAM_CALL, pending);
      let result: unknown;
      try {
        result = context.with(helperContext, () => original.apply(resource, args));
      } catch (error) {
        if (!pending.taken) pending.call.fail(error);
        pending.taken = true;
        throw error;
      }
      if (!pending.taken) {
        // An SDK generation whose helper does not call `create` right away: end the span rather than leak it.
        pending.taken = true;
        pending.call.abandon();
      }
      emitInAppContext(result, parent);
      return result;
    };
}

/**
 * The helper keeps running in the context it started in, so its event listeners (`on('text')`,
 * `on('finalMessage')`, …), which are app code, would run inside our call, where a patched method passes
 * straight through: an LLM call made from a listener would go untraced. `_emit` is where every listener
 * is called, so on this instance it runs in the app's context instead. Nothing else changes.
 */
function emitInAppContext(helper: unknown, appContext: Context): void {
  try {
    const emit = (helper as { _emit?: unknown } | null)?._emit;
    if (typeof emit !== 'function') return;
    Object.defineProperty(helper, '_emit', {
      value: function emitInContext(this: unknown, ...args: unknown[]) {
        return context.with(appContext, () => emit.apply(this, args));
      },
      configurable: true,
      writable: true,
    });
  } catch (err) {
    diag.debug('@infinium/otel: could not restore the app context for stream helper events', err);
  }
}

/** The wrapper for `Messages.prototype.create`: the Stainless one, plus adopting a `stream()` helper's call. */
export function messagesCreateWrapper(host: PatchHost, op: StainlessOperation): (original: AnyFunction) => AnyFunction {
  const traced = stainlessMethodWrapper(host, op);
  return (original) => {
    const tracedCreate = traced(original);
    return function tracedMessagesCreate(this: unknown, ...args: unknown[]) {
      const pending = context.active().getValue(PENDING_STREAM_CALL) as PendingCall | undefined;
      if (!pending || pending.taken) return tracedCreate.apply(this, args);
      pending.taken = true;
      return continueCall(host, pending.call, op, () => original.apply(this, args), asRecord(args[0]));
    };
  };
}

/** What `traceCall` does after starting a span, for a call whose span `stream()` already started. */
function continueCall(host: PatchHost, call: LlmCall, op: StainlessOperation, invoke: () => unknown, body: Record<string, unknown> | undefined): unknown {
  try {
    if (call.recording && body) op.readRequest(call.record, body);
  } catch (err) {
    diag.debug('@infinium/otel: could not read an LLM request', err);
  }
  // stream() always asks create() for a stream; a non-stream answer is still read by the observer.
  return runInCall(call, invoke, (result) => observeStainlessResult(host, op, result, call, true));
}
