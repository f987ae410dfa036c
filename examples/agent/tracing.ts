/**
 * Tracing for the demo: a NodeSDK with the instrumentation, the Infinium processor and the tree view.
 * Imported first by main.ts, so the LLM SDKs are patched as they load.
 */
import { InfiniumInstrumentation, InfiniumSpanProcessor, TreeSpanExporter } from '@infinium/otel';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace';

export const sdk = new NodeSDK({
  serviceName: 'agent-demo',
  autoDetectResources: false,
  instrumentations: [new InfiniumInstrumentation()],
  spanProcessors: [new InfiniumSpanProcessor(), new SimpleSpanProcessor({ exporter: new TreeSpanExporter() })],
  // Traces only: no metrics or logs pipelines for the demo.
  metricReaders: [],
  logRecordProcessors: [],
});
sdk.start();
