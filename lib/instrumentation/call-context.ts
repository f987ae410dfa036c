import { Context, createContextKey, diag, ROOT_CONTEXT, Span, SpanContext, trace } from '@opentelemetry/api';

/**
 * Marks the context inside one of our LLM calls. `createContextKey` uses `Symbol.for`, so every copy and
 * every instance of this package sees the same key: a nested patched method (a second instance, a helper
 * that calls `create`) then passes straight through and one call stays one span.
 */
export const LLM_CALL_CONTEXT_KEY = createContextKey('@infinium/otel llm call');

/**
 * The API's own key for the active span. Every copy of @opentelemetry/api must agree on it (they share one
 * global context), so it is `Symbol.for` of this description; `callContextWorks` checks it at load.
 */
const SPAN_KEY = createContextKey('OpenTelemetry Context Key SPAN');

/**
 * The context an LLM call's SDK work runs in: the parent, with the call's span as the active span (a
 * non-recording wrapper of its SpanContext) and the inside-a-call flag.
 *
 * Why not `trace.setSpan(parent, …).setValue(…)`: every promise the SDK creates in the call keeps its
 * context as its AsyncLocalStorage store, and some of the SDK's objects outlive the call until a full GC
 * (weak references, which young-generation GCs treat as strong). Two `BaseContext`s, each with a copied
 * `Map` and three closures of its own, were then promoted to old space with them: about 470 bytes per
 * streamed call (docs/performance.md). This holds two references and answers the marker itself. A
 * context derived from it (a child span, `suppressTracing`) is the API's own `BaseContext`, built from
 * the same values.
 */
class CallContext implements Context {
  constructor(
    private readonly parent: Context,
    private readonly span: Span,
  ) {}

  getValue(key: symbol): unknown {
    if (key === SPAN_KEY) return this.span;
    if (key === LLM_CALL_CONTEXT_KEY) return true;
    return this.parent.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return this.asBaseContext().setValue(key, value);
  }

  deleteValue(key: symbol): Context {
    return this.asBaseContext().deleteValue(key);
  }

  private asBaseContext(): Context {
    return trace.setSpan(this.parent, this.span).setValue(LLM_CALL_CONTEXT_KEY, true);
  }
}

/** True when the API reads the active span under the key this module knows (every API 1.x does). */
function callContextWorks(): boolean {
  const probe = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 0 });
  const works = trace.getSpan(new CallContext(ROOT_CONTEXT, probe)) === probe;
  if (!works) diag.debug('@infinium/otel: the API keeps the active span under another key; LLM calls use its BaseContext');
  return works;
}

const LIGHT = callContextWorks();

/** The context for a call's SDK work: `parent`, with `spanContext` active and the inside-a-call flag set. */
export function callContext(parent: Context, spanContext: SpanContext): Context {
  // Children only need the span's identity, so the context holds a non-recording wrapper of its
  // SpanContext, never the span with its attributes, nor the record: a pooled keep-alive socket keeps the
  // context of the call that opened it as its AsyncLocalStorage store long after the call.
  const span = trace.wrapSpanContext(spanContext);
  return LIGHT ? new CallContext(parent, span) : trace.setSpan(parent, span).setValue(LLM_CALL_CONTEXT_KEY, true);
}

export function isInsideLlmCall(ctx: Context): boolean {
  return ctx.getValue(LLM_CALL_CONTEXT_KEY) === true;
}
