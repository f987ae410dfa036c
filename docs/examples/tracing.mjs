// tracing.mjs: load it before an ESM app with `node --import ./tracing.mjs app.mjs`
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { InfiniumInstrumentation, InfiniumSpanProcessor } from '@infinium/otel';

// ESM imports are seen only through a loader hook: register import-in-the-middle's before the SDK starts.
const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

const sdk = new NodeSDK({
  instrumentations: [new InfiniumInstrumentation()],
  spanProcessors: [new InfiniumSpanProcessor(), new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
});
sdk.start();
await waitForAllMessagesAcknowledged();
process.on('beforeExit', () => sdk.shutdown());
