// The README quick start (type-checked with the project; the snippet test keeps the docs in step).
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { InfiniumInstrumentation, InfiniumSpanProcessor } from '@infinium/otel';

const sdk = new NodeSDK({
  instrumentations: [new InfiniumInstrumentation()],
  spanProcessors: [new InfiniumSpanProcessor(), new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
});
sdk.start();

// Before the process ends, so the last spans are exported:
process.once('beforeExit', () => sdk.shutdown());
