// docs/cost.md: your own prices (a private model, a negotiated rate), for our spans and other instrumentations' alike.
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { InfiniumInstrumentation, InfiniumSpanProcessor } from '@infinium/otel';

const prices = {
  'acme-private-llm-7b': { input_per_mtok: 0.2, output_per_mtok: 0.8 },
  'gpt-4o': { input_per_mtok: 2, output_per_mtok: 8, cache_read_per_mtok: 0.5 },
};

const sdk = new NodeSDK({
  instrumentations: [new InfiniumInstrumentation({ prices })],
  spanProcessors: [new InfiniumSpanProcessor({ prices }), new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
});
sdk.start();

export {};
