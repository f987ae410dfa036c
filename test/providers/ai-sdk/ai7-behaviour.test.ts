import { expect } from 'chai';
import { trace } from '@opentelemetry/api';
import { AlwaysOffSampler, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { embedMany, generateText, rerank, stepCountIs, streamText, tool } from 'ai';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { z } from 'zod';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, useInstrumentation } from '../../helpers/tracing';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { STREAM_ABANDONED_EVENT } from '../../../lib/instrumentation/llm-call';
import { message as anthropicMessage, textStream as anthropicTextStream } from '../anthropic/fixtures';
import { chatStream } from '../openai/fixtures';
import { ANTHROPIC_MESSAGE_ATTRIBUTES, embeddingsFor, one, serveToolRun, spansWhen, spanTree, TOOL_CALL_ARGS } from './helpers';

/** ai 7 on the tracing channel: other providers, masking, the SDK's own record flags, context, disable(). */
describe('ai 7 (tracing channel): providers, masking, context', () => {
  let server: FakeLlmServer;
  const tracing = createTracing([new InfiniumSpanProcessor()]);
  const suite = { instrumentation: undefined as unknown as ReturnType<typeof useInstrumentation>['instrumentation'] };
  const openai = () => createOpenAI({ apiKey: 'sk-test', baseURL: `${server.origin}/v1` });
  const anthropic = () => createAnthropic({ apiKey: 'sk-ant-test-secret-123', baseURL: `${server.origin}/v1` });
  const weather = tool({ inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => ({ city, temp: 20 }) });

  before(async () => {
    suite.instrumentation = useInstrumentation(tracing).instrumentation;
    server = await startFakeLlmServer();
  });
  after(() => server.stop());
  beforeEach(() => tracing.reset());
  afterEach(() => {
    suite.instrumentation.setConfig({});
    suite.instrumentation.enable();
  });

  const toolRun = (extra: Record<string, unknown> = {}) =>
    generateText({ model: openai().chat('gpt-4o-mini'), prompt: 'Weather in Paris?', tools: { weather }, stopWhen: stepCountIs(3), ...extra });

  it('Anthropic: provider anthropic, the prompt count includes cache read and write', async () => {
    server.reply({ json: anthropicMessage() });
    await generateText({ model: anthropic()('claude-sonnet-4-6'), prompt: 'Hi' });
    const spans = await tracing.spans();
    expect(one(spans, 'chat claude-sonnet-4-6').attributes).to.include({ ...ANTHROPIC_MESSAGE_ATTRIBUTES, 'llm.finish_reason': 'stop' });
  });

  it('Anthropic stream: the text and tokens of the whole stream', async () => {
    server.reply({ sse: anthropicTextStream() });
    const result = streamText({ model: anthropic()('claude-sonnet-4-6'), prompt: 'Hi' });
    const text = await result.text;
    const spans = await tracing.spans();
    const llm = one(spans, 'chat claude-sonnet-4-6');
    expect(llm.attributes['llm.output_messages.0.message.content']).to.equal(text);
    expect(llm.attributes['llm.provider']).to.equal('anthropic');
    expect(llm.attributes['llm.token_count.completion']).to.be.a('number').above(0);
  });

  it('captureContent: false keeps no prompt, answer or tool data, and keeps the counts', async () => {
    suite.instrumentation.setConfig({ captureContent: false });
    serveToolRun(server);
    await toolRun();
    const spans = await tracing.spans();
    const text = JSON.stringify(spans.map((s) => s.attributes));
    for (const secret of ['Weather in Paris', 'Hello there', 'Paris', '"temp"']) expect(text).not.to.contain(secret);
    expect(spans.filter((s) => s.name === 'chat gpt-4o-mini').map((s) => s.attributes['llm.token_count.prompt'])).to.deep.equal([30, 19]);
  });

  it("honours the SDK's recordInputs/recordOutputs: false", async () => {
    serveToolRun(server);
    await toolRun({ telemetry: { recordInputs: false, recordOutputs: false } });
    const spans = await tracing.spans();
    const text = JSON.stringify(spans.map((s) => s.attributes));
    for (const secret of ['Weather in Paris', 'Hello there', 'Paris']) expect(text).not.to.contain(secret);
    expect(spans.filter((s) => s.name === 'chat gpt-4o-mini').map((s) => s.attributes['llm.token_count.completion'])).to.deep.equal([5, 10]);
  });

  it('a span the tool starts is a child of the TOOL span (the channel makes ours the active context)', async () => {
    serveToolRun(server);
    const tracer = tracing.provider.getTracer('app');
    const traced = tool({
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }) => tracer.startActiveSpan('lookup', (span) => (span.end(), { city })),
    });
    await generateText({ model: openai().chat('gpt-4o-mini'), prompt: 'Weather?', tools: { weather: traced }, stopWhen: stepCountIs(3) });
    const spans = await tracing.spans();
    expect(one(spans, 'lookup').parentSpanContext?.spanId).to.equal(one(spans, 'execute_tool weather').spanContext().spanId);
    expect(trace.getActiveSpan()).to.equal(undefined);
  });

  it('an aborted stream: the LLM span ends abandoned, with what was read', async () => {
    // Two frames (the role, then 'Let me '), then nothing until the abort: the abort always comes mid-answer.
    server.reply({ sse: chatStream(), holdAfter: 2 });
    const controller = new AbortController();
    const result = streamText({ model: openai().chat('gpt-4o-mini'), prompt: 'Hi', abortSignal: controller.signal });
    for await (const _ of result.textStream) controller.abort();
    const spans = await spansWhen(tracing, (s) => s.length >= 3, 'the run, its step and its LLM span to end');
    expect(spanTree(spans)).to.equal(['ai.streamText [AGENT]', '  step 1 [CHAIN]', '    chat gpt-4o-mini [LLM]'].join('\n'));
    const llm = one(spans, 'chat gpt-4o-mini');
    expect(llm.events.map((e) => e.name)).to.deep.equal([STREAM_ABANDONED_EVENT]);
  });

  it('a tool that throws: the TOOL span is an error, the run goes on', async () => {
    serveToolRun(server);
    const failing = tool({ inputSchema: z.object({ city: z.string() }), execute: async ({ city }): Promise<{ city: string }> => {
      throw new RangeError(`no such city: ${city}`);
    } });
    await generateText({ model: openai().chat('gpt-4o-mini'), prompt: 'Weather?', tools: { weather: failing }, stopWhen: stepCountIs(3) });
    const spans = await tracing.spans();
    const toolSpan = one(spans, 'execute_tool weather');
    expect(toolSpan.status).to.deep.equal({ code: 2, message: 'no such city: Paris' });
    expect(toolSpan.attributes).to.include({ 'error.type': 'RangeError', 'input.value': TOOL_CALL_ARGS });
    expect(spans.filter((s) => s.attributes['openinference.span.kind'] === 'LLM')).to.have.length(2);
  });

  it('embedMany: a CHAIN over one EMBEDDING span with every text and vector', async () => {
    server.reply({ json: embeddingsFor(['sun', 'rain']) });
    await embedMany({ model: openai().embedding('text-embedding-3-small'), values: ['sun', 'rain'] });
    const spans = await tracing.spans();
    expect(spanTree(spans)).to.equal(['ai.embedMany [CHAIN]', '  embeddings text-embedding-3-small [EMBEDDING]'].join('\n'));
    expect(one(spans, 'embeddings text-embedding-3-small').attributes).to.deep.include({
      'embedding.embeddings.0.embedding.text': 'sun',
      'embedding.embeddings.0.embedding.vector': [3, 1],
      'embedding.embeddings.1.embedding.text': 'rain',
      'embedding.embeddings.1.embedding.vector': [4, 1],
      'llm.token_count.prompt': 2,
    });
    expect(one(spans, 'ai.embedMany').attributes).to.include({ 'input.value': '["sun","rain"]', 'input.mime_type': 'application/json' });
  });

  it('embedMany split into two requests, the first retried after an HTTP 500: one EMBEDDING span per request', async () => {
    let n = 0;
    const before = server.requests.length;
    server.handle((request) => (n++ === 0 ? { status: 500, json: { error: { message: 'try again', type: 'server_error' } } } : { json: embeddingsFor((request.body as { input: string[] }).input) }));
    const model = openai().embedding('text-embedding-3-small');
    Object.defineProperty(model, 'maxEmbeddingsPerCall', { value: 2 });
    const result = await embedMany({ model, values: ['sun', 'rain', 'snow'], maxParallelCalls: 1, maxRetries: 1 });
    expect(result.embeddings).to.deep.equal([[3, 1], [4, 1], [4, 1]]);
    expect(server.requests.length - before).to.equal(3);
    const spans = await tracing.spans();
    const request = 'embeddings text-embedding-3-small';
    expect(spanTree(spans)).to.equal(['ai.embedMany [CHAIN]', `  ${request} [EMBEDDING]`, `  ${request} [EMBEDDING]`, `  ${request} [EMBEDDING]`].join('\n'));
    const calls = spans.filter((s) => s.name === request).sort((x, y) => x.startTime[0] - y.startTime[0] || x.startTime[1] - y.startTime[1]);
    // The failed attempt reports no end (the SDK retries it): it ends with the operation, abandoned.
    expect(calls.map((s) => [s.events.map((e) => e.name), s.attributes['llm.token_count.prompt'], s.attributes['embedding.embeddings.0.embedding.text']])).to.deep.equal([
      [[STREAM_ABANDONED_EVENT], undefined, 'sun'],
      [[], 2, 'sun'],
      [[], 1, 'snow'],
    ]);
  });

  it('rerank: a RERANKER span with model, query and top k', async () => {
    // A reranking model written to the public provider spec (no provider package for one is installed).
    const model = {
      specificationVersion: 'v4' as const,
      provider: 'cohere.reranking',
      modelId: 'rerank-v3.5',
      doRerank: async () => ({ ranking: [{ index: 1, relevanceScore: 0.9 }] }),
    };
    const result = await rerank({ model, documents: ['sunny', 'rainy'], query: 'rain?', topN: 1 });
    expect(result.rerankedDocuments).to.deep.equal(['rainy']);
    const spans = await tracing.spans();
    expect(spanTree(spans)).to.equal('rerank rerank-v3.5 [RERANKER]');
    expect(spans[0].attributes).to.include({ 'reranker.model_name': 'rerank-v3.5', 'reranker.query': 'rain?', 'reranker.top_k': 1 });
  });

  it('a sampler that drops the spans: the run works, nothing is exported, nothing is read', async () => {
    const dropped = new TracerProvider({ sampler: new AlwaysOffSampler(), spanProcessors: [new SimpleSpanProcessor({ exporter: tracing.exporter })] });
    suite.instrumentation.setTracerProvider(dropped);
    try {
      serveToolRun(server);
      const result = await toolRun();
      expect(result.text).to.equal('Hello there!');
      expect(await tracing.spans()).to.have.length(0);
    } finally {
      suite.instrumentation.setTracerProvider(tracing.provider);
    }
  });

  it('after disable() nothing is traced; enable() brings it back', async () => {
    suite.instrumentation.disable();
    serveToolRun(server);
    await toolRun();
    expect(await tracing.spans()).to.have.length(0);
    suite.instrumentation.enable();
    serveToolRun(server);
    await toolRun();
    expect((await tracing.spans()).filter((s) => s.attributes['openinference.span.kind'] === 'LLM')).to.have.length(2);
  });
});
