import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { expectAbandoned } from '../../helpers/tracing';
import { chatStream } from './fixtures';
import { type MistralSuite, SHORT } from './suite-context';

/** `chat.stream`: the assembled output, n choices, and a stream broken off, dropped or aborted. */
export function chatStreamTests(suite: MistralSuite): void {
  const { onlySpan } = suite;

  it('chat.stream: the SDK EventStream is kept; content, tool call and usage assembled', async () => {
    suite.server.reply({ sse: chatStream() });
    const stream = await suite.client.chat.stream(SHORT);
    expect(stream).to.be.instanceOf(ReadableStream);
    let text = '';
    for await (const event of stream) text += event.data.choices[0]?.delta?.content ?? '';
    expect(text).to.equal('Let me check.');
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes).to.deep.include({
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Let me check.',
      'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'Tq3xYz9Ab',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"city": "Paris"}',
      'llm.finish_reason': 'tool_calls',
      'llm.token_count.prompt': 31,
      'llm.token_count.completion': 12,
      'llm.token_count.total': 43,
    });
  });

  it('chat.stream with n=2, GenAI conventions on: the interleaved choices\' finish reasons in choice order', async () => {
    suite.instrumentation.setConfig({ semconv: 'openinference,gen_ai' });
    const chunk = (index: number, delta: Record<string, unknown>, finish: string | null = null) => ({
      data: { id: 'cmpl-stream-2', object: 'chat.completion.chunk', created: 1764576000, model: 'mistral-small-latest', choices: [{ index, delta, finish_reason: finish }] },
    });
    suite.server.reply({
      sse: [
        chunk(0, { role: 'assistant', content: 'Bon' }),
        chunk(1, { role: 'assistant', content: 'Il ' }),
        chunk(1, { content: 'fait' }, 'length'),
        chunk(0, { content: 'jour !' }, 'stop'),
        { data: '[DONE]' },
      ],
    });
    const stream = await suite.client.chat.stream({ ...SHORT, n: 2 });
    for await (const _ of stream) void _;
    const a = (await onlySpan()).attributes;
    expect(a['gen_ai.response.finish_reasons']).to.deep.equal(['stop', 'length']);
    expect(a['llm.finish_reason']).to.equal('stop');
    expect(JSON.parse(a['gen_ai.output.messages'] as string)).to.deep.equal([
      { role: 'assistant', parts: [{ type: 'text', content: 'Bonjour !' }], finish_reason: 'stop' },
      { role: 'assistant', parts: [{ type: 'text', content: 'Il fait' }], finish_reason: 'length' },
    ]);
  });

  it('chat.stream: break ends the span once, as abandoned, with what was read', async () => {
    suite.server.reply({ sse: chatStream() });
    const stream = await suite.client.chat.stream(SHORT);
    let n = 0;
    for await (const _ of stream) if (++n === 2) break;
    const span = await onlySpan();
    expectAbandoned(span, 'Let me ');
  });

  it('chat.stream: a connection dropped mid-stream ends the span as ERROR, partial output kept', async () => {
    suite.server.reply({ sse: chatStream(), dropAfter: 3 });
    let caught: unknown;
    let text = '';
    try {
      for await (const event of await suite.client.chat.stream(SHORT)) text += event.data.choices[0]?.delta?.content ?? '';
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(Error);
    expect(text).to.equal('Let me check.');
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).to.equal((caught as Error).constructor.name);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Let me check.');
  });

  it('chat.stream: an abort through fetchOptions.signal ends the span as abandoned', async () => {
    suite.server.reply({ sse: chatStream(), holdAfter: 1 });
    const controller = new AbortController();
    const stream = await suite.client.chat.stream(SHORT, { fetchOptions: { signal: controller.signal } });
    let caught: unknown;
    try {
      for await (const _ of stream) controller.abort();
    } catch (err) {
      caught = err;
    }
    expect((caught as Error)?.name).to.equal('AbortError');
    const span = await onlySpan();
    expectAbandoned(span);
  });
}
