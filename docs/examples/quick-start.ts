// The README quick start (type-checked with the project; the snippet test keeps the docs in step, and
// test/docs/quick-start.test.ts runs the README's block itself in ESM and tsx apps).
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { InfiniumInstrumentation, InfiniumSpanProcessor } from '@infinium/otel';

const sdk = new NodeSDK({
  instrumentations: [new InfiniumInstrumentation()],
  spanProcessors: [new InfiniumSpanProcessor(), new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
});
sdk.start();

// Send the last spans before the process ends. A missing collector is logged, never thrown.
process.once('beforeExit', () => {
  sdk.shutdown().catch((err) => console.warn(`tracing: spans not exported (${err.message})`));
});
