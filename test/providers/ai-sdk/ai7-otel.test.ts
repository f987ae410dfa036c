import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { embed, embedMany, generateText, registerTelemetry, stepCountIs, tool } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { OpenTelemetry } from '@ai-sdk/otel';
import { z } from 'zod';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, useInstrumentation } from '../../helpers/tracing';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { embeddingsFor, serveToolRun, spanTree, toolRunTree, TOOL_CALL_ARGS } from './helpers';

/**
 * ai 7 with `@ai-sdk/otel` registered: it writes a span for every operation, so our channel subscriber
 * stands down (one LLM span per model call, never two) and the processor gives each of its spans an
 * OpenInference kind. The order of setup does not matter: the check is made at each operation.
 */
type Global = typeof globalThis & { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] };

function unregister(integration: object): void {
  const list = (globalThis as Global).AI_SDK_TELEMETRY_INTEGRATIONS ?? [];
  const index = list.indexOf(integration);
  if (index >= 0) list.splice(index, 1);
}

describe('ai 7 with @ai-sdk/otel registered', () => {
  let server: FakeLlmServer;
  const tracing = createTracing([new InfiniumSpanProcessor()]);
  const weather = tool({ inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => ({ city, temp: 20 }) });
  let theirs: OpenTelemetry | undefined;

  before(async () => {
    server = await startFakeLlmServer();
  });
  after(() => server.stop());
  beforeEach(() => tracing.reset());
  afterEach(() => {
    if (theirs) unregister(theirs);
    theirs = undefined;
    useInstrumentation(tracing);
  });

  const registerTheirs = () => {
    theirs = new OpenTelemetry({ tracer: tracing.provider.getTracer('gen_ai') });
    registerTelemetry(theirs);
  };

  async function toolRun(): Promise<ReadableSpan[]> {
    serveToolRun(server);
    const openai = createOpenAI({ apiKey: 'sk-test', baseURL: `${server.origin}/v1` });
    await tracing.inParent('request', () => generateText({ model: openai.chat('gpt-4o-mini'), prompt: 'Weather in Paris?', tools: { weather }, stopWhen: stepCountIs(3) }));
    return tracing.spans();
  }

  function expectTheirSpansWithKinds(spans: ReadableSpan[]): void {
    expect(spanTree(spans)).to.equal(toolRunTree('invoke_agent gpt-4o-mini'));
    expect(spans.filter((s) => s.instrumentationScope.name === '@infinium/otel')).to.have.length(0);
    const chats = spans.filter((s) => s.name === 'chat gpt-4o-mini');
    expect(chats[0].attributes).to.include({
      'llm.provider': 'openai',
      'llm.token_count.prompt': 30,
      'llm.token_count.completion': 5,
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': TOOL_CALL_ARGS,
    });
    expect(chats[1].attributes).to.include({ 'llm.token_count.prompt': 19, 'llm.token_count.completion': 10 });
    expect(spans.find((s) => s.name === 'request')!.attributes['infinium.llm_call_count']).to.equal(2);
  }

  it('instrumentation first, then registerTelemetry: their spans only, each with a kind', async () => {
    useInstrumentation(tracing);
    registerTheirs();
    expectTheirSpansWithKinds(await toolRun());
  });

  it('registerTelemetry first, then the instrumentation: the same', async () => {
    useInstrumentation(tracing).instrumentation.disable();
    registerTheirs();
    useInstrumentation(tracing);
    expectTheirSpansWithKinds(await toolRun());
  });

  it('once @ai-sdk/otel is unregistered, our spans come back', async () => {
    useInstrumentation(tracing);
    registerTheirs();
    unregister(theirs!);
    const spans = await toolRun();
    expect(spans.filter((s) => s.instrumentationScope.name === '@infinium/otel')).to.have.length(6);
  });

  it('a call failing with HTTP 500: their chat span gets error.type from the exception they record, the app the SDK error', async () => {
    useInstrumentation(tracing);
    registerTheirs();
    server.reply({ status: 500, json: { error: { message: 'The server had an error', type: 'server_error', param: null, code: null } } });
    const openai = createOpenAI({ apiKey: 'sk-test', baseURL: `${server.origin}/v1` });
    const error = await generateText({ model: openai.chat('gpt-4o-mini'), prompt: 'Hi', maxRetries: 0 }).catch((e: unknown) => e);
    expect((error as Error).name).to.equal('AI_APICallError');
    const spans = await tracing.spans();
    expect(spanTree(spans)).to.equal(['invoke_agent gpt-4o-mini [AGENT]', '  step 1 [CHAIN]', '    chat gpt-4o-mini [LLM]'].join('\n'));
    expect(spans.filter((s) => s.instrumentationScope.name === '@infinium/otel')).to.have.length(0);
    const chat = spans.find((s) => s.name === 'chat gpt-4o-mini')!;
    expect(chat.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'The server had an error' });
    expect(chat.events.map((e) => [e.name, e.attributes?.['exception.type']])).to.deep.equal([['exception', 'AI_APICallError']]);
    expect(chat.attributes).to.include({ 'error.type': 'AI_APICallError', 'http.response.status_code': 500, 'llm.provider': 'openai', 'llm.model_name': 'gpt-4o-mini' });
  });

  it('embed and a two-request embedMany: their operation a CHAIN, one EMBEDDING span per request', async () => {
    useInstrumentation(tracing);
    registerTheirs();
    server.handle((request) => ({ json: embeddingsFor((request.body as { input: string[] }).input) }));
    const openai = createOpenAI({ apiKey: 'sk-test', baseURL: `${server.origin}/v1` });
    await embed({ model: openai.embedding('text-embedding-3-small'), value: 'hello' });
    const model = openai.embedding('text-embedding-3-small');
    Object.defineProperty(model, 'maxEmbeddingsPerCall', { value: 2 });
    await embedMany({ model, values: ['sun', 'rain', 'snow'], maxParallelCalls: 1 });
    const spans = await tracing.spans();
    const name = 'embeddings text-embedding-3-small';
    expect(spanTree(spans)).to.equal([`${name} [CHAIN]`, `  ${name} [EMBEDDING]`, `${name} [CHAIN]`, `  ${name} [EMBEDDING]`, `  ${name} [EMBEDDING]`].join('\n'));
    expect(spans.filter((s) => s.attributes['openinference.span.kind'] === 'EMBEDDING').map((s) => s.attributes['llm.token_count.prompt'])).to.deep.equal([1, 2, 1]);
    for (const span of spans.filter((s) => s.attributes['openinference.span.kind'] === 'CHAIN')) {
      expect(Object.keys(span.attributes).filter((k) => /^(llm|embedding)\./.test(k))).to.deep.equal([]);
    }
  });
});
