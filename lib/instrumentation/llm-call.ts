import { Context, diag, Span, SpanKind, SpanStatusCode, Tracer } from '@opentelemetry/api';
import type { CallRecord } from '../record/call-record';
import type { TraceConfig } from '../masking/trace-config';
import { errorMessageText, recordFailure } from '../masking/error-text';
import { callSpanName } from '../semconv/render';
import { DEFAULT_CONVENTIONS, type Conventions } from '../config/semconv';
import { renderInConventions, startAttributes } from '../semconv/genai-conventions';
import type { CallMetrics } from '../semconv/genai-meter';
import type { Pricing } from '../cost/pricing';
import { callContext } from './call-context';
import { claimFrameworkCall } from './run-scope';

/** What a provider patch needs from the instrumentation that owns it. */
export interface CallRuntime {
  readonly tracer: Tracer;
  readonly traceConfig: TraceConfig;
  /** The conventions the spans carry; default OpenInference (+ Infinium's keys). */
  readonly conventions?: Conventions;
  /** The GenAI client metrics; absent when no MeterProvider is registered. */
  readonly genAiMetrics?: CallMetrics;
  /** Prices the call from its final usage (`llm.cost.*`); absent when cost is off. */
  readonly pricing?: Pricing;
}

/** The event added when the app stops reading a stream before its end. */
export const STREAM_ABANDONED_EVENT = 'infinium.stream.abandoned';

/**
 * One traced LLM call: its span, its record, and the rule that the span ends exactly once.
 * Every end path renders the record through the one renderer.
 */
export class LlmCall {
  readonly span: Span;
  readonly context: Context;
  readonly recording: boolean;
  private ended = false;
  private lastActivity: number;

  /**
   * `startedEarlier`: the span starts at `record.startedAt`, not now (a framework's model run that no SDK
   * call of ours served, rendered when it ends).
   */
  constructor(private readonly runtime: CallRuntime, readonly record: CallRecord, parent: Context, startedEarlier = false) {
    const attributes = startAttributes(record, runtime.conventions ?? DEFAULT_CONVENTIONS);
    // A framework's model run (LangChain's) that this request serves: its span is this one, with the run's attributes.
    const fromFramework = claimFrameworkCall(parent);
    if (fromFramework) Object.assign(attributes, fromFramework);
    runtime.pricing?.prepare();
    const startTime = startedEarlier ? performance.timeOrigin + record.startedAt : undefined;
    this.span = runtime.tracer.startSpan(callSpanName(record), { kind: SpanKind.CLIENT, attributes, startTime }, parent);
    this.recording = this.span.isRecording();
    record.textLimit = runtime.traceConfig.maxAttributeLength;
    this.context = callContext(parent, this.span.spanContext());
    // A framework's model run rendered when it ends was active until now; an SDK call, since its start.
    this.lastActivity = startedEarlier ? performance.now() : record.startedAt;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Note that data arrived, so that an abandoned stream ends at its last read, not when it is collected. */
  touch(): void {
    this.lastActivity = performance.now();
    if (this.record.firstChunkMs === undefined) this.record.firstChunkMs = this.lastActivity - this.record.startedAt;
  }

  /**
   * The call completed: status OK. `at` (a `performance.now()` time) ends it at that moment instead of now:
   * a response that arrived earlier and that nobody read.
   */
  succeed(at?: number): void {
    if (this.ended) return;
    this.record.latencyMs = (at ?? performance.now()) - this.record.startedAt;
    this.finish();
    this.span.setStatus({ code: SpanStatusCode.OK });
    this.span.end(at === undefined ? undefined : performance.timeOrigin + at);
  }

  /**
   * The call failed: status ERROR, an exception event and `error.type`. The caller rethrows `error` itself.
   * The message and stack are capped and their secrets redacted (masking/error-text.ts): an API error can
   * carry a 5 MB body, or echo the request's key.
   */
  fail(error: unknown): void {
    if (this.ended) return;
    const maxLength = this.runtime.traceConfig.maxAttributeLength;
    this.record.latencyMs = performance.now() - this.record.startedAt;
    this.record.error = { type: errorType(error), message: errorMessageText(error, maxLength) };
    this.finish();
    recordFailure(this.span, error, this.record.error.message, maxLength);
    this.span.end();
  }

  /**
   * The app stopped reading (break, return(), abort) or dropped the stream unread. The span keeps what was
   * read, is not an error, and ends at the last moment anything happened.
   */
  abandon(): void {
    if (this.ended) return;
    this.record.latencyMs = this.lastActivity - this.record.startedAt;
    this.finish();
    this.span.addEvent(STREAM_ABANDONED_EVENT);
    this.span.end(performance.timeOrigin + this.lastActivity);
  }

  private finish(): void {
    this.ended = true;
    // Metrics count every call, sampled or not.
    this.runtime.genAiMetrics?.record(this.record);
    if (!this.recording) return;
    try {
      const pricing = this.runtime.pricing;
      if (pricing) this.record.cost = pricing.costOf(this.record);
      // Straight onto the span; whatever comes back (GenAI keys, a long conversation's map) is set after it.
      // The two start attributes are set again with the same values: two SDK calls cost less than checking
      // every key against them (measured, docs/performance.md).
      const rest = renderInConventions(this.record, this.runtime.traceConfig, this.runtime.conventions ?? DEFAULT_CONVENTIONS, this.span);
      this.span.setAttributes(rest);
    } catch (err) {
      diag.debug('@infinium/otel: could not render call attributes', err);
    }
  }
}

/**
 * The error's class name (`BadRequestError`, `ApiError`, …), as Infinium's `error.type` wants it. Never
 * throws: a hostile error (a throwing `constructor` getter, a revoked proxy) is `Error`, and its span still ends.
 */
export function errorType(error: unknown): string {
  try {
    return readErrorType(error);
  } catch (err) {
    diag.debug('@infinium/otel: could not read the error type', err);
    return 'Error';
  }
}

function readErrorType(error: unknown): string {
  if (error !== null && typeof error === 'object') {
    const name = (error as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name !== '' && name !== 'Object') return name;
    const own = (error as { name?: unknown }).name;
    if (typeof own === 'string' && own !== '') return own;
    return 'Error';
  }
  return typeof error;
}
