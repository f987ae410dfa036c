import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { pathToFileURL } from 'node:url';
import type * as GenAI from '@google/genai';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { llmSpansAfterCollection } from '../../helpers/gc';
import { createTracing, expectAbandoned, llmSpans, onlyChildSpan } from '../../helpers/tracing';
import { useProviderSuite } from '../../helpers/provider-suite';
import type { InfiniumInstrumentation } from '../../../lib/instrumentation/instrumentation';
import { STREAM_ABANDONED_EVENT } from '../../../lib/instrumentation/llm-call';
import { helloAttributes, inputMessages, stable, storyStreamAttributes } from './expected';
import {
  API_KEY,
  embeddingsResponse,
  errorResponse,
  functionCallResponse,
  functionCallStream,
  generateContentResponse,
  MODEL_VERSION,
  sse,
  textStream,
  thinkingCachedResponse,
} from './fixtures';

describe('google @google/genai', () => {
  let server: FakeLlmServer;
  let genai: typeof GenAI;
  let ai: GenAI.GoogleGenAI;
  const tracing = createTracing();
  let instrumentation: InfiniumInstrumentation;

  const { onlySpan } = useProviderSuite(
    async (i) => {
      instrumentation = i;
      genai = require('@google/genai');
      server = await startFakeLlmServer();
      ai = new genai.GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: server.origin } });
      return { server };
    },
    { tracing },
  );

  it('generateContent: one LLM span under the active span, with exactly the expected attributes', async () => {
    server.reply({ json: generateContentResponse() });
    const result = await tracing.inParent('agent', () =>
      ai.models.generateContent({
        model: 'gemini-2.0-flash',
        contents: 'Say hello',
        config: {
          systemInstruction: 'Be brief.',
          temperature: 0.2,
          maxOutputTokens: 100,
          topP: 0.9,
          abortSignal: new AbortController().signal,
          httpOptions: { headers: { 'x-request-tag': 'hidden-from-spans' } },
        },
      }),
    );
    expect(result.text).to.equal('Hello there!');
    const span = await onlyChildSpan(tracing, 'generate_content gemini-2.0-flash');
    expect(stable(span)).to.deep.equal(helloAttributes(0.2, '{"temperature":0.2,"maxOutputTokens":100,"topP":0.9}'));
    expect(server.requests.at(-1)!.path).to.equal('/v1beta/models/gemini-2.0-flash:generateContent');
    expect(server.requests.at(-1)!.headers['x-request-tag']).to.equal('hidden-from-spans');
  });

  it('never records the API key (sent as the x-goog-api-key header)', async () => {
    server.reply({ json: generateContentResponse() });
    await ai.models.generateContent({ model: 'models/gemini-2.0-flash', contents: 'x' });
    const span = await onlySpan();
    expect(span.name).to.equal('generate_content gemini-2.0-flash');
    expect(JSON.stringify(span.attributes)).not.to.contain(API_KEY);
    expect(server.requests.at(-1)!.headers['x-goog-api-key']).to.equal(API_KEY);
  });

  it('reads contents in every accepted form: string, Part, Part[], Content, Content[]', async () => {
    server.reply({ json: generateContentResponse() });
    const image = { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } };
    const file = { fileData: { mimeType: 'application/pdf', fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc' } };
    const cases: Array<[GenAI.ContentListUnion, Record<string, unknown>]> = [
      ['plain', { 'llm.input_messages.0.message.role': 'user', 'llm.input_messages.0.message.content': 'plain' }],
      [{ text: 'a part' }, { 'llm.input_messages.0.message.role': 'user', 'llm.input_messages.0.message.content': 'a part' }],
      [
        [{ text: 'Describe ' }, 'this:', image],
        {
          'llm.input_messages.0.message.role': 'user',
          'llm.input_messages.0.message.contents.0.message_content.type': 'text',
          'llm.input_messages.0.message.contents.0.message_content.text': 'Describe ',
          'llm.input_messages.0.message.contents.1.message_content.type': 'text',
          'llm.input_messages.0.message.contents.1.message_content.text': 'this:',
          'llm.input_messages.0.message.contents.2.message_content.type': 'image',
          'llm.input_messages.0.message.contents.2.message_content.image.image.url': 'data:image/png;base64,iVBORw0KGgo=',
        },
      ],
      [
        { role: 'user', parts: [file, { text: 'Summarise' }] },
        {
          'llm.input_messages.0.message.role': 'user',
          'llm.input_messages.0.message.contents.0.message_content.type': 'file',
          'llm.input_messages.0.message.contents.1.message_content.type': 'text',
          'llm.input_messages.0.message.contents.1.message_content.text': 'Summarise',
        },
      ],
      [
        [
          { role: 'user', parts: [{ text: 'Hi' }] },
          { role: 'model', parts: [{ text: 'Hello' }, { text: '!' }] },
          { role: 'user', parts: [{ text: 'Bye' }] },
        ],
        {
          'llm.input_messages.0.message.role': 'user',
          'llm.input_messages.0.message.content': 'Hi',
          'llm.input_messages.1.message.role': 'assistant',
          'llm.input_messages.1.message.content': 'Hello!',
          'llm.input_messages.2.message.role': 'user',
          'llm.input_messages.2.message.content': 'Bye',
        },
      ],
    ];
    for (const [contents, expected] of cases) {
      tracing.reset();
      await ai.models.generateContent({ model: 'gemini-2.0-flash', contents });
      expect(inputMessages(await onlySpan()), JSON.stringify(contents)).to.deep.equal(expected);
    }
  });

  it('function calling: tools offered, the model\'s function call as a tool call, results as tool messages', async () => {
    const tools = [
      {
        functionDeclarations: [
          { name: 'get_weather', description: 'Weather for a city', parameters: { type: genai.Type.OBJECT, properties: { city: { type: genai.Type.STRING } } } },
        ],
      },
    ];
    server.reply({ json: functionCallResponse() });
    const first = await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'Weather in Paris?', config: { tools } });
    expect(first.functionCalls?.[0].name).to.equal('get_weather');
    let a = (await onlySpan()).attributes;
    expect(a['llm.tools.0.tool.json_schema']).to.equal(
      '{"name":"get_weather","description":"Weather for a city","parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"}}}}',
    );
    expect(a['llm.output_messages.0.message.role']).to.equal('assistant');
    expect(a['llm.output_messages.0.message.content']).to.equal(undefined);
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":"Paris","unit":"C"}');
    expect(a['llm.token_count.prompt']).to.equal(40);
    expect(a['llm.token_count.completion']).to.equal(8);
    expect(a['llm.token_count.total']).to.equal(48);

    tracing.reset();
    server.reply({ json: generateContentResponse([{ text: 'It is 21°C in Paris.' }]) });
    await ai.models.generateContent({
      model: 'gemini-2.0-flash',
      contents: [
        { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
        { role: 'model', parts: [{ functionCall: { id: 'fc-1', name: 'get_weather', args: { city: 'Paris' } } }] },
        { role: 'user', parts: [{ functionResponse: { id: 'fc-1', name: 'get_weather', response: { temperature: 21 } } }] },
      ],
      config: { tools },
    });
    const span = await onlySpan();
    a = span.attributes;
    expect(inputMessages(span)).to.deep.equal({
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Weather in Paris?',
      'llm.input_messages.1.message.role': 'assistant',
      'llm.input_messages.1.message.tool_calls.0.tool_call.id': 'fc-1',
      'llm.input_messages.1.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments': '{"city":"Paris"}',
      'llm.input_messages.2.message.role': 'tool',
      'llm.input_messages.2.message.name': 'get_weather',
      'llm.input_messages.2.message.tool_call_id': 'fc-1',
      'llm.input_messages.2.message.content': '{"temperature":21}',
    });
    expect(a['output.value']).to.equal('It is 21°C in Paris.');
  });

  it('cached and thought tokens: cache_read and reasoning details, thoughts counted as completion', async () => {
    server.reply({ json: thinkingCachedResponse() });
    await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Answer?', config: { thinkingConfig: { includeThoughts: true } } });
    const a = (await onlySpan()).attributes;
    expect(a['llm.token_count.prompt']).to.equal(1200);
    expect(a['llm.token_count.prompt_details.cache_read']).to.equal(1024);
    expect(a['llm.token_count.completion']).to.equal(153);
    expect(a['llm.token_count.completion_details.reasoning']).to.equal(150);
    expect(a['llm.token_count.total']).to.equal(1353);
    expect(a['llm.prompt_tokens']).to.equal(1200);
    expect(a['llm.completion_tokens']).to.equal(153);
    expect(a['llm.output_messages.0.message.contents.0.message_content.type']).to.equal('thinking');
    expect(a['llm.output_messages.0.message.contents.0.message_content.text']).to.equal('Weighing the options…');
    expect(a['llm.output_messages.0.message.contents.1.message_content.type']).to.equal('text');
    expect(a['llm.output_messages.0.message.contents.1.message_content.text']).to.equal('42');
    expect(a['llm.invocation_parameters']).to.equal('{"thinkingConfig":{"includeThoughts":true}}');
  });

  describe('generateContentStream', () => {
    it('assembles the text, takes usage from the last chunk with usageMetadata, ends once at the end', async () => {
      server.reply(sse(textStream()));
      const stream = await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Tell a story' });
      const seen: string[] = [];
      for await (const chunk of stream) seen.push(chunk.text ?? '');
      expect(seen).to.deep.equal(['Once ', 'upon ', 'a time.']);
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.events).to.have.length(0);
      expect(stable(span)).to.deep.equal(storyStreamAttributes(MODEL_VERSION));
      expect(server.requests.at(-1)!.path).to.equal('/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse');
    });

    it('streamed function call and a usage-only last chunk', async () => {
      server.reply(sse(functionCallStream()));
      const stream = await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Weather in Rome?' });
      for await (const _ of stream) void _;
      const a = (await onlySpan()).attributes;
      expect(a['llm.output_messages.0.message.content']).to.equal('Checking.');
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":"Rome"}');
      expect(a['llm.finish_reason']).to.equal('STOP');
      expect(a['llm.token_count.prompt']).to.equal(30);
      expect(a['llm.token_count.completion']).to.equal(6);
      expect(a['llm.token_count.total']).to.equal(36);
    });

    it('break: ends the span as abandoned with the partial output, no error', async () => {
      server.reply(sse(textStream(), { delayMs: 50 }));
      const stream = await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Tell a story' });
      for await (const chunk of stream) {
        expect(chunk.text).to.equal('Once ');
        break;
      }
      const span = await onlySpan();
      expectAbandoned(span, 'Once ');
      expect(span.attributes['llm.token_count.prompt']).to.equal(9);
      expect(span.attributes['error.type']).to.equal(undefined);
    });

    it('abort through config.abortSignal mid-stream: abandoned, not ERROR; the app sees the SDK\'s abort', async () => {
      server.reply(sse(textStream(), { holdAfter: 1 }));
      const controller = new AbortController();
      const stream = await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Tell a story', config: { abortSignal: controller.signal } });
      const seen: string[] = [];
      let caught: unknown;
      try {
        for await (const chunk of stream) {
          seen.push(chunk.text ?? '');
          controller.abort();
        }
      } catch (err) {
        caught = err;
      }
      expect(seen).to.deep.equal(['Once ']);
      expect((caught as Error | undefined)?.name).to.equal('AbortError');
      const span = await onlySpan();
      expectAbandoned(span, 'Once ');
    });

    it('dropped connection: ERROR with error.type, the same error reaches the app, partial output kept', async () => {
      server.reply(sse(textStream(), { dropAfter: 1 }));
      const stream = await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Tell a story' });
      const seen: string[] = [];
      let caught: unknown;
      try {
        for await (const chunk of stream) seen.push(chunk.text ?? '');
      } catch (err) {
        caught = err;
      }
      expect(seen).to.deep.equal(['Once ']);
      expect(caught).to.be.instanceOf(Error);
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).to.equal((caught as Error).constructor.name);
      expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Once ');
    });

    it('a stream the app drops unread ends as abandoned when collected', async function () {
      if (typeof global.gc !== 'function') this.skip();
      server.reply(sse(textStream()));
      await (async () => {
        await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Tell a story' });
      })();
      const spans = await llmSpansAfterCollection(tracing);
      expect(spans).to.have.length(1);
      expect(spans[0].events.map((e) => e.name)).to.deep.equal([STREAM_ABANDONED_EVENT]);
    });

    it('an HTTP error before the stream starts: ERROR, ApiError rethrown', async () => {
      server.reply(errorResponse(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.'));
      let caught: unknown;
      try {
        await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'x' });
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(genai.ApiError);
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).to.equal('ApiError');
    });
  });

  it('errors: ERROR status, error.type ApiError, the same error object rethrown', async () => {
    server.reply(errorResponse(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.'));
    let caught: unknown;
    try {
      await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'x' });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(genai.ApiError);
    expect((caught as GenAI.ApiError).status).to.equal(400);
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.status.message).to.equal((caught as Error).message);
    expect(span.attributes['error.type']).to.equal('ApiError');
    expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
    expect(span.attributes['llm.input_messages.0.message.content']).to.equal('x');
  });

  describe('chats (traced through models.generateContent, once per message)', () => {
    it('sendMessage: one span per message, with the system instruction and the history', async () => {
      server.reply({ json: generateContentResponse() });
      const chat = ai.chats.create({ model: 'gemini-2.0-flash', config: { systemInstruction: 'You are terse.', temperature: 0.5 } });
      await chat.sendMessage({ message: 'Hi' });
      server.reply({ json: generateContentResponse([{ text: 'Still here.' }]) });
      const second = await chat.sendMessage({ message: 'Still there?' });
      expect(second.text).to.equal('Still here.');
      const spans = llmSpans(await tracing.spans());
      expect(spans).to.have.length(2);
      expect(server.requests.slice(-2).map((r) => r.path)).to.deep.equal([
        '/v1beta/models/gemini-2.0-flash:generateContent',
        '/v1beta/models/gemini-2.0-flash:generateContent',
      ]);
      const a = spans[1].attributes;
      expect(JSON.parse(a['input.value'] as string)).to.deep.equal([
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello there!' },
        { role: 'user', content: 'Still there?' },
      ]);
      expect(a['llm.temperature']).to.equal(0.5);
      expect(a['output.value']).to.equal('Still here.');
    });

    it('sendMessageStream: one span, ended by the stream', async () => {
      server.reply(sse(textStream()));
      const chat = ai.chats.create({ model: 'gemini-2.0-flash' });
      const stream = await chat.sendMessageStream({ message: 'Story?' });
      let text = '';
      for await (const chunk of stream) text += chunk.text ?? '';
      expect(text).to.equal('Once upon a time.');
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Once upon a time.');
      expect(span.attributes['llm.token_count.total']).to.equal(13);
      // The session still records the turn (our iterator passes every chunk through).
      expect((await chat.getHistory())[0]).to.deep.equal({ role: 'user', parts: [{ text: 'Story?' }] });
    });
  });

  it('embedContent: an EMBEDDING span with each text and its vector', async () => {
    server.reply({ json: embeddingsResponse([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]) });
    const result = await ai.models.embedContent({
      model: 'text-embedding-004',
      contents: ['What is your name?', 'What is your favorite color?'],
      config: { outputDimensionality: 3 },
    });
    expect(result.embeddings?.map((e) => e.values)).to.deep.equal([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]);
    const span = await onlySpan();
    expect(span.name).to.equal('embeddings text-embedding-004');
    expect(server.requests.at(-1)!.path).to.equal('/v1beta/models/text-embedding-004:batchEmbedContents');
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'EMBEDDING',
      'llm.provider': 'google',
      'llm.system': 'vertexai',
      'embedding.model_name': 'text-embedding-004',
      'llm.model': 'text-embedding-004',
      'llm.invocation_parameters': '{"outputDimensionality":3}',
      'embedding.embeddings.0.embedding.text': 'What is your name?',
      'embedding.embeddings.0.embedding.vector': [0.1, 0.2, 0.3],
      'embedding.embeddings.1.embedding.text': 'What is your favorite color?',
      'embedding.embeddings.1.embedding.vector': [0.4, 0.5, 0.6],
      'input.value': '["What is your name?","What is your favorite color?"]',
      'input.mime_type': 'application/json',
    });
  });

  it('disable() stops tracing existing clients, enable() resumes it', async () => {
    server.reply({ json: generateContentResponse() });
    instrumentation.disable();
    try {
      const result = await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'x' });
      expect(result.text).to.equal('Hello there!');
      expect(llmSpans(await tracing.spans())).to.have.length(0);
    } finally {
      instrumentation.enable();
    }
    await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'x' });
    await new genai.GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: server.origin } }).models.generateContent({ model: 'gemini-2.0-flash', contents: 'y' });
    expect(llmSpans(await tracing.spans())).to.have.length(2);
  });

  it('ESM: the separate ESM copy of Models is patched through the module namespace', async () => {
    const entry = require.resolve('@google/genai').replace(/index\.cjs$/, 'index.mjs');
    const importEsm = new Function('url', 'return import(url)') as (url: string) => Promise<typeof GenAI>;
    const esm = await importEsm(pathToFileURL(entry).href);
    expect(esm.Models).not.to.equal(genai.Models);
    instrumentation.manuallyInstrument(esm);
    server.reply({ json: generateContentResponse() });
    const client = new esm.GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: server.origin } });
    await client.models.generateContent({ model: 'gemini-2.0-flash', contents: 'from ESM' });
    const span = await onlySpan();
    expect(span.attributes['llm.input_messages.0.message.content']).to.equal('from ESM');
  });
});
