// docs/genai.md: both conventions on every span, and the GenAI client metrics through NodeSDK.
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { InfiniumInstrumentation, InfiniumSpanProcessor } from '@infinium/otel';

const sdk = new NodeSDK({
  instrumentations: [new InfiniumInstrumentation({ semconv: ['openinference', 'gen_ai'] })],
  spanProcessors: [
    new InfiniumSpanProcessor({ semconv: ['openinference', 'gen_ai'] }),
    new BatchSpanProcessor({ exporter: new OTLPTraceExporter() }),
  ],
  // The GenAI client metrics go through this reader; without one they cost nothing.
  metricReaders: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() })],
});
sdk.start();
