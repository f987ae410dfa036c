import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import * as aiV5 from 'ai-v5';
import * as aiV6 from 'ai-v6';
import { createOpenAI as createOpenAIV2 } from 'ai-sdk-openai-v2';
import { createOpenAI as createOpenAIV3 } from 'ai-sdk-openai-v3';
import { createAnthropic as createAnthropicV2 } from 'ai-sdk-anthropic-v2';
import { createAnthropic as createAnthropicV3 } from 'ai-sdk-anthropic-v3';
import { z } from 'zod';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { chatCompletion } from '../providers/openai/fixtures';
import { createTracing, useInstrumentation } from '../helpers/tracing';
import { waitFor } from '../helpers/wait';
import { InfiniumSpanProcessor } from '../../lib/processor/span-processor';
import { chatStream } from '../providers/openai/fixtures';
import { message as anthropicMessage, textStream as anthropicTextStream } from '../providers/anthropic/fixtures';
import { ANTHROPIC_MESSAGE_ATTRIBUTES, embeddingResponse, embeddingsFor, one, openAiError, serveToolRun, spanTree, TOOL_CALL_ARGS } from '../providers/ai-sdk/helpers';

/**
 * ai 5 and 6 write their own `ai.*` spans (experimental_telemetry); the processor maps them through the
 * one record and renderer. Each major runs with its own @ai-sdk/openai and @ai-sdk/anthropic major.
 */
const MAJORS = [
  // ai 5's OpenAI provider reports no cache or reasoning details in its `ai.usage.*` attributes.
  { name: 'ai 5', usageDetails: false, ai: aiV5 as unknown as typeof aiV6, createOpenAI: createOpenAIV2 as unknown as typeof createOpenAIV3, createAnthropic: createAnthropicV2 as unknown as typeof createAnthropicV3 },
  { name: 'ai 6', usageDetails: true, ai: aiV6, createOpenAI: createOpenAIV3, createAnthropic: createAnthropicV3 },
];

for (const major of MAJORS) {
  describe(`${major.name} spans through the processor`, () => {
    const { ai } = major;
    let server: FakeLlmServer;
    const processor = new InfiniumSpanProcessor();
    const tracing = createTracing([processor]);
    const telemetry = (extra: Record<string, unknown> = {}) => ({ isEnabled: true, tracer: tracing.provider.getTracer('ai'), ...extra });
    const openai = () => major.createOpenAI({ apiKey: 'sk-test', baseURL: `${server.origin}/v1` });
    const weather = ai.tool({ description: 'Weather in a city', inputSchema: z.object({ city: z.string() }), execute: async ({ city }: { city: string }) => ({ city, temp: 20 }) });

    before(async () => {
      // Our instrumentation is on too (its AI SDK integration sits in the global list ai 6 also reads): it must add nothing.
      useInstrumentation(tracing);
      server = await startFakeLlmServer();
    });
    after(() => server.stop());
    beforeEach(() => tracing.reset());

    it('maps a two-step tool run: doGenerate → LLM, toolCall → TOOL, generateText → AGENT; the root counts 2 calls', async () => {
      serveToolRun(server);
      const result = await ai.generateText({
        model: openai().chat('gpt-4o-mini'),
        system: 'Be brief',
        prompt: 'Weather in Paris?',
        tools: { weather },
        stopWhen: ai.stepCountIs(3),
        temperature: 0.2,
        experimental_telemetry: telemetry({ functionId: 'weather-agent' }),
      });
      expect(result.text).to.equal('Hello there!');
      const spans = await tracing.spans();
      expect(spanTree(spans)).to.equal(
        [
          'ai.generateText [AGENT]',
          '  ai.generateText.doGenerate [LLM]',
          '  ai.toolCall [TOOL]',
          '  ai.generateText.doGenerate [LLM]',
        ].join('\n'),
      );
      const [first, second] = spans.filter((s) => s.name === 'ai.generateText.doGenerate');
      expect(first.attributes).to.include({
        'llm.provider': 'openai',
        'llm.model_name': 'gpt-4o-mini-2024-07-18',
        'llm.input_messages.0.message.role': 'system',
        'llm.input_messages.0.message.content': 'Be brief',
        'llm.input_messages.1.message.content': 'Weather in Paris?',
        'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'weather',
        'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': TOOL_CALL_ARGS,
        'llm.token_count.prompt': 30,
        'llm.token_count.completion': 5,
        'llm.temperature': 0.2,
        'llm.finish_reason': 'tool-calls',
      });
      expect(second.attributes).to.include({
        'llm.input_messages.3.message.role': 'tool',
        'llm.input_messages.3.message.tool_call_id': 'call_1',
        'llm.output_messages.0.message.content': 'Hello there!',
        'llm.token_count.prompt': 19,
        'llm.token_count.completion': 10,
      });
      expect(second.attributes['llm.token_count.prompt_details.cache_read']).to.equal(major.usageDetails ? 4 : undefined);
      expect(second.attributes['llm.token_count.completion_details.reasoning']).to.equal(major.usageDetails ? 2 : undefined);
      expect(one(spans, 'ai.toolCall').attributes).to.include({ 'tool.name': 'weather', 'input.value': TOOL_CALL_ARGS, 'output.value': '{"city":"Paris","temp":20}' });
      const root = one(spans, 'ai.generateText');
      expect(root.attributes).to.include({ 'agent.name': 'weather-agent', 'input.value': 'Weather in Paris?', 'output.value': 'Hello there!', 'infinium.llm_call_count': 2 });
    });

    it('maps a stream: doStream → LLM with text, tool call and tokens', async () => {
      server.reply({ sse: chatStream() });
      const result = ai.streamText({ model: openai().chat('gpt-4o-mini'), prompt: 'Hi', experimental_telemetry: telemetry() });
      let text = '';
      for await (const piece of result.textStream) text += piece;
      expect(text).to.equal('Let me check.');
      const spans = await tracing.spans();
      expect(spanTree(spans)).to.equal(['ai.streamText [AGENT]', '  ai.streamText.doStream [LLM]'].join('\n'));
      expect(one(spans, 'ai.streamText.doStream').attributes).to.include({
        'llm.output_messages.0.message.content': 'Let me check.',
        'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': TOOL_CALL_ARGS,
        'llm.token_count.prompt': 12,
        'llm.token_count.completion': 7,
      });
      expect(one(spans, 'ai.streamText').attributes['infinium.llm_call_count']).to.equal(1);
    });

    it('maps an Anthropic call: provider anthropic, cache tokens in the prompt count', async () => {
      server.reply({ json: anthropicMessage() });
      const anthropic = major.createAnthropic({ apiKey: 'sk-ant-test-secret-123', baseURL: `${server.origin}/v1` });
      await ai.generateText({ model: anthropic('claude-sonnet-4-6'), prompt: 'Hi', experimental_telemetry: telemetry() });
      const spans = await tracing.spans();
      expect(one(spans, 'ai.generateText.doGenerate').attributes).to.include(ANTHROPIC_MESSAGE_ATTRIBUTES);
    });

    for (const [label, cache, prompt] of [
      ['reads and writes', { cache_creation_input_tokens: 1556, cache_read_input_tokens: 2048 }, 8604],
      ['writes only', { cache_creation_input_tokens: 1556, cache_read_input_tokens: 0 }, 6556],
    ] as const) {
      it(`an Anthropic stream with cache ${label} smaller than its input: the prompt is input + reads + writes, each part once`, async () => {
        // ai 5 reports the cache read beside Anthropic's cache-less input_tokens (`cachedInputTokens`).
        const events = anthropicTextStream().map((e) =>
          e.event === 'message_start'
            ? { ...e, data: { ...(e.data as object), message: { ...(e.data as { message: object }).message, usage: { input_tokens: 5000, ...cache, output_tokens: 1 } } } }
            : e,
        );
        server.reply({ sse: events });
        const anthropic = major.createAnthropic({ apiKey: 'sk-ant-test', baseURL: `${server.origin}/v1` });
        const result = ai.streamText({ model: anthropic('claude-sonnet-4-6'), prompt: 'Hi', experimental_telemetry: telemetry() });
        for await (const _ of result.textStream);
        const attributes = one(await tracing.spans(), 'ai.streamText.doStream').attributes;
        expect(attributes).to.include({
          'llm.token_count.prompt': prompt,
          'llm.token_count.prompt_details.cache_write': 1556,
          'llm.token_count.completion': 3,
        });
        expect(attributes['llm.token_count.prompt_details.cache_read'] ?? 0).to.equal(cache.cache_read_input_tokens);
      });
    }

    it('an Anthropic call with an absurd cache count: the count and the prompt sum left out, the rest kept', async () => {
      const usage = { input_tokens: 12, cache_creation_input_tokens: 100, cache_read_input_tokens: 4e15, output_tokens: 9 };
      server.reply({ json: anthropicMessage({ usage }) });
      const anthropic = major.createAnthropic({ apiKey: 'sk-ant-test', baseURL: `${server.origin}/v1` });
      await ai.generateText({ model: anthropic('claude-sonnet-4-6'), prompt: 'Hi', experimental_telemetry: telemetry() });
      const attributes = one(await tracing.spans(), 'ai.generateText.doGenerate').attributes;
      expect(attributes).to.include({ 'llm.token_count.completion': 9, 'llm.completion_tokens': 9 });
      expect(attributes).to.not.have.any.keys('llm.token_count.prompt', 'llm.prompt_tokens', 'llm.token_count.prompt_details.cache_read');
    });

    it('maps embed: the operation a CHAIN, its doEmbed the one EMBEDDING span; neither counted as a model call', async () => {
      server.reply({ json: embeddingResponse() });
      await ai.embed({ model: openai().embedding('text-embedding-3-small'), value: 'hello', experimental_telemetry: telemetry() });
      const spans = await tracing.spans();
      expect(spanTree(spans)).to.equal(['ai.embed [CHAIN]', '  ai.embed.doEmbed [EMBEDDING]'].join('\n'));
      const call = one(spans, 'ai.embed.doEmbed');
      expect(call.attributes).to.deep.include({
        'embedding.model_name': 'text-embedding-3-small',
        'embedding.embeddings.0.embedding.text': 'hello',
        'embedding.embeddings.0.embedding.vector': [0.25, -0.5],
        'llm.token_count.prompt': 3,
      });
      const operation = one(spans, 'ai.embed');
      expect(call.parentSpanContext?.spanId).to.equal(operation.spanContext().spanId);
      expect(operation.attributes).to.include({ 'input.value': 'hello', 'input.mime_type': 'text/plain', 'infinium.llm_call_count': 0 });
      for (const key of Object.keys(operation.attributes)) expect(key).not.to.match(/^(embedding|llm)\./);
    });

    it('maps embedMany: one EMBEDDING span per request under the CHAIN operation', async () => {
      // Two values per request: three values are two requests.
      const model = openai().embedding('text-embedding-3-small');
      Object.defineProperty(model, 'maxEmbeddingsPerCall', { value: 2 });
      server.handle((request) => ({ json: embeddingsFor((request.body as { input: string[] }).input) }));
      const result = await ai.embedMany({ model, values: ['sun', 'rain', 'snow'], maxParallelCalls: 1, experimental_telemetry: telemetry() });
      expect(result.embeddings).to.deep.equal([[3, 1], [4, 1], [4, 1]]);
      const spans = await tracing.spans();
      expect(spanTree(spans)).to.equal(['ai.embedMany [CHAIN]', '  ai.embedMany.doEmbed [EMBEDDING]', '  ai.embedMany.doEmbed [EMBEDDING]'].join('\n'));
      const calls = spans.filter((s) => s.name === 'ai.embedMany.doEmbed');
      expect(calls.map((s) => [s.attributes['embedding.embeddings.0.embedding.text'], s.attributes['embedding.embeddings.1.embedding.text'], s.attributes['llm.token_count.prompt']])).to.deep.equal([
        ['sun', 'rain', 2],
        ['snow', undefined, 1],
      ]);
      expect(one(spans, 'ai.embedMany').attributes).to.include({ 'input.value': '["sun","rain","snow"]', 'input.mime_type': 'application/json' });
    });

    it('maps rerank (ai 6): the operation a CHAIN, its doRerank the one RERANKER span', async function () {
      const rerank = (ai as { rerank?: typeof aiV6.rerank }).rerank;
      if (rerank === undefined) this.skip();
      // A reranking model written to the public provider spec (no provider package for one is installed).
      const model = { specificationVersion: 'v3' as const, provider: 'cohere.reranking', modelId: 'rerank-v3.5', doRerank: async () => ({ ranking: [{ index: 1, relevanceScore: 0.9 }] }) };
      const result = await rerank!({ model, documents: ['sunny', 'rainy'], query: 'rain?', topN: 1, experimental_telemetry: telemetry() });
      expect(result.rerankedDocuments).to.deep.equal(['rainy']);
      const spans = await tracing.spans();
      expect(spanTree(spans)).to.equal(['ai.rerank [CHAIN]', '  ai.rerank.doRerank [RERANKER]'].join('\n'));
    });

    it('maps a failed call (HTTP 400): the LLM span is an error', async () => {
      server.reply(openAiError());
      const error = await ai.generateText({ model: openai().chat('gpt-4o-mini'), prompt: 'Hi', maxRetries: 0, experimental_telemetry: telemetry() }).catch((e: unknown) => e);
      expect((error as Error).name).to.equal('AI_APICallError');
      const spans = await tracing.spans();
      const llm = one(spans, 'ai.generateText.doGenerate');
      expect(llm.attributes['openinference.span.kind']).to.equal('LLM');
      expect(llm.status.code).to.equal(SpanStatusCode.ERROR);
      expect(one(spans, 'ai.generateText').attributes['infinium.llm_call_count']).to.equal(1);
    });

    // Streams aborted, cut or dropped: test/providers/ai-sdk/ai5-6-streams.test.ts.
    it('captureContent: false in the processor hides the content of the mapped and of the ai.* keys', async () => {
      const masked = createTracing([new InfiniumSpanProcessor({ captureContent: false })]);
      serveToolRun(server);
      await ai.generateText({
        model: openai().chat('gpt-4o-mini'),
        prompt: 'Weather in Paris?',
        tools: { weather },
        stopWhen: ai.stepCountIs(3),
        experimental_telemetry: { isEnabled: true, tracer: masked.provider.getTracer('ai') },
      });
      const spans = await masked.spans();
      const text = JSON.stringify(spans.map((s) => s.attributes));
      for (const secret of ['Weather in Paris', 'Hello there', 'Paris', '"temp"']) expect(text).not.to.contain(secret);
      expect(spans.filter((s) => s.attributes['openinference.span.kind'] === 'LLM').map((s) => s.attributes['llm.token_count.prompt'])).to.deep.equal([30, 19]);
    });

    it('maps generateObject: AGENT > LLM, the object as output; nothing of ours besides', async () => {
      const object = '{"city":"Paris","temp":20}';
      server.reply({ json: chatCompletion({ choices: [{ index: 0, message: { role: 'assistant', content: object }, finish_reason: 'stop' }] }) });
      const result = await ai.generateObject({ model: openai().chat('gpt-4o-mini'), schema: z.object({ city: z.string(), temp: z.number() }), prompt: 'Weather?', experimental_telemetry: telemetry() });
      expect(result.object).to.deep.equal({ city: 'Paris', temp: 20 });
      const spans = await tracing.spans();
      expect(spanTree(spans)).to.equal(['ai.generateObject [AGENT]', '  ai.generateObject.doGenerate [LLM]'].join('\n'));
      expect(one(spans, 'ai.generateObject').attributes).to.include({ 'output.value': object, 'infinium.llm_call_count': 1 });
      expect(one(spans, 'ai.generateObject.doGenerate').attributes['llm.output_messages.0.message.content']).to.equal(object);
    });

    it('honours recordInputs/recordOutputs: no messages from the SDK, so none mapped', async () => {
      serveToolRun(server);
      await ai.generateText({ model: openai().chat('gpt-4o-mini'), prompt: 'secret prompt', experimental_telemetry: telemetry({ recordInputs: false, recordOutputs: false }) });
      const spans = await tracing.spans();
      const text = JSON.stringify(spans.map((s) => s.attributes));
      expect(text).not.to.contain('secret prompt');
      expect(text).not.to.contain('Paris');
      expect(one(spans, 'ai.generateText.doGenerate').attributes['llm.token_count.prompt']).to.equal(30);
    });

    it('ai.usage.* keys naming __proto__ or a key below a count (anyone may write them on an ai.* span): no prototype polluted, no throw, the counts still map', async () => {
      const attributes = {
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.usage.__proto__.polluted': 1,
        'ai.usage.constructor.prototype.polluted': 2,
        'ai.usage.inputTokens': 5,
        'ai.usage.totalTokens': 7,
        'ai.usage.totalTokens.below': 1,
      };
      tracing.provider.getTracer('ai').startSpan('ai.generateText.doGenerate', { attributes }).end();
      const span = one(await tracing.spans(), 'ai.generateText.doGenerate');
      expect(({} as { polluted?: unknown }).polluted).to.equal(undefined);
      expect(span.attributes).to.include({ 'openinference.span.kind': 'LLM', 'llm.token_count.prompt': 5, 'llm.token_count.total': 7 });
    });
  });
}
