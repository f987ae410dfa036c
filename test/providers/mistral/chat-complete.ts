import { expect } from 'chai';
import { onlyChildSpan } from '../../helpers/tracing';
import { chatResponse } from './fixtures';
import { MESSAGES, type MistralSuite, SHORT, TOOL } from './suite-context';

/** `chat.complete`: the full span of a call, tool calls, content chunks, n choices, masking. */
export function chatCompleteTests(suite: MistralSuite): void {
  const { tracing, onlySpan } = suite;

  it('chat.complete: one LLM span, messages with tool calls and results, tools, parameters and usage', async () => {
    suite.server.reply({ json: chatResponse() });
    const result: any = await tracing.inParent('agent', () =>
      suite.client.chat.complete({ model: 'mistral-small-latest', messages: MESSAGES, tools: [TOOL], temperature: 0.2, maxTokens: 64 }),
    );
    expect(result.choices[0].message.content).to.equal('Bonjour !');
    expect(suite.server.requests.at(-1)!.path).to.equal('/v1/chat/completions');
    const span = await onlyChildSpan(tracing, 'chat mistral-small-latest');
    const { 'llm.latency_ms': latency, 'input.value': input, ...rest } = span.attributes;
    expect(latency).to.be.a('number').and.greaterThan(0);
    expect(JSON.parse(input as string)).to.deep.equal([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_0', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
      { role: 'tool', content: '18°C', name: 'get_weather', toolCallId: 'call_0' },
    ]);
    expect(rest).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'mistralai',
      'llm.system': 'mistralai',
      'llm.model_name': 'mistral-small-latest',
      'llm.model': 'mistral-small-latest',
      'llm.temperature': 0.2,
      'llm.invocation_parameters': '{"model":"mistral-small-latest","temperature":0.2,"maxTokens":64}',
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'Be brief.',
      'llm.input_messages.1.message.role': 'user',
      'llm.input_messages.1.message.content': 'Weather in Paris?',
      'llm.input_messages.2.message.role': 'assistant',
      'llm.input_messages.2.message.content': '',
      'llm.input_messages.2.message.tool_calls.0.tool_call.id': 'call_0',
      'llm.input_messages.2.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments': '{"city":"Paris"}',
      'llm.input_messages.3.message.role': 'tool',
      'llm.input_messages.3.message.name': 'get_weather',
      'llm.input_messages.3.message.tool_call_id': 'call_0',
      'llm.input_messages.3.message.content': '18°C',
      'llm.tools.0.tool.json_schema': JSON.stringify(TOOL),
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Bonjour !',
      'output.value': 'Bonjour !',
      'output.mime_type': 'text/plain',
      'input.mime_type': 'application/json',
      'llm.token_count.prompt': 17,
      'llm.token_count.completion': 8,
      'llm.token_count.total': 25,
      'llm.prompt_tokens': 17,
      'llm.completion_tokens': 8,
      // mistral-small-latest at 0.10 input / 0.30 output per million: 17 × 0.1 / 1e6, 8 × 0.3 / 1e6.
      'llm.cost.prompt': 0.0000017,
      'llm.cost.completion': 0.0000024,
      'llm.cost.total': 0.0000041,
      'llm.finish_reason': 'stop',
    });
    expect((await tracing.spans()).find((s) => s.name === 'agent')!.attributes['infinium.llm_call_count']).to.equal(1);
  });

  it('chat.complete: a tool call in the response', async () => {
    suite.server.reply({
      json: chatResponse({ role: 'assistant', content: '', tool_calls: [{ id: 'Tq3xYz9Ab', function: { name: 'get_weather', arguments: '{"city": "Lyon"}' } }] }, 'tool_calls'),
    });
    await suite.client.chat.complete({ ...SHORT, tools: [TOOL] });
    const a = (await onlySpan()).attributes;
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.id']).to.equal('Tq3xYz9Ab');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city": "Lyon"}');
    expect(a['llm.finish_reason']).to.equal('tool_calls');
  });

  it('chat.complete: content chunks in (text, image URL) and out (thinking, text)', async () => {
    suite.server.reply({
      json: chatResponse({
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: [{ type: 'text', text: 'A red square.' }] },
          { type: 'text', text: 'It is red.' },
        ],
      }),
    });
    const image = 'data:image/png;base64,iVBORw0KGgo=';
    await suite.client.chat.complete({
      model: 'mistral-small-latest',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What colour?' }, { type: 'image_url', imageUrl: image }] }],
    });
    const a = (await onlySpan()).attributes;
    expect(a).to.deep.include({
      'llm.input_messages.0.message.contents.0.message_content.type': 'text',
      'llm.input_messages.0.message.contents.0.message_content.text': 'What colour?',
      'llm.input_messages.0.message.contents.1.message_content.type': 'image',
      'llm.input_messages.0.message.contents.1.message_content.image.image.url': image,
      'llm.output_messages.0.message.contents.0.message_content.type': 'thinking',
      'llm.output_messages.0.message.contents.0.message_content.text': 'A red square.',
      'llm.output_messages.0.message.contents.1.message_content.type': 'text',
      'llm.output_messages.0.message.contents.1.message_content.text': 'It is red.',
    });
  });

  it('chat.complete with n=2, GenAI conventions on: every choice\'s finish reason, each on its own output message', async () => {
    suite.instrumentation.setConfig({ semconv: 'openinference,gen_ai' });
    const response = chatResponse();
    response.choices = [
      { index: 0, message: { role: 'assistant', content: 'Bonjour !', tool_calls: null }, finish_reason: 'stop' },
      { index: 1, message: { role: 'assistant', content: 'Il fait', tool_calls: null }, finish_reason: 'length' },
    ];
    suite.server.reply({ json: response });
    await suite.client.chat.complete({ ...SHORT, n: 2 });
    const a = (await onlySpan()).attributes;
    expect(a['gen_ai.response.finish_reasons']).to.deep.equal(['stop', 'length']);
    expect(a['llm.finish_reason']).to.equal('stop');
    expect(JSON.parse(a['gen_ai.output.messages'] as string)).to.deep.equal([
      { role: 'assistant', parts: [{ type: 'text', content: 'Bonjour !' }], finish_reason: 'stop' },
      { role: 'assistant', parts: [{ type: 'text', content: 'Il fait' }], finish_reason: 'length' },
    ]);
  });

  it('masking applies: hidden inputs and outputs never reach the span', async () => {
    suite.instrumentation.setConfig({ hideInputs: true, hideOutputs: true });
    suite.server.reply({ json: chatResponse() });
    await suite.client.chat.complete({ model: 'mistral-small-latest', messages: MESSAGES });
    const span = await onlySpan();
    const text = JSON.stringify(span.attributes);
    for (const content of ['Be brief.', 'Weather in Paris?', '18°C', 'Bonjour !']) expect(text).not.to.contain(content);
    expect(span.attributes['input.value']).to.equal('__REDACTED__');
    expect(span.attributes['output.value']).to.equal('__REDACTED__');
    expect(span.attributes['llm.token_count.total']).to.equal(25);
  });
}
