import { expect } from 'chai';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type * as Legacy from '@google/generative-ai';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, expectAbandoned, llmSpans } from '../../helpers/tracing';
import { useProviderSuite } from '../../helpers/provider-suite';
import { chatSessionTests } from './chat-sessions';
import { helloAttributes, THINKING_CACHED_TOKENS, thinkingCachedTokens, inputMessages, stable, storyStreamAttributes } from './expected';
import {
  API_KEY,
  embeddingsResponse,
  errorResponse,
  functionCallResponse,
  generateContentResponse,
  MODEL_VERSION,
  sse,
  textStream,
  thinkingCachedResponse,
} from './fixtures';

describe('google @google/generative-ai (legacy)', () => {
  let server: FakeLlmServer;
  let legacy: typeof Legacy;
  const tracing = createTracing();

  const { onlySpan } = useProviderSuite(
    async () => {
      legacy = require('@google/generative-ai');
      server = await startFakeLlmServer();
      return { server };
    },
    { tracing },
  );

  function model(params: Partial<Legacy.ModelParams> = {}): Legacy.GenerativeModel {
    return new legacy.GoogleGenerativeAI(API_KEY).getGenerativeModel({ model: 'gemini-1.5-flash', ...params }, { baseUrl: server.origin });
  }

  it('generateContent: one LLM span with the model\'s system instruction and generation config', async () => {
    server.reply({ json: generateContentResponse() });
    const m = model({ systemInstruction: 'Be brief.', generationConfig: { temperature: 0.4, maxOutputTokens: 64 } });
    const result = await tracing.inParent('agent', () => m.generateContent('Say hello'));
    expect(result.response.text()).to.equal('Hello there!');
    const spans = await tracing.spans();
    const [span] = llmSpans(spans);
    expect(span.name).to.equal('generate_content gemini-1.5-flash');
    expect(span.kind).to.equal(SpanKind.CLIENT);
    expect(span.parentSpanContext?.spanId).to.equal(spans.find((s) => s.name === 'agent')!.spanContext().spanId);
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(stable(span)).to.deep.equal(helloAttributes(0.4, '{"temperature":0.4,"maxOutputTokens":64}'));
    expect(server.requests.at(-1)!.path).to.equal('/v1beta/models/gemini-1.5-flash:generateContent');
  });

  it('never records the API key (sent as the x-goog-api-key header)', async () => {
    server.reply({ json: generateContentResponse() });
    await model().generateContent('x');
    const span = await onlySpan();
    expect(JSON.stringify(span.attributes)).not.to.contain(API_KEY);
    expect(server.requests.at(-1)!.headers['x-goog-api-key']).to.equal(API_KEY);
  });

  it('a request object: its contents, its own systemInstruction and generationConfig override the model\'s', async () => {
    server.reply({ json: generateContentResponse() });
    await model({ systemInstruction: 'Model default.', generationConfig: { temperature: 0.9 } }).generateContent({
      systemInstruction: { role: 'system', parts: [{ text: 'Per request.' }] },
      generationConfig: { temperature: 0.1, topK: 3 },
      contents: [
        { role: 'user', parts: [{ text: 'Look: ' }, { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } }] },
        { role: 'model', parts: [{ text: 'A cat.' }] },
        { role: 'user', parts: [{ text: 'Sure?' }] },
      ],
    });
    const span = await onlySpan();
    expect(inputMessages(span)).to.deep.equal({
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'Per request.',
      'llm.input_messages.1.message.role': 'user',
      'llm.input_messages.1.message.contents.0.message_content.type': 'text',
      'llm.input_messages.1.message.contents.0.message_content.text': 'Look: ',
      'llm.input_messages.1.message.contents.1.message_content.type': 'image',
      'llm.input_messages.1.message.contents.1.message_content.image.image.url': 'data:image/jpeg;base64,/9j/4AAQ',
      'llm.input_messages.2.message.role': 'assistant',
      'llm.input_messages.2.message.content': 'A cat.',
      'llm.input_messages.3.message.role': 'user',
      'llm.input_messages.3.message.content': 'Sure?',
    });
    expect(span.attributes['llm.invocation_parameters']).to.equal('{"temperature":0.1,"topK":3}');
    expect(span.attributes['llm.temperature']).to.equal(0.1);
  });

  it('function calling: tools, the model\'s call as a tool call, cache and thought tokens', async () => {
    const tools = [
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            parameters: { type: legacy.SchemaType.OBJECT, properties: { city: { type: legacy.SchemaType.STRING } }, required: ['city'] },
          },
        ],
      },
    ] as Legacy.Tool[];
    server.reply({ json: functionCallResponse() });
    const result = await model({ tools }).generateContent('Weather in Paris?');
    expect(result.response.functionCalls()?.[0].name).to.equal('get_weather');
    const a = (await onlySpan()).attributes;
    expect(a['llm.tools.0.tool.json_schema']).to.equal('{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":"Paris","unit":"C"}');

    tracing.reset();
    server.reply({ json: thinkingCachedResponse() });
    await model().generateContent('Answer?');
    expect(thinkingCachedTokens(await onlySpan())).to.deep.equal(THINKING_CACHED_TOKENS);
  });

  describe('generateContentStream', () => {
    it('reading stream and response: assembled text, usage from the last usage chunk, one span', async () => {
      server.reply(sse(textStream()));
      const result = await model().generateContentStream('Tell a story');
      const seen: string[] = [];
      for await (const chunk of result.stream) seen.push(chunk.text());
      expect(seen).to.deep.equal(['Once ', 'upon ', 'a time.']);
      expect((await result.response).text()).to.equal('Once upon a time.');
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.events).to.have.length(0);
      expect(stable(span)).to.deep.equal(storyStreamAttributes('gemini-1.5-flash'));
      expect(server.requests.at(-1)!.path).to.equal('/v1beta/models/gemini-1.5-flash:streamGenerateContent?alt=sse');
    });

    it('awaiting only response (stream never read): the span ends from the aggregated response', async () => {
      server.reply(sse(textStream()));
      const result = await model().generateContentStream('Tell a story');
      const response = await result.response;
      expect(response.text()).to.equal('Once upon a time.');
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Once upon a time.');
      expect(span.attributes['llm.token_count.prompt']).to.equal(9);
      expect(span.attributes['llm.token_count.completion']).to.equal(4);
      expect(span.attributes['llm.finish_reason']).to.equal('STOP');
      // Reading the stream afterwards still works and adds no span.
      const seen: string[] = [];
      for await (const chunk of result.stream) seen.push(chunk.text());
      expect(seen).to.deep.equal(['Once ', 'upon ', 'a time.']);
      expect(llmSpans(await tracing.spans())).to.have.length(1);
    });

    it('break before the body is complete: abandoned, with the partial output', async () => {
      server.reply(sse(textStream(), { delayMs: 100 }));
      const result = await model().generateContentStream('Tell a story');
      for await (const chunk of result.stream) {
        expect(chunk.text()).to.equal('Once ');
        break;
      }
      const span = await onlySpan();
      expectAbandoned(span, 'Once ');
      await result.response; // the SDK still reads the body to its end; nothing more is recorded
      expect(llmSpans(await tracing.spans())).to.have.length(1);
    });

    it('dropped connection: ERROR, and the app gets the SDK\'s error from both stream and response', async () => {
      server.reply(sse(textStream(), { dropAfter: 1 }));
      const result = await model().generateContentStream('Tell a story');
      const responseError = result.response.then(
        () => undefined,
        (err: unknown) => err,
      );
      let caught: unknown;
      try {
        for await (const _ of result.stream) void _;
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(legacy.GoogleGenerativeAIError);
      expect(await responseError).to.be.instanceOf(legacy.GoogleGenerativeAIError);
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).to.equal('GoogleGenerativeAIError');
      expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
    });
  });

  it('errors: GoogleGenerativeAIFetchError, ERROR status, the same error object rethrown', async () => {
    server.reply(errorResponse(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.'));
    let caught: unknown;
    try {
      await model().generateContent('x');
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(legacy.GoogleGenerativeAIFetchError);
    expect((caught as Legacy.GoogleGenerativeAIFetchError).status).to.equal(400);
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.status.message).to.equal((caught as Error).message);
    expect(span.attributes['error.type']).to.equal('GoogleGenerativeAIFetchError');
    expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
    expect(JSON.stringify(span.attributes)).not.to.contain(API_KEY);
  });

  describe('startChat()', () => {
    chatSessionTests({ model: (params) => model(params as Partial<Legacy.ModelParams>), server: () => server, tracing, onlySpan, modelName: 'gemini-1.5-flash' });

    it('sendMessageStream: one span, and the session history still updates', async () => {
      server.reply(sse(textStream()));
      const chat = model().startChat();
      const result = await chat.sendMessageStream('Story?');
      let text = '';
      for await (const chunk of result.stream) text += chunk.text();
      expect(text).to.equal('Once upon a time.');
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Once upon a time.');
      expect(span.attributes['llm.token_count.total']).to.equal(13);
      expect((await chat.getHistory()).map((c) => c.role)).to.deep.equal(['user', 'model']);
    });
  });

  describe('embeddings', () => {
    it('embedContent: one EMBEDDING span with the text and the vector', async () => {
      server.reply({ json: { embedding: { values: [0.25, -0.5, 1] } } });
      const result = await model({ model: 'text-embedding-004' }).embedContent('Hello world');
      expect(result.embedding.values).to.deep.equal([0.25, -0.5, 1]);
      const span = await onlySpan();
      expect(span.name).to.equal('embeddings text-embedding-004');
      expect(server.requests.at(-1)!.path).to.equal('/v1beta/models/text-embedding-004:embedContent');
      expect(stable(span)).to.deep.equal({
        'openinference.span.kind': 'EMBEDDING',
        'llm.provider': 'google',
        'llm.system': 'vertexai',
        'embedding.model_name': 'text-embedding-004',
        'llm.model': 'text-embedding-004',
        'embedding.embeddings.0.embedding.text': 'Hello world',
        'embedding.embeddings.0.embedding.vector': [0.25, -0.5, 1],
        'input.value': 'Hello world',
        'input.mime_type': 'text/plain',
      });
    });

    it('batchEmbedContents: one text and vector per request', async () => {
      server.reply({ json: embeddingsResponse([[1, 2], [3, 4]]) });
      await model({ model: 'text-embedding-004' }).batchEmbedContents({
        requests: [
          { content: { role: 'user', parts: [{ text: 'first' }] } },
          { content: { role: 'user', parts: [{ text: 'second' }] }, taskType: legacy.TaskType.RETRIEVAL_QUERY },
        ],
      });
      const a = (await onlySpan()).attributes;
      expect(a['embedding.embeddings.0.embedding.text']).to.equal('first');
      expect(a['embedding.embeddings.0.embedding.vector']).to.deep.equal([1, 2]);
      expect(a['embedding.embeddings.1.embedding.text']).to.equal('second');
      expect(a['embedding.embeddings.1.embedding.vector']).to.deep.equal([3, 4]);
    });
  });
});
