/**
 * Tracing for the demo: a NodeSDK with the instrumentation, the Infinium processor, the tree view and,
 * when the local viewer runs (`npx @infinium/otel view`), an OTLP export to it (viewer-export.ts).
 * Imported first by main.ts, so the LLM SDKs are patched as they load.
 */
import { InfiniumInstrumentation, InfiniumSpanProcessor, TreeSpanExporter } from '@infinium/otel';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { ViewerExporter } from './viewer-export';

export const viewer = process.env.INFINIUM_VIEWER === '0' ? undefined : new ViewerExporter();

export const sdk = new NodeSDK({
  serviceName: 'agent-demo',
  autoDetectResources: false,
  instrumentations: [new InfiniumInstrumentation()],
  spanProcessors: [
    new InfiniumSpanProcessor(),
    new SimpleSpanProcessor({ exporter: new TreeSpanExporter() }),
    ...(viewer ? [new BatchSpanProcessor({ exporter: viewer })] : []),
  ],
  // Traces only: no metrics or logs pipelines for the demo.
  metricReaders: [],
  logRecordProcessors: [],
});
sdk.start();
