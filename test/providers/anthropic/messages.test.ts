import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type AnthropicType from '@anthropic-ai/sdk';
import { llmSpans, onlyChildSpan } from '../../helpers/tracing';
import { API_KEY, pick, useAnthropicSuite } from './client';
import { apiError, BRIEF_HI_INPUT, HELLO_OUTPUT, message, MESSAGE_TOKENS, MODEL, toolUseMessage } from './fixtures';

describe('anthropic messages.create', () => {
  const suite = useAnthropicSuite();
  const { tracing } = suite;

  it('records one LLM span with OpenInference and Infinium attributes, cache tokens in the prompt count', async () => {
    suite.server.reply({ json: message() });
    const result = await tracing.inParent('agent', () =>
      // 1.x dropped `temperature` from its types; the API and older SDKs still take it.
      suite.client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 1024,
        temperature: 0.3,
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'Hi' }],
      } as AnthropicType.MessageCreateParamsNonStreaming),
    );
    expect(result.content).to.deep.equal([{ type: 'text', text: 'Hello there!' }]);
    const span = await onlyChildSpan(tracing, 'chat claude-sonnet-4-6');
    const a = span.attributes;
    expect(a['openinference.span.kind']).to.equal('LLM');
    expect(a['llm.provider']).to.equal('anthropic');
    expect(a['llm.system']).to.equal('anthropic');
    expect(a['llm.model_name']).to.equal(MODEL);
    expect(a['llm.model']).to.equal(MODEL);
    expect(pick(a, 'llm.input_messages.')).to.deep.equal(BRIEF_HI_INPUT);
    expect(pick(a, 'llm.output_messages.')).to.deep.equal(HELLO_OUTPUT);
    expect(a['output.value']).to.equal('Hello there!');
    expect(a['output.mime_type']).to.equal('text/plain');
    expect(JSON.parse(a['llm.invocation_parameters'] as string)).to.deep.equal({ model: 'claude-sonnet-4-6', max_tokens: 1024, temperature: 0.3 });
    expect(a['llm.temperature']).to.equal(0.3);
    expect(pick(a, 'llm.token_count.')).to.deep.equal(MESSAGE_TOKENS);
    expect(a['llm.prompt_tokens']).to.equal(a['llm.token_count.prompt']);
    expect(a['llm.completion_tokens']).to.equal(9);
    expect(a['llm.finish_reason']).to.equal('end_turn');
    expect(a['llm.latency_ms']).to.be.a('number').and.be.greaterThan(0);
    expect(a['error.type']).to.equal(undefined);
  });

  it('reads system blocks, text, image, thinking, tool_use and tool_result blocks, and tools', async () => {
    suite.server.reply({ json: message() });
    const tool = {
      name: 'get_weather',
      description: 'Weather for a city',
      input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
    };
    await suite.client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 512,
      system: [
        { type: 'text', text: 'Be brief.' },
        { type: 'text', text: 'Use tools.', cache_control: { type: 'ephemeral' } },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in this city?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/paris.jpg' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Need the tool.', signature: 'sig' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01A', content: [{ type: 'text', text: '18C, sunny' }] },
            { type: 'text', text: 'And tomorrow?' },
          ],
        },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01B', name: 'get_weather', input: { city: 'Paris', day: 1 } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01B', content: '15C, rain' }] },
      ],
      tools: [tool],
    });
    const [span] = llmSpans(await tracing.spans());
    const a = span.attributes;
    const m = 'llm.input_messages';
    expect(pick(a, `${m}.`)).to.deep.equal({
      [`${m}.0.message.role`]: 'system',
      [`${m}.0.message.content`]: 'Be brief.\nUse tools.',
      [`${m}.1.message.role`]: 'user',
      [`${m}.1.message.contents.0.message_content.type`]: 'text',
      [`${m}.1.message.contents.0.message_content.text`]: 'Weather in this city?',
      [`${m}.1.message.contents.1.message_content.type`]: 'image',
      [`${m}.1.message.contents.1.message_content.image.image.url`]: 'data:image/png;base64,iVBORw0KGgo=',
      [`${m}.1.message.contents.2.message_content.type`]: 'image',
      [`${m}.1.message.contents.2.message_content.image.image.url`]: 'https://example.com/paris.jpg',
      [`${m}.2.message.role`]: 'assistant',
      [`${m}.2.message.contents.0.message_content.type`]: 'thinking',
      [`${m}.2.message.contents.0.message_content.text`]: 'Need the tool.',
      [`${m}.2.message.contents.1.message_content.type`]: 'text',
      [`${m}.2.message.contents.1.message_content.text`]: 'Checking.',
      [`${m}.2.message.tool_calls.0.tool_call.id`]: 'toolu_01A',
      [`${m}.2.message.tool_calls.0.tool_call.function.name`]: 'get_weather',
      [`${m}.2.message.tool_calls.0.tool_call.function.arguments`]: '{"city":"Paris"}',
      [`${m}.3.message.role`]: 'tool',
      [`${m}.3.message.tool_call_id`]: 'toolu_01A',
      [`${m}.3.message.content`]: '18C, sunny',
      [`${m}.4.message.role`]: 'user',
      [`${m}.4.message.contents.0.message_content.type`]: 'text',
      [`${m}.4.message.contents.0.message_content.text`]: 'And tomorrow?',
      [`${m}.5.message.role`]: 'assistant',
      [`${m}.5.message.tool_calls.0.tool_call.id`]: 'toolu_01B',
      [`${m}.5.message.tool_calls.0.tool_call.function.name`]: 'get_weather',
      [`${m}.5.message.tool_calls.0.tool_call.function.arguments`]: '{"city":"Paris","day":1}',
      [`${m}.6.message.role`]: 'tool',
      [`${m}.6.message.tool_call_id`]: 'toolu_01B',
      [`${m}.6.message.content`]: '15C, rain',
    });
    expect(pick(a, 'llm.tools.')).to.deep.equal({ 'llm.tools.0.tool.json_schema': JSON.stringify(tool) });
    expect(JSON.parse(a['llm.invocation_parameters'] as string)).to.deep.equal({ model: 'claude-sonnet-4-6', max_tokens: 512 });
    expect(a['llm.temperature']).to.equal(undefined);
    expect(a['input.mime_type']).to.equal('application/json');
    expect(JSON.parse(a['input.value'] as string)[0]).to.deep.equal({ role: 'system', content: 'Be brief.\nUse tools.' });
  });

  it('records a thinking + text + tool_use response as parts and tool calls, stop_reason tool_use', async () => {
    suite.server.reply({ json: toolUseMessage() });
    const result = await suite.client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 512,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    expect(result.stop_reason).to.equal('tool_use');
    const [span] = llmSpans(await tracing.spans());
    const a = span.attributes;
    const o = 'llm.output_messages.0.message';
    expect(pick(a, 'llm.output_messages.')).to.deep.equal({
      [`${o}.role`]: 'assistant',
      [`${o}.contents.0.message_content.type`]: 'thinking',
      [`${o}.contents.0.message_content.text`]: 'The user wants weather.',
      [`${o}.contents.1.message_content.type`]: 'text',
      [`${o}.contents.1.message_content.text`]: 'Let me check.',
      [`${o}.tool_calls.0.tool_call.id`]: 'toolu_01A',
      [`${o}.tool_calls.0.tool_call.function.name`]: 'get_weather',
      [`${o}.tool_calls.0.tool_call.function.arguments`]: '{"city":"Paris"}',
    });
    expect(a['output.mime_type']).to.equal('application/json');
    expect(a['llm.finish_reason']).to.equal('tool_use');
    expect(pick(a, 'llm.token_count.')).to.deep.equal({
      'llm.token_count.prompt': 40,
      'llm.token_count.completion': 25,
      'llm.token_count.total': 65,
      'llm.token_count.prompt_details.cache_read': 0,
      'llm.token_count.prompt_details.cache_write': 0,
    });
  });

  it('text + tool_use output keeps the text as content', async () => {
    suite.server.reply({
      json: message({
        content: [
          { type: 'text', text: 'Calling it.' },
          { type: 'tool_use', id: 'toolu_9', name: 'lookup', input: {} },
        ],
      }),
    });
    await suite.client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    const [span] = llmSpans(await tracing.spans());
    expect(pick(span.attributes, 'llm.output_messages.')).to.deep.equal({
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Calling it.',
      'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'toolu_9',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'lookup',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{}',
    });
  });

  for (const [status, errorBody, errorClass] of [
    [429, apiError('rate_limit_error', 'Number of request tokens has exceeded your rate limit'), 'RateLimitError'],
    [400, apiError('invalid_request_error', 'max_tokens: Field required'), 'BadRequestError'],
  ] as const) {
    it(`fails with ERROR, error.type ${errorClass} and the same error object on HTTP ${status}`, async () => {
      suite.server.reply({ status, json: errorBody });
      let caught: unknown;
      try {
        await suite.client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf((suite.Anthropic as unknown as Record<string, new () => Error>)[errorClass]);
      expect((caught as { status?: number }).status).to.equal(status);
      const [span, ...others] = llmSpans(await tracing.spans());
      expect(others).to.have.length(0);
      expect(span.status.code).to.equal(SpanStatusCode.ERROR);
      expect(span.status.message).to.equal((caught as Error).message);
      expect(span.attributes['error.type']).to.equal(errorClass);
      expect(span.attributes['llm.input_messages.0.message.content']).to.equal('x');
      expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
    });
  }

  it('keeps .withResponse() and .asResponse() working, one span each', async () => {
    suite.server.reply({ json: message(), headers: { 'request-id': 'req_abc' } });
    const { data, response, request_id } = await suite.client.messages
      .create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
    expect(data.id).to.equal('msg_01XFDUDYJgAACzvnptvVoYEL');
    expect(response.status).to.equal(200);
    expect(request_id).to.equal('req_abc');
    const raw = await suite.client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'y' }] }).asResponse();
    expect(raw.status).to.equal(200);
    const spans = llmSpans(await tracing.spans());
    expect(spans).to.have.length(2);
    expect(spans[0].attributes['llm.token_count.prompt']).to.equal(312);
    expect(spans.map((s) => s.status.code)).to.deep.equal([SpanStatusCode.OK, SpanStatusCode.OK]);
  });

  it('never records the API key or headers, in our span or the SDK span', async () => {
    suite.server.reply({ json: message() });
    await suite.client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    const spans = await tracing.spans();
    expect(spans).to.have.length(2);
    for (const span of spans) expect(JSON.stringify(span.attributes)).not.to.contain(API_KEY);
    // 1.x sends the key as a bearer token: the request carried it, the spans do not.
    expect(suite.server.requests.at(-1)!.headers.authorization).to.equal(`Bearer ${API_KEY}`);
  });
});
