// Loaded with --require before the app (CommonJS or ESM): the built package's instrumentation and span
// processor, the pipeline made the global provider (where the Anthropic SDKs send their own spans).
const { context, trace } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace');
const { InfiniumInstrumentation, InfiniumSpanProcessor } = require('@infinium/otel');

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new InfiniumSpanProcessor(), new SimpleSpanProcessor({ exporter })] });
trace.setGlobalTracerProvider(provider);
new InfiniumInstrumentation().setTracerProvider(provider);
globalThis.__cloudsTest = { provider, exporter };
