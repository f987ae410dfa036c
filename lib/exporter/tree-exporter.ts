import { diag } from '@opentelemetry/api';
import { isLocalRoot } from '../compat/otel-line';
import { EXPORT_SUCCESS } from '../compat/sdk-shared';
import type { ExportResult, ReadableSpan, SpanExporter } from '../compat/sdk-types';
import { formatTrace, TraceGroup } from './tree-format';

export interface TreeSpanExporterOptions {
  /** Where the trees are written. Default: `process.stdout`. */
  stream?: { write(text: string): unknown };
  /** Traces held while waiting for their root to end; past this the oldest is printed as incomplete. Default 1000. */
  maxPendingTraces?: number;
}

const DEFAULT_MAX_PENDING_TRACES = 1000;

/**
 * A development exporter: prints each finished trace as an indented tree (name, OpenInference kind,
 * model, tokens, latency, errors, and the `infinium.*` roll-up on the root). Printing is its job, so
 * it writes to its stream; it never writes anywhere else.
 *
 * A trace is printed when its local root ends (a span with no parent, or a remote one). Spans of
 * that trace are held until then, so use it behind a `SimpleSpanProcessor` for prompt output; it
 * also works behind a `BatchSpanProcessor`. Whatever is still held is printed at shutdown.
 *
 * Spans that arrive after shutdown are printed too, not refused: NodeSDK detects the resource
 * asynchronously, and a `SimpleSpanProcessor` holds each span until that is done, so in a short script
 * (`await sdk.shutdown()` right after the work) every span reaches the exporter after its shutdown.
 */
export class TreeSpanExporter implements SpanExporter {
  private readonly stream: { write(text: string): unknown };
  private readonly maxPending: number;
  private readonly pending = new Map<string, ReadableSpan[]>();
  private stopped = false;
  private drainScheduled = false;

  constructor(options: TreeSpanExporterOptions = {}) {
    this.stream = options.stream ?? process.stdout;
    const max = options.maxPendingTraces;
    this.maxPending = typeof max === 'number' && max > 0 ? max : DEFAULT_MAX_PENDING_TRACES;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const finished = new Set<string>();
    for (const span of spans) {
      const traceId = span.spanContext().traceId;
      const held = this.pending.get(traceId);
      if (held) held.push(span);
      else this.hold(traceId, span);
      if (isLocalRoot(span)) finished.add(traceId);
    }
    for (const traceId of finished) this.print(traceId, false);
    if (this.stopped) this.drainSoon();
    resultCallback({ code: EXPORT_SUCCESS });
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    for (const traceId of [...this.pending.keys()]) this.print(traceId, true);
    this.stopped = true;
    return Promise.resolve();
  }

  /**
   * After shutdown nothing else will flush: late spans of a trace whose root never comes are printed
   * (as incomplete) once the current burst of late exports is over. They all resume together when
   * the resource is ready, so a root arriving in the same burst still completes its trace first.
   */
  private drainSoon(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      for (const traceId of [...this.pending.keys()]) this.print(traceId, true);
    });
  }

  private hold(traceId: string, span: ReadableSpan): void {
    if (this.pending.size >= this.maxPending) {
      const oldest = this.pending.keys().next().value;
      if (oldest !== undefined) this.print(oldest, true);
    }
    this.pending.set(traceId, [span]);
  }

  private print(traceId: string, incomplete: boolean): void {
    const spans = this.pending.get(traceId);
    this.pending.delete(traceId);
    if (!spans || spans.length === 0) return;
    const group: TraceGroup = { traceId, spans, incomplete };
    try {
      this.stream.write(formatTrace(group));
    } catch (err) {
      diag.debug('@infinium/otel: the tree view could not be written', err);
    }
  }
}
