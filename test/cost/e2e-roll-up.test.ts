import { expect } from 'chai';
import { trace as otelTrace } from '@opentelemetry/api';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type OpenAIType from 'openai';
import type AnthropicType from '@anthropic-ai/sdk';
import * as ai from 'ai-v6';
import { createAnthropic } from 'ai-sdk-anthropic-v3';
import { trace } from '../../lib/helpers/trace';
import { InfiniumSpanProcessor } from '../../lib/processor/span-processor';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { startTestNodeSdk } from '../helpers/node-sdk';
import { createTracing, useInstrumentation } from '../helpers/tracing';
import { loadAnthropic } from '../providers/anthropic/client';
import { loadOpenAI, openaiClient } from '../providers/openai/client';
import { costKeys } from './cost-keys';
import { anthropicCachedMessage, openaiCachedChat, openaiChat } from './fixtures';

const ROOT_COST_KEYS = ['infinium.cost_usd', 'infinium.unpriced_llm_call_count'] as const;

function rootCost(root: ReadableSpan): Record<string, unknown> {
  return Object.fromEntries(ROOT_COST_KEYS.filter((k) => k in root.attributes).map((k) => [k, root.attributes[k]]));
}

/**
 * A GenAI LLM span as another instrumentation writes it (semconv 1.37: `input_tokens` counts every input
 * token, the cache parts included). claude-3-5-haiku: 0.80 input / 1.00 cache write / 0.08 cache read / 4.00 output per million.
 */
const FOREIGN_GENAI_CALL = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'anthropic',
  'gen_ai.request.model': 'claude-3-5-haiku-latest',
  'gen_ai.response.model': 'claude-3-5-haiku-20241022',
  'gen_ai.usage.input_tokens': 1600,
  'gen_ai.usage.cache_read.input_tokens': 1000,
  'gen_ai.usage.cache_creation.input_tokens': 500,
  'gen_ai.usage.output_tokens': 200,
};

describe('cost: foreign spans priced by the processor, and the root sum', () => {
  let server: FakeLlmServer;
  before(async () => {
    server = await startFakeLlmServer();
  });
  after(() => server.stop());

  it('a foreign GenAI span and an AI SDK (ai 6) call are priced; the root sums them', async () => {
    const tracing = createTracing([new InfiniumSpanProcessor()]);
    useInstrumentation(tracing);
    server.reply({ json: anthropicCachedMessage() });
    const anthropic = createAnthropic({ apiKey: 'sk-ant-test-secret-123', baseURL: `${server.origin}/v1` });
    const foreign = tracing.provider.getTracer('some-genai-instrumentation');
    await tracing.inParent('turn', async () => {
      foreign.startSpan('chat claude-3-5-haiku-latest', { attributes: FOREIGN_GENAI_CALL }).end();
      await ai.generateText({
        model: anthropic('claude-sonnet-4-20250514'),
        prompt: 'May I sublet?',
        experimental_telemetry: { isEnabled: true, tracer: tracing.provider.getTracer('ai') },
      });
    });
    const spans = await tracing.spans();
    const genAi = spans.find((s) => s.name === 'chat claude-3-5-haiku-latest')!;
    expect(costKeys(genAi)).to.deep.equal({
      'llm.cost.prompt': 0.00066, // (100 × 0.80 + 500 × 1.00 + 1,000 × 0.08) / 1e6 = (80 + 500 + 80) / 1e6
      'llm.cost.completion': 0.0008, // 200 × 4 / 1e6
      'llm.cost.total': 0.00146,
      'llm.cost.prompt_details.cache_read': 0.00008,
      'llm.cost.prompt_details.cache_write': 0.0005,
    });
    const doGenerate = spans.find((s) => s.name === 'ai.generateText.doGenerate')!;
    // The same Anthropic answer as in e2e.test.ts (21 input + 1,556 cache write + 2,048 cache read, 393 out at
    // claude-sonnet-4's 3 / 3.75 / 0.30 / 15), now read from ai 6's `ai.usage.*`.
    expect(costKeys(doGenerate)).to.deep.equal({
      'llm.cost.prompt': 0.0065124,
      'llm.cost.completion': 0.005895,
      'llm.cost.total': 0.0124074,
      'llm.cost.prompt_details.cache_read': 0.0006144,
      'llm.cost.prompt_details.cache_write': 0.005835,
    });
    const root = spans.find((s) => s.name === 'turn')!;
    // 0.00146 + 0.0124074; ai.generateText (the AGENT span above doGenerate) is no call of its own.
    expect(rootCost(root)).to.deep.equal({ 'infinium.cost_usd': 0.0138674, 'infinium.unpriced_llm_call_count': 0 });
  });

  it('cost: false on the processor: no llm.cost.* on the foreign span, no cost keys on the root', async () => {
    const tracing = createTracing([new InfiniumSpanProcessor({ cost: false })]);
    await tracing.inParent('turn', async () => {
      tracing.provider.getTracer('some-genai-instrumentation').startSpan('chat claude-3-5-haiku-latest', { attributes: FOREIGN_GENAI_CALL }).end();
    });
    const spans = await tracing.spans();
    expect(spans[0].attributes['llm.token_count.prompt']).to.equal(1600);
    expect(costKeys(spans[0])).to.deep.equal({});
    expect(spans[1].attributes['infinium.llm_call_count']).to.equal(1);
    expect(rootCost(spans[1])).to.deep.equal({});
  });

  it("the processor's prices option prices a foreign call (over the table, and a model it lacks)", async () => {
    const tracing = createTracing([
      new InfiniumSpanProcessor({
        prices: {
          'claude-3-5-haiku': { input_per_mtok: 1, output_per_mtok: 5, cache_read_per_mtok: 0.1, cache_write_per_mtok: 1.25 },
          'acme-private-llm-7b': { input_per_mtok: 0.2, output_per_mtok: 0.8 },
        },
      }),
    ]);
    const foreign = tracing.provider.getTracer('some-genai-instrumentation');
    await tracing.inParent('turn', async () => {
      foreign.startSpan('chat claude-3-5-haiku-latest', { attributes: FOREIGN_GENAI_CALL }).end();
      const own = { ...FOREIGN_GENAI_CALL, 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'acme-private-llm-7b', 'gen_ai.response.model': 'acme-private-llm-7b' };
      foreign.startSpan('chat acme-private-llm-7b', { attributes: own }).end();
    });
    const [haiku, acme, root] = await tracing.spans();
    // claude-3-5-haiku-20241022 at the option's claude-3-5-haiku prices (its snapshot): (100 × 1 + 500 × 1.25 + 1,000 × 0.1) / 1e6 in, 200 × 5 / 1e6 out.
    expect(costKeys(haiku)).to.deep.equal({
      'llm.cost.prompt': 0.000825,
      'llm.cost.completion': 0.001,
      'llm.cost.total': 0.001825,
      'llm.cost.prompt_details.cache_read': 0.0001,
      'llm.cost.prompt_details.cache_write': 0.000625,
    });
    // No cache rate given: the cache parts at the input rate. (1,600 × 0.2) / 1e6 in, 200 × 0.8 / 1e6 out.
    expect(costKeys(acme)).to.deep.equal({
      'llm.cost.prompt': 0.00032,
      'llm.cost.completion': 0.00016,
      'llm.cost.total': 0.00048,
      'llm.cost.prompt_details.cache_read': 0.0002,
      'llm.cost.prompt_details.cache_write': 0.0001,
    });
    expect(rootCost(root)).to.deep.equal({ 'infinium.cost_usd': 0.002305, 'infinium.unpriced_llm_call_count': 0 });
  });

  it('INFINIUM_COST=false when the processor is made: no llm.cost.*, no cost keys on the root', async () => {
    const before = process.env.INFINIUM_COST;
    process.env.INFINIUM_COST = 'false';
    let processor: InfiniumSpanProcessor;
    try {
      processor = new InfiniumSpanProcessor();
    } finally {
      if (before === undefined) delete process.env.INFINIUM_COST;
      else process.env.INFINIUM_COST = before;
    }
    const tracing = createTracing([processor]);
    await tracing.inParent('turn', async () => {
      tracing.provider.getTracer('some-genai-instrumentation').startSpan('chat claude-3-5-haiku-latest', { attributes: FOREIGN_GENAI_CALL }).end();
    });
    const [call, root] = await tracing.spans();
    expect(call.attributes['llm.token_count.prompt']).to.equal(1600);
    expect(costKeys(call)).to.deep.equal({});
    expect(root.attributes['infinium.llm_call_count']).to.equal(1);
    expect(rootCost(root)).to.deep.equal({});
  });

  describe('in a NodeSDK with our processor and the instrumentation', () => {
    const exporter = new InMemorySpanExporter();
    let app: ReturnType<typeof startTestNodeSdk>;
    let OpenAI: typeof OpenAIType;
    let Anthropic: typeof AnthropicType;

    before(() => {
      const { instrumentation } = useInstrumentation();
      app = startTestNodeSdk({ spanProcessors: [new InfiniumSpanProcessor(), new SimpleSpanProcessor({ exporter })] });
      instrumentation.setTracerProvider(otelTrace.getTracerProvider());
      OpenAI = loadOpenAI();
      Anthropic = loadAnthropic();
    });
    after(() => app.stop());

    it('the root carries the exact sum of its priced calls and counts the one unpriced call', async () => {
      const openai = openaiClient(OpenAI, server);
      const anthropic = new Anthropic({ apiKey: 'sk-ant-test-secret-123', baseURL: 'https://api.anthropic.com', fetch: server.fetch, maxRetries: 0 });
      const turn = trace('support-turn', async () => {
        server.reply({ json: openaiCachedChat() });
        await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Capital of France?' }] });
        server.reply({ json: anthropicCachedMessage() });
        await anthropic.messages.create({ model: 'claude-sonnet-4-20250514', max_tokens: 1024, messages: [{ role: 'user', content: 'May I sublet?' }] });
        server.reply({ json: openaiChat() });
        await openai.chat.completions.create({ model: 'acme-private-llm-7b', messages: [{ role: 'user', content: 'Hi' }] });
      }, { kind: 'AGENT' });
      await turn();
      await app.sdk['_tracerProvider'].forceFlush();
      const spans = exporter.getFinishedSpans();
      const root = spans.find((s) => s.name === 'support-turn')!;
      expect(root.parentSpanContext).to.equal(undefined);
      expect(root.attributes['infinium.llm_call_count']).to.equal(3);
      // gpt-4o 0.005615 + claude-sonnet-4 0.0124074 (both worked out in e2e.test.ts); acme-private-llm-7b has no price.
      expect(rootCost(root)).to.deep.equal({ 'infinium.cost_usd': 0.0180224, 'infinium.unpriced_llm_call_count': 1 });
    });
  });
});
