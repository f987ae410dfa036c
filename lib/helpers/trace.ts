import { Attributes, context, diag, Span, SpanStatusCode, trace as otelTrace, Tracer } from '@opentelemetry/api';
import { maskAttribute } from '../masking/mask';
import { resolveTraceConfig } from '../masking/trace-config';
import { errorMessageText, recordFailure } from '../masking/error-text';
import { MimeType, OI } from '../semconv/attributes';
import { safeJson } from '../record/json';
import { PACKAGE_VERSION } from '../version';
import { followPromise } from '../instrumentation/trace-call';

/** The OpenInference span kinds a traced function can have. */
export type TraceKind = 'CHAIN' | 'AGENT' | 'TOOL' | 'RETRIEVER' | 'RERANKER' | 'GUARDRAIL' | 'EVALUATOR' | 'PROMPT' | 'LLM' | 'EMBEDDING';

export interface TraceOptions {
  /** `openinference.span.kind`. Default `CHAIN`. */
  kind?: TraceKind;
  /** Default: the global tracer provider's tracer `@infinium/otel/trace`. */
  tracer?: Tracer;
  /** Extra attributes for every span of this function. */
  attributes?: Attributes;
}

/** The helper's own instrumentation scope, apart from the LLM spans' `@infinium/otel`. */
export const TRACE_HELPER_SCOPE = '@infinium/otel/trace';

type AnyFunction = (this: any, ...args: any[]) => any;

/**
 * Wraps `fn` so that each call runs in a new active span named `name` (Infinium's `@client.trace("…")`).
 * The span records the arguments as `input.value` and the result as `output.value`; an error sets status
 * ERROR and is rethrown unchanged. A sync function stays sync, an async one returns a promise that settles as its own does, and
 * `this` is passed through. If tracing itself fails, `fn` still runs as if unwrapped.
 */
export function trace<F extends AnyFunction>(name: string, fn: F, options: TraceOptions = {}): F {
  const kind = options.kind ?? 'CHAIN';
  const traced = function (this: unknown, ...args: unknown[]): unknown {
    let span: Span;
    try {
      const tracer = options.tracer ?? otelTrace.getTracer(TRACE_HELPER_SCOPE, PACKAGE_VERSION);
      span = tracer.startSpan(name, { attributes: { ...options.attributes, [OI.OPENINFERENCE_SPAN_KIND]: kind } });
      if (span.isRecording()) recordValue(span, OI.INPUT_VALUE, OI.INPUT_MIME_TYPE, args.length === 1 ? args[0] : args.length === 0 ? undefined : args);
    } catch (err) {
      diag.debug('@infinium/otel: trace() could not start a span', err);
      return fn.apply(this, args);
    }
    let result: unknown;
    try {
      const self = this;
      result = context.with(otelTrace.setSpan(context.active(), span), () => fn.apply(self, args));
    } catch (error) {
      fail(span, error);
      throw error;
    }
    const shape = resultKind(result);
    if (shape === 'promise') {
      // A native promise: the app gets our follower (a failure it never handles stays its unhandled
      // rejection); a promise class of its own keeps its methods and is observed on the side.
      return followPromise(
        result as Promise<unknown>,
        (value) => succeed(span, value),
        (error) => fail(span, error),
      );
    } else if (shape === 'thenable') {
      // Other thenables may run work on `then()` (lazy queries): never call it, end the span now.
      end(span, SpanStatusCode.OK);
    } else {
      succeed(span, result);
    }
    return result;
  };
  try {
    Object.defineProperty(traced, 'name', { value: fn.name, configurable: true });
  } catch {
    // The name is cosmetic.
  }
  return traced as F;
}

/**
 * What `fn` returned, as far as ending its span goes. A value that cannot be looked at (a revoked Proxy, a
 * throwing `then` getter) is not looked at again: the app gets it as it is, and the span ends now.
 */
function resultKind(result: unknown): 'promise' | 'thenable' | 'value' {
  try {
    if (result instanceof Promise) return 'promise';
    return result !== null && typeof (result as { then?: unknown })?.then === 'function' ? 'thenable' : 'value';
  } catch {
    return 'thenable';
  }
}

function succeed(span: Span, value: unknown): void {
  try {
    if (span.isRecording()) recordValue(span, OI.OUTPUT_VALUE, OI.OUTPUT_MIME_TYPE, value);
  } catch (err) {
    diag.debug('@infinium/otel: trace() could not record the result', err);
  }
  end(span, SpanStatusCode.OK);
}

function fail(span: Span, error: unknown): void {
  try {
    // Capped and without secrets, as on every span we write (masking/error-text.ts).
    const { maxAttributeLength } = resolveTraceConfig();
    recordFailure(span, error, errorMessageText(error, maxAttributeLength), maxAttributeLength);
    span.end();
  } catch (err) {
    diag.debug('@infinium/otel: trace() could not end its span', err);
  }
}

function end(span: Span, code: SpanStatusCode): void {
  try {
    span.setStatus({ code });
    span.end();
  } catch (err) {
    diag.debug('@infinium/otel: trace() could not end its span', err);
  }
}

/** A string is text/plain; anything else is JSON. The env's masking applies (the processor masks again with its own). */
function recordValue(span: Span, valueKey: string, mimeKey: string, value: unknown): void {
  if (value === undefined) return;
  const text = typeof value === 'string' ? value : safeJson(value);
  if (text === undefined) return;
  // Resolved per call: trace() wraps agent steps, not hot loops, and the env may change between runs.
  const config = resolveTraceConfig();
  const masked = maskAttribute(config, valueKey, text);
  if (masked === undefined) return;
  span.setAttribute(valueKey, masked);
  const mime = maskAttribute(config, mimeKey, typeof value === 'string' ? MimeType.TEXT : MimeType.JSON);
  if (mime !== undefined) span.setAttribute(mimeKey, mime);
}
