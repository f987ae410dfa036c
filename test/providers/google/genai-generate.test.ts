import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type * as GenAI from '@google/genai';
import { onlyChildSpan } from '../../helpers/tracing';
import { helloAttributes, inputMessages, stable } from './expected';
import { API_KEY, errorResponse, functionCallResponse, generateContentResponse, thinkingCachedResponse } from './fixtures';
import { useGenAISuite } from './genai-suite';

/** `models.generateContent`: requests in every form, function calling, token details, errors. */
describe('google @google/genai', () => {
  const suite = useGenAISuite();
  const { tracing, onlySpan } = suite;

  it('generateContent: one LLM span under the active span, with exactly the expected attributes', async () => {
    suite.server.reply({ json: generateContentResponse() });
    const result = await tracing.inParent('agent', () =>
      suite.ai.models.generateContent({
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
    expect(suite.server.requests.at(-1)!.path).to.equal('/v1beta/models/gemini-2.0-flash:generateContent');
    expect(suite.server.requests.at(-1)!.headers['x-request-tag']).to.equal('hidden-from-spans');
  });

  it('never records the API key (sent as the x-goog-api-key header)', async () => {
    suite.server.reply({ json: generateContentResponse() });
    await suite.ai.models.generateContent({ model: 'models/gemini-2.0-flash', contents: 'x' });
    const span = await onlySpan();
    expect(span.name).to.equal('generate_content gemini-2.0-flash');
    expect(JSON.stringify(span.attributes)).not.to.contain(API_KEY);
    expect(suite.server.requests.at(-1)!.headers['x-goog-api-key']).to.equal(API_KEY);
  });

  it('reads contents in every accepted form: string, Part, Part[], Content, Content[]', async () => {
    suite.server.reply({ json: generateContentResponse() });
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
      await suite.ai.models.generateContent({ model: 'gemini-2.0-flash', contents });
      expect(inputMessages(await onlySpan()), JSON.stringify(contents)).to.deep.equal(expected);
    }
  });

  it('function calling: tools offered, the model\'s function call as a tool call, results as tool messages', async () => {
    const tools = [
      {
        functionDeclarations: [
          { name: 'get_weather', description: 'Weather for a city', parameters: { type: suite.genai.Type.OBJECT, properties: { city: { type: suite.genai.Type.STRING } } } },
        ],
      },
    ];
    suite.server.reply({ json: functionCallResponse() });
    const first = await suite.ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'Weather in Paris?', config: { tools } });
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
    suite.server.reply({ json: generateContentResponse([{ text: 'It is 21°C in Paris.' }]) });
    await suite.ai.models.generateContent({
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
    suite.server.reply({ json: thinkingCachedResponse() });
    await suite.ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Answer?', config: { thinkingConfig: { includeThoughts: true } } });
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

  it('errors: ERROR status, error.type ApiError, the same error object rethrown', async () => {
    suite.server.reply(errorResponse(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.'));
    let caught: unknown;
    try {
      await suite.ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'x' });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(suite.genai.ApiError);
    expect((caught as GenAI.ApiError).status).to.equal(400);
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.status.message).to.equal((caught as Error).message);
    expect(span.attributes['error.type']).to.equal('ApiError');
    expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
    expect(span.attributes['llm.input_messages.0.message.content']).to.equal('x');
  });
});
