// The tree view, set up in code (docs/getting-started.md, docs/configuration.md).
import { NodeSDK } from '@opentelemetry/sdk-node';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { InfiniumInstrumentation, InfiniumSpanProcessor, TreeSpanExporter } from '@infinium/otel';

const sdk = new NodeSDK({
  instrumentations: [new InfiniumInstrumentation()],
  spanProcessors: [
    new InfiniumSpanProcessor(),
    new SimpleSpanProcessor({ exporter: new TreeSpanExporter({ stream: process.stderr }) }),
  ],
});
sdk.start();

process.once('beforeExit', () => {
  sdk.shutdown().catch((err) => console.warn(`tracing: ${err.message}`));
});

export {};
