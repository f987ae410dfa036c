import { Attributes, Context, diag, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { errorType, CallRuntime, STREAM_ABANDONED_EVENT } from '../../instrumentation/llm-call';
import { errorMessageText, recordFailure } from '../../masking/error-text';
import { AttributeSink } from '../../semconv/render';
import { OI } from '../../semconv/attributes';

/**
 * A span for an AI SDK operation that is not a model call: the agent run (generateText, streamText), a step,
 * a tool execution, a rerank. Like `LlmCall` it ends exactly once; its attributes go through the masking.
 */
export class OperationSpan {
  readonly span: Span;
  readonly context: Context;
  /** False when the sampler dropped the span: then nothing is read or rendered for it. */
  readonly recording: boolean;
  private ended = false;
  private readonly sink: AttributeSink;

  constructor(runtime: CallRuntime, name: string, kind: string, parent: Context) {
    this.span = runtime.tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes: { [OI.OPENINFERENCE_SPAN_KIND]: kind } }, parent);
    this.context = trace.setSpan(parent, this.span);
    this.recording = this.span.isRecording();
    this.sink = new AttributeSink(runtime.traceConfig);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Sets attributes, masked, unless the span has ended. */
  put(attributes: Attributes): void {
    if (this.ended || !this.recording) return;
    for (const key of Object.keys(attributes)) this.sink.put(key, attributes[key]);
  }

  succeed(): void {
    if (this.ended) return;
    this.flush();
    this.span.setStatus({ code: SpanStatusCode.OK });
    this.end();
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.sink.put('error.type', errorType(error));
    this.flush();
    const maxLength = this.sink.config.maxAttributeLength;
    recordFailure(this.span, error, error instanceof Error ? errorMessageText(error, maxLength) : undefined, maxLength);
    this.end();
  }

  /** The run ended (aborted, or its stream was dropped) before this operation reported its end. */
  abandon(): void {
    if (this.ended) return;
    this.flush();
    this.span.addEvent(STREAM_ABANDONED_EVENT);
    this.end();
  }

  private flush(): void {
    this.span.setAttributes(this.sink.attributes);
  }

  private end(): void {
    this.ended = true;
    this.span.end();
  }
}
