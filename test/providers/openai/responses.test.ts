import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { llmSpans, onlyChildSpan } from '../../helpers/tracing';
import { expectBadRequest, useOpenAISuite } from './client';
import { responseFailedStream, responseObject, responseStream } from './fixtures';

describe('openai responses.create', () => {
  const suite = useOpenAISuite();
  const { tracing } = suite;

  const weatherTool = {
    type: 'function' as const,
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    strict: true,
  };

  it('records instructions, input items, tools, output, usage and finish reason under the active span', async () => {
    suite.server.reply({ json: responseObject() });
    const result = await tracing.inParent('agent', () =>
      suite.client.responses.create({
        model: 'gpt-4.1',
        instructions: 'Be brief.',
        temperature: 0.3,
        max_output_tokens: 200,
        tools: [weatherTool, { type: 'web_search' }],
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_text', text: 'Weather here?' },
              { type: 'input_image', image_url: 'https://example.com/sky.png', detail: 'auto' },
              { type: 'input_file', file_id: 'file-1' },
            ],
          },
          { type: 'function_call', call_id: 'call_0', name: 'locate', arguments: '{}' },
          { type: 'function_call_output', call_id: 'call_0', output: 'Paris' },
          { type: 'reasoning', id: 'rs_0', summary: [] },
          { role: 'assistant', content: 'Looking it up.' },
        ],
      }),
    );
    expect(result.output_text).to.equal('Checking the weather.');
    const span = await onlyChildSpan(tracing, 'chat gpt-4.1');
    const a = span.attributes;
    const keys = (prefix: string) => Object.keys(a).filter((k) => k.startsWith(prefix)).sort();
    expect(a['openinference.span.kind']).to.equal('LLM');
    expect(a['llm.provider']).to.equal('openai');
    expect(a['llm.system']).to.equal('openai');
    expect(a['llm.model_name']).to.equal('gpt-4.1-2025-04-14');
    expect(a['llm.model']).to.equal('gpt-4.1-2025-04-14');

    expect(keys('llm.input_messages.')).to.deep.equal([
      'llm.input_messages.0.message.content',
      'llm.input_messages.0.message.role',
      'llm.input_messages.1.message.contents.0.message_content.text',
      'llm.input_messages.1.message.contents.0.message_content.type',
      'llm.input_messages.1.message.contents.1.message_content.image.image.url',
      'llm.input_messages.1.message.contents.1.message_content.type',
      'llm.input_messages.1.message.contents.2.message_content.type',
      'llm.input_messages.1.message.role',
      'llm.input_messages.2.message.role',
      'llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments',
      'llm.input_messages.2.message.tool_calls.0.tool_call.function.name',
      'llm.input_messages.2.message.tool_calls.0.tool_call.id',
      'llm.input_messages.3.message.content',
      'llm.input_messages.3.message.role',
      'llm.input_messages.3.message.tool_call_id',
      'llm.input_messages.4.message.content',
      'llm.input_messages.4.message.role',
    ]);
    expect(a['llm.input_messages.0.message.role']).to.equal('system');
    expect(a['llm.input_messages.0.message.content']).to.equal('Be brief.');
    expect(a['llm.input_messages.1.message.role']).to.equal('user');
    expect(a['llm.input_messages.1.message.contents.0.message_content.type']).to.equal('text');
    expect(a['llm.input_messages.1.message.contents.0.message_content.text']).to.equal('Weather here?');
    expect(a['llm.input_messages.1.message.contents.1.message_content.type']).to.equal('image');
    expect(a['llm.input_messages.1.message.contents.1.message_content.image.image.url']).to.equal('https://example.com/sky.png');
    expect(a['llm.input_messages.1.message.contents.2.message_content.type']).to.equal('file');
    expect(a['llm.input_messages.2.message.role']).to.equal('assistant');
    expect(a['llm.input_messages.2.message.tool_calls.0.tool_call.id']).to.equal('call_0');
    expect(a['llm.input_messages.2.message.tool_calls.0.tool_call.function.name']).to.equal('locate');
    expect(a['llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments']).to.equal('{}');
    expect(a['llm.input_messages.3.message.role']).to.equal('tool');
    expect(a['llm.input_messages.3.message.tool_call_id']).to.equal('call_0');
    expect(a['llm.input_messages.3.message.content']).to.equal('Paris');
    expect(a['llm.input_messages.4.message.role']).to.equal('assistant');
    expect(a['llm.input_messages.4.message.content']).to.equal('Looking it up.');

    expect(keys('llm.tools.')).to.deep.equal(['llm.tools.0.tool.json_schema', 'llm.tools.1.tool.json_schema']);
    expect(JSON.parse(a['llm.tools.0.tool.json_schema'] as string)).to.deep.equal(weatherTool);
    expect(JSON.parse(a['llm.tools.1.tool.json_schema'] as string)).to.deep.equal({ type: 'web_search' });
    expect(JSON.parse(a['llm.invocation_parameters'] as string)).to.deep.equal({ model: 'gpt-4.1', temperature: 0.3, max_output_tokens: 200 });
    expect(a['llm.temperature']).to.equal(0.3);

    // The reasoning item is skipped; the function call joins the assistant message before it.
    expect(keys('llm.output_messages.')).to.deep.equal([
      'llm.output_messages.0.message.content',
      'llm.output_messages.0.message.role',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name',
      'llm.output_messages.0.message.tool_calls.0.tool_call.id',
    ]);
    expect(a['llm.output_messages.0.message.role']).to.equal('assistant');
    expect(a['llm.output_messages.0.message.content']).to.equal('Checking the weather.');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.id']).to.equal('call_abc');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":"Paris"}');
    expect(a['output.mime_type']).to.equal('application/json');

    expect(a['llm.token_count.prompt']).to.equal(36);
    expect(a['llm.token_count.completion']).to.equal(87);
    expect(a['llm.token_count.total']).to.equal(123);
    expect(a['llm.token_count.prompt_details.cache_read']).to.equal(8);
    expect(a['llm.token_count.completion_details.reasoning']).to.equal(64);
    expect(a['llm.prompt_tokens']).to.equal(36);
    expect(a['llm.completion_tokens']).to.equal(87);
    expect(a['llm.finish_reason']).to.equal('completed');
  });

  it('takes a string input as one user message and the incomplete reason as finish reason', async () => {
    suite.server.reply({
      json: responseObject({
        status: 'incomplete',
        incomplete_details: { reason: 'max_output_tokens' },
        output: [{ type: 'message', id: 'msg_2', status: 'incomplete', role: 'assistant', content: [{ type: 'output_text', text: 'Once upon', annotations: [] }] }],
      }),
    });
    await suite.client.responses.create({ model: 'gpt-4.1', input: 'Tell me a story', max_output_tokens: 3 });
    const [span] = llmSpans(await tracing.spans());
    const a = span.attributes;
    expect(a['llm.input_messages.0.message.role']).to.equal('user');
    expect(a['llm.input_messages.0.message.content']).to.equal('Tell me a story');
    expect(a['llm.input_messages.1.message.role']).to.equal(undefined);
    expect(a['input.value']).to.equal('Tell me a story');
    expect(a['input.mime_type']).to.equal('text/plain');
    expect(a['output.value']).to.equal('Once upon');
    expect(a['llm.finish_reason']).to.equal('max_output_tokens');
    expect(a['llm.tools.0.tool.json_schema']).to.equal(undefined);
  });

  it('streams: assembles the output and takes model and usage from response.completed, ends once', async () => {
    suite.server.reply({ sse: responseStream() });
    const stream = await suite.client.responses.create({ model: 'gpt-4.1', input: 'Weather in Paris?', tools: [weatherTool], stream: true });
    const text: string[] = [];
    for await (const event of stream) if (event.type === 'response.output_text.delta') text.push(event.delta);
    expect(text.join('')).to.equal('Let me check.');
    const spans = llmSpans(await tracing.spans());
    expect(spans).to.have.length(1);
    const [span] = spans;
    const a = span.attributes;
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(a['llm.model_name']).to.equal('gpt-4.1-2025-04-14');
    expect(a['llm.output_messages.0.message.role']).to.equal('assistant');
    expect(a['llm.output_messages.0.message.content']).to.equal('Let me check.');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.id']).to.equal('call_abc');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":"Paris"}');
    expect(a['llm.output_messages.1.message.role']).to.equal(undefined);
    expect(a['llm.token_count.prompt']).to.equal(20);
    expect(a['llm.token_count.completion']).to.equal(9);
    expect(a['llm.token_count.total']).to.equal(29);
    expect(a['llm.token_count.prompt_details.cache_read']).to.equal(0);
    expect(a['llm.token_count.completion_details.reasoning']).to.equal(0);
    expect(a['llm.finish_reason']).to.equal('completed');
    expect(JSON.parse(a['llm.invocation_parameters'] as string)).to.deep.equal({ model: 'gpt-4.1', stream: true });
  });

  it('the responses.stream() helper is traced once, through create', async () => {
    suite.server.reply({ sse: responseStream() });
    const final = await suite.client.responses.stream({ model: 'gpt-4.1', input: 'Weather in Paris?' }).finalResponse();
    expect(final.usage?.total_tokens).to.equal(29);
    const spans = llmSpans(await tracing.spans());
    expect(spans).to.have.length(1);
    expect(spans[0].status.code).to.equal(SpanStatusCode.OK);
    expect(spans[0].attributes['llm.token_count.total']).to.equal(29);
  });

  it('a connection dropped mid-stream ends the span as ERROR and keeps the partial output', async () => {
    // Up to and including the first text delta, then the socket is cut.
    suite.server.reply({ sse: responseStream(), dropAfter: 5 });
    const stream = await suite.client.responses.create({ model: 'gpt-4.1', input: 'Weather?', stream: true });
    let caught: unknown;
    const seen: string[] = [];
    try {
      for await (const event of stream) seen.push(event.type);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(Error);
    expect(seen.at(-1)).to.equal('response.output_text.delta');
    const [span] = llmSpans(await tracing.spans());
    const a = span.attributes;
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(a['error.type']).to.equal((caught as Error).constructor.name);
    expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
    expect(span.events[0].attributes?.['exception.message']).to.equal((caught as Error).message);
    expect(a['llm.model_name']).to.equal('gpt-4.1-2025-04-14');
    expect(a['llm.output_messages.0.message.role']).to.equal('assistant');
    expect(a['llm.output_messages.0.message.content']).to.equal('Let me ');
    expect(a['llm.token_count.prompt']).to.equal(undefined);
  });

  it('a drop inside a function call keeps the finished message and the arguments read so far', async () => {
    // Events 0-10: the finished message item, the call's added item and its first arguments delta.
    suite.server.reply({ sse: responseStream(), dropAfter: 11 });
    const stream = await suite.client.responses.create({ model: 'gpt-4.1', input: 'Weather?', tools: [weatherTool], stream: true });
    let caught: unknown;
    try {
      for await (const event of stream) void event;
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(Error);
    const [span] = llmSpans(await tracing.spans());
    const a = span.attributes;
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(a['llm.output_messages.0.message.content']).to.equal('Let me check.');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.id']).to.equal('call_abc');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":');
    expect(a['llm.output_messages.1.message.role']).to.equal(undefined);
  });

  it('a response.failed event ends the span as ERROR though the stream itself ends cleanly', async () => {
    suite.server.reply({ sse: responseFailedStream() });
    const stream = await suite.client.responses.create({ model: 'gpt-4.1', input: 'x', stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).to.equal('response.failed');
    const [span] = llmSpans(await tracing.spans());
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.status.message).to.equal('The model crashed.');
    expect(span.attributes['error.type']).to.equal('ResponseFailedError');
    expect(span.attributes['llm.finish_reason']).to.equal('failed');
    expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
  });

  it('an error event ends the span as ERROR, with partial output, when the app stops reading after it', async () => {
    const [created, added, delta] = responseFailedStream();
    suite.server.reply({
      sse: [created, added, delta, { event: 'error', data: { type: 'error', code: 'rate_limit_exceeded', message: 'Slow down.', param: null, sequence_number: 3 } }],
    });
    const stream = await suite.client.responses.create({ model: 'gpt-4.1', input: 'x', stream: true });
    for await (const event of stream) if (event.type === 'error') break;
    const [span] = llmSpans(await tracing.spans());
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.status.message).to.equal('Slow down.');
    expect(span.attributes['error.type']).to.equal('ResponseFailedError');
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Half an ans');
  });

  it('fails with ERROR, error.type and the same error object on HTTP 400', async () => {
    suite.server.reply({ status: 400, json: { error: { message: 'Unknown parameter', type: 'invalid_request_error', param: 'foo', code: 'unknown_parameter' } } });
    await expectBadRequest(suite, suite.client.responses.create({ model: 'gpt-4.1', input: 'x' }));
  });
});
