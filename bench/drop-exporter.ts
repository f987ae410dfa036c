import { ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/** An exporter that keeps nothing: the export pipeline runs, and only our code and the SDK's are timed. */
export class DropExporter implements SpanExporter {
  last: ReadableSpan | undefined;
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.last = spans[spans.length - 1];
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Exports nothing, but counts every span and those `counted` picks (the LLM spans, our MCP spans), so that a
 * variant that silently traces nothing shows as 0 per call.
 */
export class CountingExporter extends DropExporter {
  spans = 0;
  counted = 0;
  constructor(private readonly counts: (span: ReadableSpan) => boolean = () => true) {
    super();
  }
  override export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.spans += spans.length;
    for (const span of spans) if (this.counts(span)) this.counted++;
    super.export(spans, done);
  }
}

/** An instrumentation a bench switches off and on between batches (the paired measurement). */
export interface Switchable {
  enable(): void;
  disable(): void;
}
