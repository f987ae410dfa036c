import { expect } from 'chai';
import { metrics, SpanKind } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { InfiniumSpanProcessor } from '../../lib/processor/span-processor';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, llmSpans, TestTracing, useInstrumentation } from '../helpers/tracing';
import { loadOpenAI, openaiClient } from '../providers/openai/client';
import { chatCompletion } from '../providers/openai/fixtures';
import { GENAI_CHAT } from '../processor/genai-fixtures';
import { anthropicClient, loadAnthropic } from '../providers/anthropic/client';
import { message as anthropicMessage } from '../providers/anthropic/fixtures';
import * as aiV6 from 'ai-v6';
import { createOpenAI as createOpenAIV3 } from 'ai-sdk-openai-v3';
import { histogram, TestReader } from './histogram-reader';

/** The scope of the Anthropic SDK's own spans. */
const ANTHROPIC_SDK_SCOPE = 'com.anthropic.sdk.typescript';

describe('GenAI client metrics from the span processor (converted foreign spans)', () => {
  let reader: TestReader;
  let provider: MeterProvider;

  beforeEach(() => {
    reader = new TestReader();
    provider = new MeterProvider({ readers: [reader] });
    metrics.disable();
    metrics.setGlobalMeterProvider(provider);
  });
  afterEach(() => metrics.disable());

  it('records a converted GenAI span once, through the global MeterProvider registered after the processor', async () => {
    metrics.disable();
    const processor = new InfiniumSpanProcessor();
    const tracing = createTracing([processor]);
    const tracer = tracing.provider.getTracer('@opentelemetry/instrumentation-foreign');
    tracer.startSpan('chat gpt-4o', { kind: SpanKind.CLIENT, attributes: { ...GENAI_CHAT, 'server.address': 'api.openai.com' } }).end();
    expect(await histogram(reader, 'gen_ai.client.token.usage')).to.deep.equal([]);
    metrics.setGlobalMeterProvider(provider);
    tracer.startSpan('chat gpt-4o', { kind: SpanKind.CLIENT, attributes: { ...GENAI_CHAT, 'server.address': 'api.openai.com' } }).end();
    const attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.response.model': 'gpt-4o-2024-08-06', 'server.address': 'api.openai.com' };
    expect((await histogram(reader, 'gen_ai.client.token.usage')).map((p) => [p.attributes, p.sum])).to.deep.equal([
      [{ ...attributes, 'gen_ai.token.type': 'input' }, 40],
      [{ ...attributes, 'gen_ai.token.type': 'output' }, 12],
    ]);
    expect((await histogram(reader, 'gen_ai.client.operation.duration')).map((p) => p.count)).to.deep.equal([1]);
    expect(llmSpans(await tracing.spans())).to.deep.equal([]);
  });

  it('spans of @opentelemetry/instrumentation-openai (which records these metrics itself) are not recorded again', async () => {
    const tracing = createTracing([new InfiniumSpanProcessor()]);
    tracing.provider.getTracer('@opentelemetry/instrumentation-openai').startSpan('chat gpt-4o', { attributes: GENAI_CHAT }).end();
    const [span] = await tracing.spans();
    expect(span.attributes['llm.prompt_tokens']).to.equal(40);
    expect(await histogram(reader, 'gen_ai.client.token.usage')).to.deep.equal([]);
  });

  it('instrumentation-aws-sdk spans (it records these metrics itself for Bedrock) are not recorded again', async () => {
    const tracing = createTracing([new InfiniumSpanProcessor()]);
    const bedrock = { ...GENAI_CHAT, 'gen_ai.provider.name': 'aws.bedrock', 'gen_ai.request.model': 'amazon.nova-lite-v1:0' };
    tracing.provider.getTracer('@opentelemetry/instrumentation-aws-sdk').startSpan('chat amazon.nova-lite-v1:0', { attributes: bedrock }).end();
    const [span] = await tracing.spans();
    expect(span.attributes['llm.prompt_tokens']).to.equal(40);
    expect(await histogram(reader, 'gen_ai.client.token.usage')).to.deep.equal([]);
  });

  it('ai 6 `ai.*` spans: the model call is recorded once (our AI SDK integration, which ai 6 also calls, adds nothing)', async () => {
    const tracing = createTracing([new InfiniumSpanProcessor()]);
    await withOurInstrumentation(tracing, async (server) => {
      server.reply({ json: chatCompletion() });
      const model = createOpenAIV3({ apiKey: 'sk-test', baseURL: `${server.origin}/v1` }).chat('gpt-4o-mini');
      await aiV6.generateText({ model, prompt: 'Hi', experimental_telemetry: { isEnabled: true, tracer: tracing.provider.getTracer('ai') } });
    });
    const spans = await tracing.spans();
    expect(spans.filter((s) => s.attributes['openinference.span.kind'] === 'LLM').map((s) => s.name)).to.deep.equal(['ai.generateText.doGenerate']);
    const attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.response.model': 'gpt-4o-mini-2024-07-18' };
    expect((await histogram(reader, 'gen_ai.client.token.usage')).map((p) => [p.attributes, p.count, p.sum])).to.deep.equal([
      [{ ...attributes, 'gen_ai.token.type': 'input' }, 1, 19],
      [{ ...attributes, 'gen_ai.token.type': 'output' }, 1, 10],
    ]);
    expect((await histogram(reader, 'gen_ai.client.operation.duration')).map((p) => [p.attributes, p.count])).to.deep.equal([[attributes, 1]]);
  });

  it('the Anthropic SDK’s own span: recorded by the processor when it is the only span of the call, never twice beside ours', async () => {
    const tracing = createTracing([new InfiniumSpanProcessor()]);
    const attributes = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-6',
      'gen_ai.response.model': 'claude-sonnet-4-6-20260217',
      'server.address': 'api.anthropic.com',
    };
    const tokenPoints = async () => (await histogram(reader, 'gen_ai.client.token.usage')).map((p) => [p.attributes, p.count, p.sum]);
    await withOurInstrumentation(tracing, async (server, instrumentation) => {
      const Anthropic = loadAnthropic();
      const call = () => anthropicClient(Anthropic, server, tracing).messages.create({ model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
      instrumentation.disable();
      try {
        server.reply({ json: anthropicMessage() });
        await call();
      } finally {
        instrumentation.enable();
      }
      expect((await tracing.spans()).map((s) => [s.instrumentationScope.name, s.attributes['openinference.span.kind']])).to.deep.equal([[ANTHROPIC_SDK_SCOPE, 'LLM']]);
      expect(await tokenPoints()).to.deep.equal([
        [{ ...attributes, 'gen_ai.token.type': 'input' }, 1, 312],
        [{ ...attributes, 'gen_ai.token.type': 'output' }, 1, 9],
      ]);
      // With ours on, the SDK's span is a child of our LLM span: the call counts once more, not twice.
      server.reply({ json: anthropicMessage() });
      await call();
      expect(llmSpans(await tracing.spans())).to.have.length(1);
      expect(await tokenPoints()).to.deep.equal([
        [{ ...attributes, 'gen_ai.token.type': 'input' }, 2, 624],
        [{ ...attributes, 'gen_ai.token.type': 'output' }, 2, 18],
      ]);
      expect((await histogram(reader, 'gen_ai.client.operation.duration')).map((p) => p.count)).to.deep.equal([2]);
    });
  });

  it('a foreign GenAI LLM span our call started under is the same call: recorded once, by ours', async () => {
    const tracing = createTracing([new InfiniumSpanProcessor()]);
    await withOurInstrumentation(tracing, async (server) => {
      server.reply({ json: chatCompletion() });
      const client = openaiClient(loadOpenAI(), server);
      await tracing.provider.getTracer('openllmetry').startActiveSpan('chat gpt-4o-mini', { attributes: GENAI_CHAT }, async (span) => {
        await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
        span.end();
      });
    });
    expect(llmSpans(await tracing.spans())).to.have.length(1);
    expect((await histogram(reader, 'gen_ai.client.token.usage')).map((p) => [p.attributes['gen_ai.token.type'], p.count, p.sum])).to.deep.equal([
      ['input', 1, 19],
      ['output', 1, 10],
    ]);
    expect((await histogram(reader, 'gen_ai.client.operation.duration')).map((p) => p.count)).to.deep.equal([1]);
  });

  /** Runs `fn` with our instrumentation on `tracing` and the test's MeterProvider, and a fake server. */
  async function withOurInstrumentation(tracing: TestTracing, fn: (server: FakeLlmServer, instrumentation: InfiniumInstrumentation) => Promise<void>): Promise<void> {
    const { instrumentation } = useInstrumentation(tracing);
    instrumentation.setMeterProvider(provider);
    const server = await startFakeLlmServer();
    try {
      await fn(server, instrumentation);
    } finally {
      instrumentation.setMeterProvider(metrics.getMeterProvider());
      await server.stop();
    }
  }

  it('genAiMetrics: false turns the processor’s metrics off', async () => {
    const tracing = createTracing([new InfiniumSpanProcessor({ genAiMetrics: false })]);
    tracing.provider.getTracer('foreign').startSpan('chat gpt-4o', { attributes: GENAI_CHAT }).end();
    await tracing.spans();
    expect(await histogram(reader, 'gen_ai.client.token.usage')).to.deep.equal([]);
  });

  it('our own spans (GenAI-only too) are recorded by the instrumentation alone, never again by the processor', async () => {
    const processor = new InfiniumSpanProcessor();
    const tracing = createTracing([processor]);
    const { instrumentation } = useInstrumentation(tracing);
    instrumentation.setMeterProvider(provider);
    instrumentation.setConfig({ semconv: 'gen_ai' });
    const server = await startFakeLlmServer();
    try {
      server.reply({ json: chatCompletion() });
      await openaiClient(loadOpenAI(), server).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
      expect(llmSpans(await tracing.spans())).to.have.length(1);
      expect((await histogram(reader, 'gen_ai.client.token.usage')).map((p) => [p.count, p.sum])).to.deep.equal([[1, 19], [1, 10]]);
    } finally {
      instrumentation.setConfig({});
      instrumentation.setMeterProvider(metrics.getMeterProvider());
      await server.stop();
    }
  });
});
