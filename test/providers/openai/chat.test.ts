import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { llmSpans, onlyChildSpan } from '../../helpers/tracing';
import { useOpenAISuite } from './client';
import { chatCompletion, chatStream } from './fixtures';

describe('openai chat.completions.create', () => {
  const suite = useOpenAISuite();
  const { tracing } = suite;

  it('records one LLM span with OpenInference and Infinium attributes, under the active span', async () => {
    suite.server.reply({ json: chatCompletion() });
    const result = await tracing.inParent('agent', () =>
      suite.client.chat.completions.create({
        model: 'gpt-4o-mini',
        temperature: 0.2,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
      }),
    );
    expect(result.choices[0].message.content).to.equal('Hello there!');
    const span = await onlyChildSpan(tracing, 'chat gpt-4o-mini');
    const a = span.attributes;
    expect(a['openinference.span.kind']).to.equal('LLM');
    expect(a['llm.provider']).to.equal('openai');
    expect(a['llm.system']).to.equal('openai');
    expect(a['llm.model_name']).to.equal('gpt-4o-mini-2024-07-18');
    expect(a['llm.model']).to.equal('gpt-4o-mini-2024-07-18');
    expect(a['llm.input_messages.0.message.role']).to.equal('system');
    expect(a['llm.input_messages.0.message.content']).to.equal('Be brief.');
    expect(a['llm.input_messages.1.message.content']).to.equal('Hi');
    expect(a['llm.output_messages.0.message.role']).to.equal('assistant');
    expect(a['llm.output_messages.0.message.content']).to.equal('Hello there!');
    expect(a['output.value']).to.equal('Hello there!');
    expect(a['output.mime_type']).to.equal('text/plain');
    expect(JSON.parse(a['input.value'] as string)).to.deep.equal([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
    expect(JSON.parse(a['llm.invocation_parameters'] as string)).to.deep.equal({ model: 'gpt-4o-mini', temperature: 0.2 });
    expect(a['llm.temperature']).to.equal(0.2);
    expect(a['llm.token_count.prompt']).to.equal(19);
    expect(a['llm.token_count.completion']).to.equal(10);
    expect(a['llm.token_count.total']).to.equal(29);
    expect(a['llm.token_count.prompt_details.cache_read']).to.equal(4);
    expect(a['llm.token_count.completion_details.reasoning']).to.equal(2);
    expect(a['llm.prompt_tokens']).to.equal(19);
    expect(a['llm.completion_tokens']).to.equal(10);
    expect(a['llm.finish_reason']).to.equal('stop');
    expect(a['llm.latency_ms']).to.be.a('number').and.be.greaterThan(0);
  });

  it('streams: assembles content and tool-call deltas, takes usage from the usage chunk, ends once', async () => {
    suite.server.reply({ sse: chatStream() });
    const stream = await suite.client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const seen: string[] = [];
    for await (const chunk of stream) seen.push(chunk.choices[0]?.delta?.content ?? '');
    expect(seen.join('')).to.equal('Let me check.');
    const [span] = llmSpans(await tracing.spans());
    const a = span.attributes;
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(a['llm.output_messages.0.message.content']).to.equal('Let me check.');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.id']).to.equal('call_1');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":"Paris"}');
    expect(a['llm.finish_reason']).to.equal('tool_calls');
    expect(a['llm.token_count.prompt']).to.equal(12);
    expect(a['llm.token_count.completion']).to.equal(7);
    expect(a['llm.token_count.total']).to.equal(19);
  });

  it('fails with ERROR, error.type and the same error object on HTTP 429', async () => {
    suite.server.reply({ status: 429, json: { error: { message: 'Rate limit reached', type: 'requests' } } });
    let caught: unknown;
    try {
      await suite.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(suite.OpenAI.RateLimitError);
    const [span] = llmSpans(await tracing.spans());
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).to.equal('RateLimitError');
    expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
  });

  it('never records the API key or headers', async () => {
    suite.server.reply({ json: chatCompletion() });
    await suite.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    const [span] = llmSpans(await tracing.spans());
    expect(JSON.stringify(span.attributes)).not.to.contain('sk-test-secret-123');
    expect(suite.server.requests.at(-1)!.headers.authorization).to.equal('Bearer sk-test-secret-123');
  });
});
