import { Attributes, Context, diag, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { DEFAULT_CONVENTIONS, type Conventions } from '../config/semconv';
import { type CallRuntime, errorType } from '../instrumentation/llm-call';
import { errorMessageText, recordFailure } from '../masking/error-text';
import type { RunRecord } from '../record/run-record';
import { renderRunRecord, runSpanName, runStartAttributes } from '../semconv/render-run';

/** The event added when a run is left unfinished (its stream was dropped, its scope returned early). */
export const RUN_ABANDONED_EVENT = 'infinium.run.abandoned';

/**
 * The span of one framework run (chain, agent, tool, retriever, prompt, guardrail), for any framework: it
 * starts as an INTERNAL child of `parent` with the run's kind and names, and ends exactly once through
 * `end()`, `fail(error)` or `abandon()`, each rendering the record through the one run renderer. The
 * framework adapter fills the record (output, documents, …) before ending it.
 */
export class RunSpan {
  readonly span: Span;
  /** `parent` with this run's span active: what the run's children start under. */
  readonly context: Context;
  readonly recording: boolean;
  private ended = false;

  private constructor(private readonly runtime: CallRuntime, readonly record: RunRecord, parent: Context, startTime?: number) {
    const { name, attributes } = spanStart(record, runtime, this.conventions);
    const start = startTime === undefined ? undefined : performance.timeOrigin + startTime;
    this.span = runtime.tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes, startTime: start }, parent);
    this.recording = this.span.isRecording();
    this.context = trace.setSpan(parent, this.span);
  }

  /** `startTime`: a `performance.now()` time to start the span at (a run seen after it began); default now. */
  static start(runtime: CallRuntime, record: RunRecord, parent: Context, startTime?: number): RunSpan {
    return new RunSpan(runtime, record, parent, startTime);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** The run completed: status OK. */
  end(): void {
    if (!this.finish()) return;
    this.span.setStatus({ code: SpanStatusCode.OK });
    this.span.end();
  }

  /**
   * The run failed: `error.type`, an exception event and status ERROR with the message, both capped and
   * their secrets redacted (masking/error-text.ts). The framework rethrows the error itself.
   */
  fail(error: unknown): void {
    if (this.ended) return;
    const maxLength = this.runtime.traceConfig.maxAttributeLength;
    this.record.error = { type: errorType(error), message: errorMessageText(error, maxLength) };
    this.finish();
    recordFailure(this.span, error, this.record.error.message, maxLength);
    this.span.end();
  }

  /** The run was left unfinished (the app stopped reading its stream): not an error, status unset. */
  abandon(): void {
    if (!this.finish()) return;
    this.span.addEvent(RUN_ABANDONED_EVENT);
    this.span.end();
  }

  private get conventions(): Conventions {
    return this.runtime.conventions ?? DEFAULT_CONVENTIONS;
  }

  /** Marks the span ended and renders the record onto it; false when it had already ended. */
  private finish(): boolean {
    if (this.ended) return false;
    this.ended = true;
    if (!this.recording) return true;
    try {
      renderRunRecord(this.record, this.runtime.traceConfig, this.conventions, this.span);
    } catch (err) {
      diag.debug('@infinium/otel: could not render run attributes', err);
    }
    return true;
  }
}

/** The span's name and start attributes; should they fail, the run's name alone (the span still starts). */
function spanStart(record: RunRecord, runtime: CallRuntime, conventions: Conventions): { name: string; attributes?: Attributes } {
  try {
    return { name: runSpanName(record, conventions), attributes: runStartAttributes(record, runtime.traceConfig, conventions) };
  } catch (err) {
    diag.debug('@infinium/otel: could not render run start attributes', err);
    return { name: record.name };
  }
}
