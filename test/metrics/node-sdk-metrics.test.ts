import { expect } from 'chai';
import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, HistogramMetricData, InMemoryMetricExporter, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { startTestNodeSdk } from '../helpers/node-sdk';
import { useInstrumentation } from '../helpers/tracing';
import { loadOpenAI, openaiClient } from '../providers/openai/client';
import { chatCompletion } from '../providers/openai/fixtures';

/** The app's set-up: the metrics reach the app's NodeSDK metric reader through the instrumentation's meter. */
describe('GenAI client metrics through the NodeSDK the app starts', () => {
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 });
  let instrumentation: InfiniumInstrumentation;
  let sdk: ReturnType<typeof startTestNodeSdk>;
  let server: FakeLlmServer;

  before(async () => {
    ({ instrumentation } = useInstrumentation());
    sdk = startTestNodeSdk({
      instrumentations: [instrumentation],
      metricReaders: [reader],
      spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })],
    });
    server = await startFakeLlmServer();
  });
  after(async () => {
    await server.stop();
    await sdk.stop();
    metrics.disable();
    instrumentation.setMeterProvider(metrics.getMeterProvider());
    instrumentation.enable();
  });

  it('token usage of a chat call lands in the NodeSDK reader', async () => {
    expect(instrumentation.genAiMetrics).to.not.equal(undefined);
    server.reply({ json: chatCompletion() });
    await openaiClient(loadOpenAI(), server).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    await reader.forceFlush();
    const exported = metricExporter.getMetrics().flatMap((r) => r.scopeMetrics);
    expect(exported.map((s) => s.scope.name)).to.include('@infinium/otel');
    const usage = exported.flatMap((s) => s.metrics).find((m) => m.descriptor.name === 'gen_ai.client.token.usage') as HistogramMetricData;
    expect(usage.descriptor.unit).to.equal('{token}');
    expect(usage.dataPoints.map((p) => [p.attributes['gen_ai.token.type'], p.value.sum])).to.deep.equal([['input', 19], ['output', 10]]);
  });
});
