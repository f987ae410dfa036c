import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { llmSpans, onlyChildSpan } from '../../helpers/tracing';
import { expectBadRequest, useOpenAISuite } from './client';
import { textCompletion, textCompletionStream } from './fixtures';

describe('openai completions.create (legacy)', () => {
  const suite = useOpenAISuite();
  const { tracing } = suite;

  it('records a text_completion span: prompt, choice text, usage, finish reason, under the active span', async () => {
    suite.server.reply({ json: textCompletion() });
    const result = await tracing.inParent('agent', () =>
      suite.client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say this is a test', max_tokens: 7, temperature: 0 }),
    );
    expect(result.choices[0].text).to.equal('\n\nThis is indeed a test');
    const span = await onlyChildSpan(tracing, 'text_completion gpt-3.5-turbo-instruct');
    const a = span.attributes;
    expect(a['openinference.span.kind']).to.equal('LLM');
    expect(a['llm.provider']).to.equal('openai');
    expect(a['llm.system']).to.equal('openai');
    expect(a['llm.model_name']).to.equal('gpt-3.5-turbo-instruct');
    expect(a['llm.prompts']).to.deep.equal(['Say this is a test']);
    expect(a['input.value']).to.equal('Say this is a test');
    expect(a['input.mime_type']).to.equal('text/plain');
    expect(Object.keys(a).filter((k) => k.startsWith('llm.input_messages.'))).to.deep.equal([]);
    expect(Object.keys(a).filter((k) => k.startsWith('llm.output_messages.')).sort()).to.deep.equal([
      'llm.output_messages.0.message.content',
      'llm.output_messages.0.message.role',
    ]);
    expect(a['llm.output_messages.0.message.role']).to.equal('assistant');
    expect(a['llm.output_messages.0.message.content']).to.equal('\n\nThis is indeed a test');
    expect(a['output.value']).to.equal('\n\nThis is indeed a test');
    expect(JSON.parse(a['llm.invocation_parameters'] as string)).to.deep.equal({ model: 'gpt-3.5-turbo-instruct', max_tokens: 7, temperature: 0 });
    expect(a['llm.temperature']).to.equal(0);
    expect(a['llm.token_count.prompt']).to.equal(5);
    expect(a['llm.token_count.completion']).to.equal(7);
    expect(a['llm.token_count.total']).to.equal(12);
    expect(a['llm.prompt_tokens']).to.equal(5);
    expect(a['llm.completion_tokens']).to.equal(7);
    expect(a['llm.finish_reason']).to.equal('length');
  });

  it('records a list of prompts and one output message per choice, in index order', async () => {
    suite.server.reply({
      json: textCompletion({
        choices: [
          { text: 'B', index: 1, logprobs: null, finish_reason: 'stop' },
          { text: 'A', index: 0, logprobs: null, finish_reason: 'length' },
        ],
      }),
    });
    await suite.client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: ['first', 'second'] });
    const [span] = llmSpans(await tracing.spans());
    const a = span.attributes;
    expect(a['llm.prompts']).to.deep.equal(['first', 'second']);
    expect(a['llm.output_messages.0.message.content']).to.equal('A');
    expect(a['llm.output_messages.1.message.content']).to.equal('B');
    expect(a['llm.finish_reason']).to.equal('length');
  });

  it('token-id prompts record no prompt text', async () => {
    suite.server.reply({ json: textCompletion() });
    await suite.client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: [1212, 318] });
    const [span] = llmSpans(await tracing.spans());
    expect(span.attributes['llm.prompts']).to.equal(undefined);
    expect(span.attributes['input.value']).to.equal(undefined);
    expect(span.attributes['llm.token_count.prompt']).to.equal(5);
  });

  it('streams: accumulates text per choice index and takes usage from the usage chunk, ends once', async () => {
    suite.server.reply({ sse: textCompletionStream() });
    const stream = await suite.client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Complete',
      n: 2,
      stream: true,
      stream_options: { include_usage: true },
    });
    let chunks = 0;
    for await (const chunk of stream) chunks += chunk ? 1 : 0;
    expect(chunks).to.equal(7);
    const spans = llmSpans(await tracing.spans());
    expect(spans).to.have.length(1);
    const a = spans[0].attributes;
    expect(spans[0].status.code).to.equal(SpanStatusCode.OK);
    expect(a['llm.output_messages.0.message.role']).to.equal('assistant');
    expect(a['llm.output_messages.0.message.content']).to.equal('This is');
    expect(a['llm.output_messages.1.message.role']).to.equal('assistant');
    expect(a['llm.output_messages.1.message.content']).to.equal('That was');
    expect(a['llm.output_messages.2.message.role']).to.equal(undefined);
    expect(a['llm.finish_reason']).to.equal('stop');
    expect(a['llm.token_count.prompt']).to.equal(4);
    expect(a['llm.token_count.completion']).to.equal(4);
    expect(a['llm.token_count.total']).to.equal(8);
  });

  it('a connection dropped mid-stream ends the span as ERROR and keeps the partial output', async () => {
    suite.server.reply({ sse: textCompletionStream(), dropAfter: 3 });
    const stream = await suite.client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Complete', n: 2, stream: true });
    let caught: unknown;
    try {
      for await (const chunk of stream) void chunk;
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(Error);
    const [span] = llmSpans(await tracing.spans());
    const a = span.attributes;
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(a['error.type']).to.equal((caught as Error).constructor.name);
    expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
    expect(a['llm.output_messages.0.message.content']).to.equal('This is');
    expect(a['llm.output_messages.1.message.content']).to.equal('That');
    expect(a['llm.finish_reason']).to.equal(undefined);
  });

  it('fails with ERROR, error.type and the same error object on HTTP 400', async () => {
    suite.server.reply({ status: 400, json: { error: { message: 'Invalid prompt', type: 'invalid_request_error', param: 'prompt', code: null } } });
    await expectBadRequest(suite, suite.client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'x' }));
  });
});
