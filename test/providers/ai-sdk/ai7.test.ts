import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { embed, generateText, stepCountIs, streamText, tool } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { z } from 'zod';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, useInstrumentation } from '../../helpers/tracing';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { chatStream } from '../openai/fixtures';
import { embeddingResponse, one, openAiError, serveToolRun, spansWhen, spanTree, toolRunTree, TOOL_CALL_ARGS } from './helpers';

/** ai 7 with no telemetry integration: every span comes from the `ai:telemetry` tracing channel. */
describe('ai 7 (tracing channel)', () => {
  let server: FakeLlmServer;
  const tracing = createTracing([new InfiniumSpanProcessor()]);
  const openai = () => createOpenAI({ apiKey: 'sk-test', baseURL: `${server.origin}/v1` });
  const weather = tool({ description: 'Weather in a city', inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => ({ city, temp: 20 }) });

  before(async () => {
    useInstrumentation(tracing);
    server = await startFakeLlmServer();
  });
  after(() => server.stop());
  beforeEach(() => tracing.reset());

  it('traces a two-step tool run: AGENT > CHAIN > LLM, TOOL, with the root counting both model calls', async () => {
    serveToolRun(server);
    const result = await tracing.inParent('request', () =>
      generateText({ model: openai().chat('gpt-4o-mini'), system: 'Be brief', prompt: 'Weather in Paris?', tools: { weather }, stopWhen: stepCountIs(3), temperature: 0.2, telemetry: { functionId: 'weather-agent' } }),
    );
    expect(result.text).to.equal('Hello there!');
    const spans = await tracing.spans();
    expect(spanTree(spans)).to.equal(toolRunTree('weather-agent'));
    const [first, second] = spans.filter((s) => s.name === 'chat gpt-4o-mini');
    expect(first.attributes).to.include({
      'llm.provider': 'openai',
      'llm.system': 'openai',
      'llm.model_name': 'gpt-4o-mini-2024-07-18',
      'llm.model': 'gpt-4o-mini-2024-07-18',
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'Be brief',
      'llm.input_messages.1.message.role': 'user',
      'llm.input_messages.1.message.content': 'Weather in Paris?',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'call_1',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'weather',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': TOOL_CALL_ARGS,
      'llm.token_count.prompt': 30,
      'llm.token_count.completion': 5,
      'llm.token_count.total': 35,
      'llm.prompt_tokens': 30,
      'llm.completion_tokens': 5,
      'llm.temperature': 0.2,
      'llm.finish_reason': 'tool-calls',
    });
    expect(first.attributes['llm.tools.0.tool.json_schema']).to.be.a('string').that.contains('"name":"weather"');
    expect(second.attributes).to.include({
      'llm.input_messages.2.message.role': 'assistant',
      'llm.input_messages.2.message.tool_calls.0.tool_call.function.name': 'weather',
      'llm.input_messages.3.message.role': 'tool',
      'llm.input_messages.3.message.tool_call_id': 'call_1',
      'llm.input_messages.3.message.content': '{"city":"Paris","temp":20}',
      'llm.output_messages.0.message.content': 'Hello there!',
      'llm.token_count.prompt': 19,
      'llm.token_count.completion': 10,
      'llm.token_count.prompt_details.cache_read': 4,
      'llm.token_count.completion_details.reasoning': 2,
      'llm.finish_reason': 'stop',
    });
    expect(one(spans, 'execute_tool weather').attributes).to.include({
      'tool.name': 'weather',
      'tool_call.id': 'call_1',
      'input.value': TOOL_CALL_ARGS,
      'output.value': '{"city":"Paris","temp":20}',
    });
    expect(one(spans, 'weather-agent').attributes).to.include({ 'agent.name': 'weather-agent', 'input.value': 'Weather in Paris?', 'output.value': 'Hello there!' });
    expect(one(spans, 'request').attributes['infinium.llm_call_count']).to.equal(2);
  });

  it('ends a streamed call at the end of the stream, with its text, tool call and tokens', async () => {
    server.reply({ sse: chatStream() });
    const result = streamText({ model: openai().chat('gpt-4o-mini'), prompt: 'Hi' });
    let text = '';
    for await (const piece of result.textStream) text += piece;
    expect(text).to.equal('Let me check.');
    const spans = await tracing.spans();
    expect(spanTree(spans)).to.equal(['ai.streamText [AGENT]', '  step 1 [CHAIN]', '    chat gpt-4o-mini [LLM]'].join('\n'));
    const llm = one(spans, 'chat gpt-4o-mini');
    expect(llm.attributes).to.include({
      'llm.output_messages.0.message.content': 'Let me check.',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': TOOL_CALL_ARGS,
      'llm.token_count.prompt': 12,
      'llm.token_count.completion': 7,
      'llm.finish_reason': 'tool-calls',
    });
    expect(one(spans, 'ai.streamText').attributes['output.value']).to.equal('Let me check.');
  });

  it('ends the spans of an aborted stream', async () => {
    // Two frames (the role, then 'Let me '), then nothing until the abort: the abort always comes mid-answer.
    server.reply({ sse: chatStream(), holdAfter: 2 });
    const controller = new AbortController();
    const result = streamText({ model: openai().chat('gpt-4o-mini'), prompt: 'Hi', abortSignal: controller.signal });
    for await (const _ of result.textStream) {
      controller.abort();
    }
    const spans = await spansWhen(tracing, (s) => s.length >= 3, 'the run, its step and its LLM span to end');
    expect(spanTree(spans)).to.equal(['ai.streamText [AGENT]', '  step 1 [CHAIN]', '    chat gpt-4o-mini [LLM]'].join('\n'));
  });

  it('fails the spans of an HTTP error, and the app gets the SDK error', async () => {
    server.reply(openAiError());
    const error = await generateText({ model: openai().chat('gpt-4o-mini'), prompt: 'Hi', maxRetries: 0 }).catch((e: unknown) => e);
    expect((error as Error).name).to.equal('AI_APICallError');
    const spans = await tracing.spans();
    expect(spanTree(spans)).to.equal(['ai.generateText [AGENT]', '  step 1 [CHAIN]', '    chat gpt-4o-mini [LLM]'].join('\n'));
    const llm = one(spans, 'chat gpt-4o-mini');
    expect(llm.status.code).to.equal(SpanStatusCode.ERROR);
    expect(llm.attributes['error.type']).to.equal('APICallError');
    expect(one(spans, 'ai.generateText').status.code).to.equal(SpanStatusCode.ERROR);
  });

  it('a stream answered with HTTP 400, and a stream cut mid-way: the spans end as errors', async () => {
    server.reply(openAiError());
    const failed = streamText({ model: openai().chat('gpt-4o-mini'), prompt: 'Hi', maxRetries: 0, onError: () => {} });
    for await (const _ of failed.textStream);
    server.reply({ sse: chatStream(), dropAfter: 2 });
    const cut = streamText({ model: openai().chat('gpt-4o-mini'), prompt: 'Hi', maxRetries: 0, onError: () => {} });
    const error = await (async () => {
      for await (const _ of cut.textStream);
    })().catch((e: unknown) => e);
    expect((error as Error).name).to.equal('AI_APICallError');
    const spans = await spansWhen(tracing, (s) => s.length >= 6, 'both runs, their steps and their LLM spans to end');
    const llms = spans.filter((s) => s.name === 'chat gpt-4o-mini');
    expect(llms.map((s) => [s.status.code, s.attributes['error.type']])).to.deep.equal([
      [SpanStatusCode.ERROR, 'APICallError'],
      [SpanStatusCode.ERROR, 'APICallError'],
    ]);
    // ai 7 never settles a run cut mid-way on the channel: its onError ends the run, the step and the call.
    expect(spanTree(spans)).to.equal(['ai.streamText [AGENT]', '  step 1 [CHAIN]', '    chat gpt-4o-mini [LLM]', 'ai.streamText [AGENT]', '  step 1 [CHAIN]', '    chat gpt-4o-mini [LLM]'].join('\n'));
    for (const span of spans) expect(span.status.code).to.equal(SpanStatusCode.ERROR);
  });

  it('traces embed as a CHAIN over its one EMBEDDING span (the request) with text, vector and tokens', async () => {
    server.reply({ json: embeddingResponse() });
    const result = await embed({ model: openai().embedding('text-embedding-3-small'), value: 'hello' });
    expect(result.embedding).to.deep.equal([0.25, -0.5]);
    const spans = await tracing.spans();
    expect(spanTree(spans)).to.equal(['ai.embed [CHAIN]', '  embeddings text-embedding-3-small [EMBEDDING]'].join('\n'));
    expect(one(spans, 'ai.embed').attributes).to.include({ 'input.value': 'hello', 'input.mime_type': 'text/plain', 'infinium.llm_call_count': 0 });
    expect(one(spans, 'embeddings text-embedding-3-small').attributes).to.deep.include({
      'embedding.model_name': 'text-embedding-3-small',
      'embedding.embeddings.0.embedding.text': 'hello',
      'embedding.embeddings.0.embedding.vector': [0.25, -0.5],
      'llm.token_count.prompt': 3,
      'llm.provider': 'openai',
    });
  });
});
