/**
 * The few shapes of the OpenTelemetry tracing SDK that we touch, declared here instead of imported.
 *
 * The app owns its SDK, from either OpenTelemetry JS line (`@opentelemetry/sdk-trace-base` 2.x,
 * `@opentelemetry/sdk-trace` 2.x or 3.x). Importing one of them, even as types only, would make our
 * published declarations name a package the app may not have. These interfaces are subsets of what both
 * lines declare, so the app's spans, processors and exporters fit them, and ours fit the app's.
 */
import type { Attributes, Context, HrTime, Span as ApiSpan, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';

export interface InstrumentationScope {
  readonly name: string;
  readonly version?: string;
}

/** A resource as both lines expose it: raw attributes (still detecting) and, once settled, attributes. */
export interface Resource {
  readonly attributes?: Attributes;
  getRawAttributes?(): unknown;
}

export interface TimedEvent {
  readonly name: string;
  readonly time: HrTime;
  readonly attributes?: Attributes;
}

/** A finished (or finishing) span, as processors and exporters see it. */
export interface ReadableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  spanContext(): SpanContext;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly duration: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly events: TimedEvent[];
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
}

/** A span a processor gets in `onStart`/`onEnding`: readable and still writable. */
export interface Span extends ApiSpan, ReadableSpan {}

export interface SpanProcessor {
  onStart(span: Span, parentContext: Context): void;
  onEnding?(span: Span): void;
  onEnd(span: ReadableSpan): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** `code` is `@opentelemetry/core`'s `ExportResultCode` (0 success, 1 failure) on both lines. */
export interface ExportResult {
  code: number;
  error?: Error;
}

export interface SpanExporter {
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}
