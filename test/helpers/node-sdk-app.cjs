'use strict';
/**
 * The tracing of a fixture app run in a child process under tsx (it loads our TypeScript sources): a NodeSDK
 * started as an app starts it, with our instrumentation and span processor, an in-memory exporter, and the set
 * of spans started but not yet ended (what an app left open: a span that never ends is a bug).
 */
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace');
const { InfiniumInstrumentation, InfiniumSpanProcessor } = require('../../lib/index.ts');

function startAppTracing(serviceName) {
  const open = new Set();
  const openSpans = { onStart: (span) => open.add(span), onEnd: (span) => open.delete(span), forceFlush: async () => {}, shutdown: async () => {} };
  const exporter = new InMemorySpanExporter();
  const memory = new SimpleSpanProcessor({ exporter });
  const instrumentation = new InfiniumInstrumentation();
  const sdk = new NodeSDK({
    resourceDetectors: [],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [instrumentation],
    spanProcessors: [new InfiniumSpanProcessor({ serviceName }), openSpans, memory],
  });
  sdk.start();
  return { open, exporter, memory, sdk, instrumentation };
}

module.exports = { startAppTracing };
