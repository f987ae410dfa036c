import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { expectAbandoned, llmSpans, onlyChildSpan } from '../../helpers/tracing';
import { pick } from '../anthropic/client';
import { REQUEST, useTogetherSuite } from './client';
import { chatCompletion, chatStream, completion, embeddings, MODEL } from './fixtures';

describe('together-ai', () => {
  const suite = useTogetherSuite();
  const { tracing } = suite;

  it('chat.completions.create: one LLM span, llm.provider together, messages, exact tokens, parameters', async () => {
    suite.server.reply({ json: chatCompletion() });
    const result: any = await tracing.inParent('agent', () => suite.client.chat.completions.create({ ...REQUEST, temperature: 0.2, max_tokens: 32 }));
    expect(result.choices[0].message.content).to.equal('Hello from Together!');
    expect(suite.server.requests.at(-1)!.path).to.equal('/v1/chat/completions');
    const span = await onlyChildSpan(tracing, `chat ${MODEL}`);
    const a = span.attributes;
    expect([a['openinference.span.kind'], a['llm.provider'], a['llm.system'], a['llm.model_name']]).to.deep.equal(['LLM', 'together', 'openai', MODEL]);
    expect(pick(a, 'llm.input_messages.')).to.deep.equal({ 'llm.input_messages.0.message.role': 'user', 'llm.input_messages.0.message.content': 'Hi' });
    expect(pick(a, 'llm.output_messages.')).to.deep.equal({
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Hello from Together!',
    });
    expect(pick(a, 'llm.token_count.')).to.deep.equal({ 'llm.token_count.prompt': 14, 'llm.token_count.completion': 5, 'llm.token_count.total': 19 });
    expect(JSON.parse(a['llm.invocation_parameters'] as string)).to.deep.equal({ model: MODEL, temperature: 0.2, max_tokens: 32 });
    expect([a['llm.temperature'], a['llm.finish_reason']]).to.deep.equal([0.2, 'stop']);
  });

  it('a stream read to the end: one span, text assembled, the usage of the last chunk', async () => {
    suite.server.reply({ sse: chatStream() });
    const stream = await suite.client.chat.completions.create({ ...REQUEST, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).to.equal('Hello!');
    const [span, ...others] = llmSpans(await tracing.spans());
    expect(others).to.have.length(0);
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hello!');
    expect(pick(span.attributes, 'llm.token_count.')).to.deep.equal({ 'llm.token_count.prompt': 11, 'llm.token_count.completion': 2, 'llm.token_count.total': 13 });
  });

  it('break ends the span once, as abandoned', async () => {
    suite.server.reply({ sse: chatStream(), holdAfter: 1 });
    const stream = await suite.client.chat.completions.create({ ...REQUEST, stream: true });
    for await (const _ of stream) break;
    const [span, ...others] = llmSpans(await tracing.spans());
    expect(others).to.have.length(0);
    expectAbandoned(span, 'Hel');
  });

  it('a connection dropped mid-stream ends the span as ERROR', async () => {
    suite.server.reply({ sse: chatStream(), dropAfter: 2 });
    let caught: unknown;
    try {
      for await (const _ of await suite.client.chat.completions.create({ ...REQUEST, stream: true })) void _;
    } catch (err) {
      caught = err;
    }
    const [span, ...others] = llmSpans(await tracing.spans());
    expect(others).to.have.length(0);
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).to.equal((caught as Error).constructor.name);
  });

  it('an HTTP 401 ends the span as ERROR with the SDK error, unchanged', async () => {
    suite.server.reply({ status: 401, json: { id: 'x', error: { message: 'Invalid API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } } });
    let caught: unknown;
    await suite.client.chat.completions.create(REQUEST).catch((err: unknown) => (caught = err));
    expect((caught as Error).constructor.name).to.equal('AuthenticationError');
    const [span] = llmSpans(await tracing.spans());
    expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: (caught as Error).message });
    expect(span.attributes['error.type']).to.equal('AuthenticationError');
  });

  it('completions.create: one LLM span with the prompt and the text', async () => {
    suite.server.reply({ json: completion() });
    await suite.client.completions.create({ model: 'meta-llama/Llama-3.2-3B-Instruct-Turbo', prompt: 'The capital of France is' });
    const [span, ...others] = llmSpans(await tracing.spans());
    expect(others).to.have.length(0);
    const a = span.attributes;
    expect([span.name, a['llm.provider'], a['llm.token_count.prompt'], a['llm.token_count.completion']]).to.deep.equal([
      'text_completion meta-llama/Llama-3.2-3B-Instruct-Turbo',
      'together',
      6,
      2,
    ]);
    expect(a['llm.prompts']).to.deep.equal(['The capital of France is']);
    expect([a['llm.output_messages.0.message.content'], a['output.value'], a['llm.finish_reason']]).to.deep.equal([' Paris.', ' Paris.', 'stop']);
  });

  it('embeddings.create: one EMBEDDING span with the texts and vectors', async () => {
    suite.server.reply({ json: embeddings() });
    await suite.client.embeddings.create({ model: 'BAAI/bge-base-en-v1.5', input: ['a', 'b'] });
    const [span, ...others] = llmSpans(await tracing.spans());
    expect(others).to.have.length(0);
    const a = span.attributes;
    expect([a['openinference.span.kind'], a['llm.provider'], a['embedding.model_name']]).to.deep.equal(['EMBEDDING', 'together', 'BAAI/bge-base-en-v1.5']);
    expect(pick(a, 'embedding.embeddings.')).to.deep.equal({
      'embedding.embeddings.0.embedding.text': 'a',
      'embedding.embeddings.0.embedding.vector': [0.25, -0.5, 0.125],
      'embedding.embeddings.1.embedding.text': 'b',
      'embedding.embeddings.1.embedding.vector': [0.5, 0.75, -0.25],
    });
  });

  it('hideInputs and hideOutputs: content redacted, tokens kept', async () => {
    suite.instrumentation.setConfig({ hideInputs: true, hideOutputs: true });
    suite.server.reply({ json: chatCompletion() });
    await suite.client.chat.completions.create(REQUEST);
    const [span] = llmSpans(await tracing.spans());
    expect([span.attributes['input.value'], span.attributes['output.value'], span.attributes['llm.token_count.total']]).to.deep.equal(['__REDACTED__', '__REDACTED__', 19]);
    expect(JSON.stringify(span.attributes)).not.to.contain('Hello from Together!');
  });
});
