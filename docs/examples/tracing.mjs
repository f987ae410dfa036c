// tracing.mjs: load it before an ESM app with `node --import ./tracing.mjs app.mjs`
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { InfiniumInstrumentation, InfiniumSpanProcessor } from '@infinium/otel';

// InfiniumInstrumentation registers the ESM import hook itself: nothing else to set up.
const sdk = new NodeSDK({
  instrumentations: [new InfiniumInstrumentation()],
  spanProcessors: [new InfiniumSpanProcessor(), new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
});
sdk.start();

process.once('beforeExit', () => {
  sdk.shutdown().catch((err) => console.warn(`tracing: spans not exported (${err.message})`));
});
