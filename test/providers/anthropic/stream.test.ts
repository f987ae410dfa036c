import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { expectAbandoned, llmSpans } from '../../helpers/tracing';
import { pick, useAnthropicSuite } from './client';
import { apiError, MODEL, streamWithErrorEvent, textStream, TOOL_USE_OUTPUT, TOOL_USE_TOKENS, toolUseStream } from './fixtures';

const REQUEST = { model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Weather in Paris?' }] };

describe('anthropic streaming', () => {
  const suite = useAnthropicSuite();
  const { tracing } = suite;

  it('create({stream:true}): assembles thinking, text and tool-call deltas; usage from message_start + message_delta', async () => {
    suite.server.reply({ sse: toolUseStream() });
    const types: string[] = [];
    await tracing.inParent('agent', async () => {
      const stream = await suite.client.messages.create({ ...REQUEST, stream: true });
      for await (const event of stream) types.push(event.type);
    });
    expect(types).to.have.length(17); // every event but the ping, unchanged
    const spans = await tracing.spans();
    const [span, ...others] = llmSpans(spans);
    expect(others).to.have.length(0);
    expect(span.parentSpanContext?.spanId).to.equal(spans.find((s) => s.name === 'agent')!.spanContext().spanId);
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    const a = span.attributes;
    expect(a['llm.model_name']).to.equal(MODEL);
    expect(pick(a, 'llm.output_messages.')).to.deep.equal(TOOL_USE_OUTPUT);
    expect(pick(a, 'llm.token_count.')).to.deep.equal(TOOL_USE_TOKENS);
    expect(a['llm.prompt_tokens']).to.equal(55);
    expect(a['llm.completion_tokens']).to.equal(42);
    expect(a['llm.finish_reason']).to.equal('tool_use');
    expect(JSON.parse(a['llm.invocation_parameters'] as string)).to.deep.equal({ model: 'claude-sonnet-4-6', max_tokens: 256, stream: true });
  });

  it('messages.stream(): traced once, finalMessage() and events unchanged, under the active span', async () => {
    suite.server.reply({ sse: toolUseStream() });
    const texts: string[] = [];
    const final = await tracing.inParent('agent', async () => {
      const stream = suite.client.messages.stream(REQUEST);
      stream.on('text', (delta) => texts.push(delta));
      return stream.finalMessage();
    });
    expect(texts).to.deep.equal(['Let me ', 'check.']);
    expect(final.content.map((b) => b.type)).to.deep.equal(['thinking', 'text', 'tool_use']);
    expect(final.usage.output_tokens).to.equal(42);
    const spans = await tracing.spans();
    const [span, ...others] = llmSpans(spans);
    expect(others).to.have.length(0);
    expect(span.name).to.equal('chat claude-sonnet-4-6');
    expect(span.parentSpanContext?.spanId).to.equal(spans.find((s) => s.name === 'agent')!.spanContext().spanId);
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(pick(span.attributes, 'llm.output_messages.')).to.deep.equal(TOOL_USE_OUTPUT);
    expect(pick(span.attributes, 'llm.token_count.')).to.deep.equal(TOOL_USE_TOKENS);
    expect(span.attributes['llm.input_messages.0.message.content']).to.equal('Weather in Paris?');
    expect(suite.server.requests).to.have.length.greaterThan(0);
    expect(suite.server.requests.at(-1)!.body.stream).to.equal(true);
  });

  it('messages.stream() failing with HTTP 429: ERROR with RateLimitError, the same error rejects finalMessage()', async () => {
    suite.server.reply({ status: 429, json: apiError('rate_limit_error', 'slow down') });
    const stream = suite.client.messages.stream(REQUEST);
    let caught: unknown;
    try {
      await stream.finalMessage();
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(suite.Anthropic.RateLimitError);
    const [span, ...others] = llmSpans(await tracing.spans());
    expect(others).to.have.length(0);
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).to.equal('RateLimitError');
    expect(span.status.message).to.equal((caught as Error).message);
  });

  it('beta.messages.create and beta.messages.stream() are traced once each', async () => {
    suite.server.reply({ sse: textStream() });
    const stream = await suite.client.beta.messages.create({ ...REQUEST, stream: true, betas: ['interleaved-thinking-2025-05-14'] });
    for await (const _ of stream) void _;
    const helper = suite.client.beta.messages.stream(REQUEST);
    const final = await helper.finalMessage();
    expect(final.content.map((b) => (b.type === 'text' ? b.text : b.type))).to.deep.equal(['Hi there']);
    const spans = llmSpans(await tracing.spans());
    expect(spans).to.have.length(2);
    for (const span of spans) {
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hi there');
      expect(pick(span.attributes, 'llm.token_count.')).to.deep.equal({
        'llm.token_count.prompt': 7,
        'llm.token_count.completion': 3,
        'llm.token_count.total': 10,
      });
      expect(span.attributes['llm.finish_reason']).to.equal('end_turn');
    }
    // `betas` (sent as a header) is a request parameter like the others.
    expect(JSON.parse(spans[0].attributes['llm.invocation_parameters'] as string).betas).to.deep.equal(['interleaved-thinking-2025-05-14']);
  });

  it('a mid-stream `event: error` ends the span as ERROR with the same error, partial output kept', async () => {
    suite.server.reply({ sse: streamWithErrorEvent() });
    const seen: string[] = [];
    let caught: unknown;
    try {
      const stream = await suite.client.messages.create({ ...REQUEST, stream: true });
      for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') seen.push(event.delta.text);
    } catch (err) {
      caught = err;
    }
    expect(seen).to.deep.equal(['Hi ', 'there']);
    expect(caught).to.be.instanceOf(suite.Anthropic.APIError);
    expect((caught as { error?: unknown }).error).to.deep.equal(apiError('overloaded_error', 'Overloaded'));
    const [span] = llmSpans(await tracing.spans());
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    // The SDK throws its base APIError for an in-band error event; the envelope's type is on the error.
    expect(span.attributes['error.type']).to.equal('APIError');
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hi there');
    expect(span.attributes['llm.token_count.prompt']).to.equal(7);
    expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
  });

  it('a connection dropped mid-stream ends the span as ERROR, partial output kept', async () => {
    suite.server.reply({ sse: textStream(), dropAfter: 3 });
    let caught: unknown;
    const seen: string[] = [];
    try {
      const stream = await suite.client.messages.create({ ...REQUEST, stream: true });
      for await (const event of stream) seen.push(event.type);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(Error);
    expect(seen).to.deep.equal(['message_start', 'content_block_start', 'content_block_delta']);
    const [span] = llmSpans(await tracing.spans());
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    // undici's `TypeError: terminated`, passed through by the SDK's stream as it is.
    expect(span.attributes['error.type']).to.equal('TypeError');
    expect((caught as Error).message).to.equal('terminated');
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hi ');
    expect(span.attributes['llm.token_count.prompt']).to.equal(7);
    expect(span.attributes['llm.token_count.completion']).to.equal(1); // message_start's provisional count
  });

  it('break ends the span once, as abandoned, with what was read', async () => {
    suite.server.reply({ sse: textStream() });
    const stream = await suite.client.messages.create({ ...REQUEST, stream: true });
    let n = 0;
    for await (const _ of stream) if (++n === 3) break;
    const [span, ...others] = llmSpans(await tracing.spans());
    expect(others).to.have.length(0);
    expectAbandoned(span, 'Hi ');
  });

  it('messages.stream().abort() ends the span', async () => {
    // The first text delta is the third event.
    suite.server.reply({ sse: textStream(), holdAfter: 3 });
    const stream = suite.client.messages.stream(REQUEST);
    const aborted = new Promise<void>((resolve) => stream.on('abort', () => resolve()));
    stream.on('text', () => stream.abort());
    await aborted;
    await stream.done().catch(() => undefined);
    const [span, ...others] = llmSpans(await tracing.spans());
    expect(others).to.have.length(0);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hi ');
    // The app's abort is not an error: the span ends as abandoned, as for `break`.
    expectAbandoned(span);
  });
});
