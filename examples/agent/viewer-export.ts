/**
 * The demo's spans to the local viewer (`npx @infinium/otel view`), besides the tree on stdout:
 * INFINIUM_VIEWER=1 always sends them, INFINIUM_VIEWER=0 never does, and by default they are sent when
 * a receiver answers at the OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT, or the viewer's default
 * http://127.0.0.1:4318). Nothing is printed and nothing waits when no viewer runs.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import http from 'node:http';

interface ExportResult {
  code: number;
  error?: Error;
}

export interface ViewerTarget {
  /** Where spans go, e.g. http://127.0.0.1:4318/v1/traces. */
  tracesUrl: string;
  /** The viewer's web UI when the receiver said where it is. */
  uiUrl?: string;
}

const DEFAULT_ENDPOINT = 'http://127.0.0.1:4318';

export function viewerEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (traces) return traces;
  return `${(env.OTEL_EXPORTER_OTLP_ENDPOINT || DEFAULT_ENDPOINT).replace(/\/+$/, '')}/v1/traces`;
}

/**
 * Asks the receiver's root what it is: the Infinium viewer answers with its UI's URL. Any HTTP answer
 * means something receives OTLP there; no answer within the timeout means nothing does.
 */
export function probe(tracesUrl: string, timeoutMs = 500): Promise<ViewerTarget | undefined> {
  return new Promise((resolve) => {
    let root: URL;
    try {
      root = new URL('/', tracesUrl);
    } catch {
      return resolve(undefined);
    }
    const request = http.get(root, { timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (body.length < 4096) body += chunk;
      });
      response.on('end', () => {
        let uiUrl: string | undefined;
        try {
          const info = JSON.parse(body) as { viewer?: unknown; ui?: unknown };
          if (info.viewer === 'infinium' && typeof info.ui === 'string') uiUrl = info.ui;
        } catch {
          // Another OTLP receiver (a Collector, Phoenix...): export to it all the same.
        }
        resolve({ tracesUrl, uiUrl });
      });
      response.on('error', () => resolve({ tracesUrl }));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
}

/** An exporter that decides once, at its first batch, whether the viewer is there. */
export class ViewerExporter implements SpanExporter {
  readonly traceIds = new Set<string>();
  private target: Promise<ViewerTarget | undefined> | undefined;
  private otlp: OTLPTraceExporter | undefined;

  constructor(private readonly mode = process.env.INFINIUM_VIEWER) {}

  /** Asked at the first batch, not at start-up: the app's module loading would outlast the probe's timeout. */
  private find(): Promise<ViewerTarget | undefined> {
    const tracesUrl = viewerEndpoint();
    return this.mode === '1' ? probe(tracesUrl).then((found) => found ?? { tracesUrl }) : probe(tracesUrl);
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.target ??= this.find();
    void this.target.then((target) => {
      if (!target) return done({ code: 0 });
      this.otlp ??= new OTLPTraceExporter({ url: target.tracesUrl });
      for (const span of spans) this.traceIds.add(span.spanContext().traceId);
      this.otlp.export(spans, done);
    });
  }

  /** Where the spans went, once they were sent. */
  async sentTo(): Promise<ViewerTarget | undefined> {
    return this.traceIds.size ? await this.target : undefined;
  }

  async shutdown(): Promise<void> {
    await this.otlp?.shutdown();
  }

  async forceFlush(): Promise<void> {
    await this.otlp?.forceFlush();
  }
}
