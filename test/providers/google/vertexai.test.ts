import { expect } from 'chai';
import { Attributes, metrics, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { SamplingDecision, TracerProvider } from '@opentelemetry/sdk-trace';
import type * as Vertex from '@google-cloud/vertexai';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, expectAbandoned, llmSpans } from '../../helpers/tracing';
import { useProviderSuite } from '../../helpers/provider-suite';
import { chatSessionTests } from './chat-sessions';
import { helloAttributes, THINKING_CACHED_TOKENS, thinkingCachedTokens, stable, storyStreamAttributes } from './expected';
import { errorResponse, functionCallResponse, generateContentResponse, sse, textStream, thinkingCachedResponse } from './fixtures';
import { fixedAuthClient, routeVertexToFake, VERTEX_TOKEN } from './vertex-endpoint';

type Fn = ((...args: unknown[]) => unknown) & { __wrapped?: boolean };

describe('google @google-cloud/vertexai', () => {
  let server: FakeLlmServer;
  let vertex: typeof Vertex;
  let client: Vertex.VertexAI;
  let route: ReturnType<typeof routeVertexToFake>;
  const tracing = createTracing();
  const PATH = '/v1/projects/test-project/locations/us-central1/publishers/google/models/gemini-2.0-flash';

  const suite = useProviderSuite(
    async () => {
      vertex = require('@google-cloud/vertexai');
      server = await startFakeLlmServer();
      route = routeVertexToFake(server);
      const warn = console.warn; // the SDK's deprecation notice, once per client
      console.warn = () => undefined;
      try {
        client = new vertex.VertexAI({ project: 'test-project', location: 'us-central1', apiEndpoint: route.host, googleAuthOptions: { authClient: fixedAuthClient as never } });
      } finally {
        console.warn = warn;
      }
      return { server };
    },
    { tracing, resetConfig: true, setUpTimeoutMs: 60_000, tearDown: async () => (route.restore(), server.stop()) },
  );
  const onlySpan = () => suite.onlySpan();

  const model = (params: Partial<Vertex.ModelParams> = {}) => client.getGenerativeModel({ model: 'gemini-2.0-flash', ...params });

  it('generateContent: one LLM span, the exact Gemini attributes, Vertex AI as the GenAI provider', async () => {
    server.reply({ json: generateContentResponse() });
    const m = model({ systemInstruction: 'Be brief.', generationConfig: { temperature: 0.4, maxOutputTokens: 64 } });
    const result = await tracing.inParent('agent', () => m.generateContent('Say hello'));
    expect(result.response.candidates?.[0].content.parts[0].text).to.equal('Hello there!');
    const spans = await tracing.spans();
    const [span] = llmSpans(spans);
    expect(llmSpans(spans)).to.have.length(1);
    expect(span.name).to.equal('generate_content gemini-2.0-flash');
    expect(span.kind).to.equal(SpanKind.CLIENT);
    expect(span.parentSpanContext?.spanId).to.equal(spans.find((s) => s.name === 'agent')!.spanContext().spanId);
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(stable(span)).to.deep.equal(helloAttributes(0.4, '{"temperature":0.4,"maxOutputTokens":64}'));
    const request = server.requests.at(-1)!;
    expect(request.path).to.equal(`${PATH}:generateContent`);
    expect(request.headers.authorization).to.equal(`Bearer ${VERTEX_TOKEN}`);
    expect(JSON.stringify(span.attributes)).not.to.contain(VERTEX_TOKEN);
  });

  it('GenAI conventions: gen_ai.provider.name gcp.vertex_ai, the apiEndpoint as server address', async () => {
    suite.instrumentation.setConfig({ semconv: 'openinference,gen_ai' });
    server.reply({ json: generateContentResponse() });
    await model().generateContent('Say hello');
    const a = (await onlySpan()).attributes;
    expect(a['gen_ai.provider.name']).to.equal('gcp.vertex_ai');
    expect(a['llm.provider']).to.equal('google');
    expect(`${a['server.address']}:${a['server.port']}`).to.equal(route.host);
  });

  it('an unsampled call: the sampler sees gcp.vertex_ai at span start, and so do the GenAI metrics (custom apiEndpoint)', async () => {
    suite.instrumentation.setConfig({ semconv: 'openinference,gen_ai' });
    const seen: Attributes[] = [];
    const sampler = { shouldSample: (_c: unknown, _t: string, _n: string, _k: unknown, attributes: Attributes) => (seen.push(attributes), { decision: SamplingDecision.NOT_RECORD }), toString: () => 'drop' };
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    suite.instrumentation.setTracerProvider(new TracerProvider({ sampler }));
    suite.instrumentation.setMeterProvider(new MeterProvider({ readers: [reader] }));
    try {
      server.reply({ json: generateContentResponse() });
      await model().generateContent('Say hello');
      const { resourceMetrics } = await reader.collect();
      const usage = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === 'gen_ai.client.token.usage');
      expect(usage?.dataPoints.map((p) => p.attributes['gen_ai.provider.name'])).to.deep.equal(['gcp.vertex_ai', 'gcp.vertex_ai']);
    } finally {
      suite.instrumentation.setTracerProvider(tracing.provider);
      suite.instrumentation.setMeterProvider(metrics.getMeterProvider());
    }
    expect(seen.map((a) => a['gen_ai.provider.name'])).to.deep.equal(['gcp.vertex_ai']);
    expect(llmSpans(await tracing.spans())).to.have.length(0);
  });

  it('a request object overrides the model\'s defaults; tools, function calls, cached and thought tokens', async () => {
    const tools = [{ functionDeclarations: [{ name: 'get_weather', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] } }] }];
    server.reply({ json: functionCallResponse() });
    await model({ tools: tools as never, generationConfig: { temperature: 0.9 } }).generateContent({
      contents: [{ role: 'user', parts: [{ text: 'Weather in Paris?' }] }],
      generationConfig: { temperature: 0.1, topK: 3 },
    });
    const a = (await onlySpan()).attributes;
    expect(a['llm.invocation_parameters']).to.equal('{"temperature":0.1,"topK":3}');
    expect(a['llm.tools.0.tool.json_schema']).to.equal('{"name":"get_weather","parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"}},"required":["city"]}}');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":"Paris","unit":"C"}');
    expect(a['llm.token_count.total']).to.equal(48);

    tracing.reset();
    server.reply({ json: thinkingCachedResponse() });
    await model().generateContent('Answer?');
    expect(thinkingCachedTokens(await onlySpan())).to.deep.equal(THINKING_CACHED_TOKENS);
  });

  it('a model named by resource path is recorded by its short name', async () => {
    server.reply({ json: generateContentResponse([{ text: 'ok' }], { modelVersion: undefined }) });
    await model({ model: 'projects/test-project/locations/us-central1/publishers/google/models/gemini-2.0-flash' }).generateContent('x');
    expect((await onlySpan()).name).to.equal('generate_content gemini-2.0-flash');
  });

  describe('generateContentStream (SSE, ?alt=sse)', () => {
    it('reading stream and response: assembled text, usage from the last chunk, one span', async () => {
      server.reply(sse(textStream()));
      const result = await model().generateContentStream('Tell a story');
      const seen: string[] = [];
      for await (const chunk of result.stream) seen.push(chunk.candidates![0].content.parts[0].text!);
      expect(seen).to.deep.equal(['Once ', 'upon ', 'a time.']);
      await result.response;
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(stable(span)).to.deep.equal(storyStreamAttributes('gemini-2.0-flash'));
      expect(server.requests.at(-1)!.path).to.equal(`${PATH}:streamGenerateContent?alt=sse`);
    });

    it('awaiting only response: the span ends from the aggregated answer', async () => {
      server.reply(sse(textStream()));
      const result = await model().generateContentStream('Tell a story');
      await result.response;
      const a = (await onlySpan()).attributes;
      expect(a['llm.output_messages.0.message.content']).to.equal('Once upon a time.');
      expect([a['llm.token_count.prompt'], a['llm.token_count.completion'], a['llm.token_count.total']]).to.deep.equal([9, 4, 13]);
    });

    it('break before the end: abandoned, with the partial output', async () => {
      server.reply(sse(textStream(), { delayMs: 100 }));
      const result = await model().generateContentStream('Tell a story');
      for await (const _ of result.stream) break;
      expectAbandoned(await onlySpan(), 'Once ');
      await result.response;
      expect(llmSpans(await tracing.spans())).to.have.length(1);
    });

    it('dropped connection: ERROR, the SDK\'s error reaches the app', async () => {
      server.reply(sse(textStream(), { dropAfter: 1 }));
      const result = await model().generateContentStream('Tell a story');
      const responseError = result.response.then(() => undefined, (err: unknown) => err);
      let caught: unknown;
      try {
        for await (const _ of result.stream) void _;
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(Error);
      expect(await responseError).to.be.instanceOf(Error);
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.ERROR);
      expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
    });
  });

  it('an error chunk mid-stream (which the SDK hands over as a chunk): the app gets it unchanged, the span is ERROR with the text so far', async () => {
    const error = { code: 500, message: 'An internal error has occurred.', status: 'INTERNAL' };
    server.reply(sse([textStream()[0], { data: { error } }]));
    const result = await model().generateContentStream('Tell a story');
    const seen: unknown[] = [];
    for await (const chunk of result.stream) seen.push(chunk);
    expect(seen[1]).to.deep.equal({ error });
    await result.response;
    const span = await onlySpan();
    expect([span.status.code, span.status.message, span.attributes['error.type']]).to.deep.equal([SpanStatusCode.ERROR, '500 INTERNAL: An internal error has occurred.', 'GeminiStreamError']);
    expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Once ');
  });

  it('an HTTP 400: ClientError, ERROR status, the same error object rethrown', async () => {
    server.reply(errorResponse(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.'));
    const caught = await model().generateContent('x').then(() => undefined, (err: unknown) => err);
    expect(caught).to.be.instanceOf(vertex.ClientError);
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.status.message).to.equal((caught as Error).message);
    expect(span.attributes['error.type']).to.equal('ClientError');
  });

  describe('startChat()', () => {
    chatSessionTests({ model: (params) => model(params as Partial<Vertex.ModelParams>), server: () => server, tracing, onlySpan, modelName: 'gemini-2.0-flash' });

    it('sendMessageStream (preview model): one span, and the session history still updates', async () => {
      server.reply(sse(textStream()));
      const chat = client.preview.getGenerativeModel({ model: 'gemini-2.0-flash' }).startChat();
      const result = await chat.sendMessageStream('Story?');
      let text = '';
      for await (const chunk of result.stream) text += chunk.candidates![0].content.parts[0].text;
      expect(text).to.equal('Once upon a time.');
      const span = await onlySpan();
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Once upon a time.');
      expect(span.attributes['llm.token_count.total']).to.equal(13);
      await result.response;
      expect((await chat.getHistory()).map((c) => c.role)).to.deep.equal(['user', 'model']);
      // The preview session calls the default regional host (the SDK does not pass apiEndpoint on to it).
      expect(server.requests.at(-1)!.path).to.equal(`${PATH}:streamGenerateContent?alt=sse`);
    });
  });

  it('masking: hidden inputs and outputs are redacted, token counts stay', async () => {
    suite.instrumentation.setConfig({ hideInputs: true, hideOutputs: true });
    server.reply({ json: generateContentResponse() });
    await model().generateContent('Secret question');
    const span = await onlySpan();
    const text = JSON.stringify(span.attributes);
    expect(text).not.to.contain('Secret question');
    expect(text).not.to.contain('Hello there!');
    expect(span.attributes['input.value']).to.equal('__REDACTED__');
    expect(span.attributes['output.value']).to.equal('__REDACTED__');
    expect(span.attributes['llm.token_count.total']).to.equal(17);
  });

  it('disable() puts every method back; enable() traces again', async () => {
    const protos = [vertex.GenerativeModel, vertex.GenerativeModelPreview, vertex.ChatSession, vertex.ChatSessionPreview].map((c) => c.prototype as unknown as Record<string, Fn>);
    const methods = (p: Record<string, Fn>) => ['generateContent', 'generateContentStream', 'sendMessage', 'sendMessageStream'].filter((m) => typeof p[m] === 'function');
    expect(protos.flatMap((p) => methods(p).map((m) => p[m].__wrapped === true))).to.have.length(8).and.not.include(false);
    server.reply({ json: generateContentResponse() });
    suite.instrumentation.disable();
    try {
      expect(protos.flatMap((p) => methods(p).map((m) => p[m].__wrapped))).to.deep.equal(new Array(8).fill(undefined));
      await model().generateContent('x');
      expect(llmSpans(await tracing.spans())).to.have.length(0);
    } finally {
      suite.instrumentation.enable();
    }
    await model().generateContent('y');
    expect(llmSpans(await tracing.spans())).to.have.length(1);
  });
});
