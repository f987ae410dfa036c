import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { STREAM_ABANDONED_EVENT } from '../../lib/instrumentation/llm-call';
import { llmSpans, TestTracing } from '../helpers/tracing';
import { useOpenAISuite } from '../providers/openai/client';
import { chatStream } from '../providers/openai/fixtures';

/**
 * The one stream wrapper, exercised through real OpenAI SDK streams: every way a stream can stop ends the
 * span exactly once, with the right status.
 */
describe('stream wrapper (real openai streams)', () => {
  const suite = useOpenAISuite();
  const { tracing } = suite;
  let Stream: new (...args: never[]) => unknown;
  const streamRequest = {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
    stream: true as const,
    stream_options: { include_usage: true },
  };

  before(() => {
    Stream = require('openai/core/streaming').Stream;
  });

  async function onlyLlmSpan(): Promise<ReadableSpan> {
    const spans = llmSpans(await tracing.spans());
    expect(spans).to.have.length(1);
    return spans[0];
  }

  const eventNames = (span: ReadableSpan) => span.events.map((e) => e.name);

  it('ends OK once when the stream is read to its end', async () => {
    suite.server.reply({ sse: chatStream() });
    const stream = await suite.client.chat.completions.create(streamRequest);
    expect(stream).to.be.instanceOf(Stream);
    let chunks = 0;
    for await (const _ of stream) chunks++;
    expect(chunks).to.equal(8);
    const span = await onlyLlmSpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(eventNames(span)).to.deep.equal([]);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Let me check.');
    expect(span.attributes['llm.token_count.prompt']).to.equal(12);
    // A second look must not add a span (it ended exactly once).
    expect(llmSpans(await tracing.spans())).to.have.length(1);
  });

  it('break after the first content chunk: ends, not ERROR, abandoned event, partial content kept', async () => {
    suite.server.reply({ sse: chatStream(), holdAfter: 2 });
    const stream = await suite.client.chat.completions.create(streamRequest);
    const seen: string[] = [];
    for await (const chunk of stream) {
      seen.push(chunk.choices[0]?.delta?.content ?? '');
      if (seen.join('') !== '') break;
    }
    expect(seen).to.deep.equal(['', 'Let me ']);
    const span = await onlyLlmSpan();
    expect(span.status.code).to.equal(SpanStatusCode.UNSET);
    expect(eventNames(span)).to.deep.equal([STREAM_ABANDONED_EVENT]);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Let me ');
    expect(span.attributes['output.value']).to.equal('Let me ');
    expect(span.attributes).not.to.have.property('error.type');
    expect(span.attributes).not.to.have.property('llm.token_count.prompt');
  });

  it('stream.controller.abort() mid-stream: ends, not ERROR, abandoned, the loop stops quietly', async () => {
    // Two frames, then nothing until the client goes: the abort always comes mid-answer, however busy the machine.
    suite.server.reply({ sse: chatStream(), holdAfter: 2 });
    const stream = await suite.client.chat.completions.create(streamRequest);
    const seen: string[] = [];
    for await (const chunk of stream) {
      seen.push(chunk.choices[0]?.delta?.content ?? '');
      if (seen.length === 2) stream.controller.abort();
    }
    expect(seen.slice(0, 2)).to.deep.equal(['', 'Let me ']);
    const span = await onlyLlmSpan();
    expect(span.status.code).to.equal(SpanStatusCode.UNSET);
    expect(eventNames(span)).to.deep.equal([STREAM_ABANDONED_EVENT]);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Let me ');
  });

  it('stream.controller.abort() between reads, the stream still held: ends at once, abandoned; the abort itself unchanged', async () => {
    suite.server.reply({ sse: chatStream(), holdAfter: 2 });
    const stream = await suite.client.chat.completions.create(streamRequest);
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).done).to.equal(false);
    expect((await iterator.next()).done).to.equal(false);
    const reason = new Error('user cancelled');
    stream.controller.abort(reason);
    expect(stream.controller.signal.aborted).to.equal(true);
    expect(stream.controller.signal.reason).to.equal(reason);
    // No further read, no garbage collection: the abort alone ended the span.
    const span = await onlyLlmSpan();
    expect(span.status.code).to.equal(SpanStatusCode.UNSET);
    expect(eventNames(span)).to.deep.equal([STREAM_ABANDONED_EVENT]);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Let me ');
    expect(stream).to.be.instanceOf(Stream);
  });

  it("the request's own signal aborted between reads: the SDK forwards it, the span ends at once, abandoned", async () => {
    suite.server.reply({ sse: chatStream(), holdAfter: 2 });
    const app = new AbortController();
    const stream = await suite.client.chat.completions.create(streamRequest, { signal: app.signal });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    app.abort();
    expect(stream.controller.signal.aborted).to.equal(true);
    const span = await onlyLlmSpan();
    expect(span.status.code).to.equal(SpanStatusCode.UNSET);
    expect(eventNames(span)).to.deep.equal([STREAM_ABANDONED_EVENT]);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Let me ');
  });

  it('abort() while a read is in flight: the read ends quietly and the span is abandoned, not OK', async () => {
    // The server sends one chunk and holds the rest: the read after it stays in flight until the abort.
    suite.server.reply({ sse: chatStream(), holdAfter: 1 });
    const stream = await suite.client.chat.completions.create(streamRequest);
    const seen: string[] = [];
    for await (const chunk of stream) {
      seen.push(chunk.choices[0]?.delta?.content ?? '');
      setTimeout(() => stream.controller.abort(), 20);
    }
    expect(seen).to.deep.equal(['']);
    const span = await onlyLlmSpan();
    expect(span.status.code).to.equal(SpanStatusCode.UNSET);
    expect(eventNames(span)).to.deep.equal([STREAM_ABANDONED_EVENT]);
  });

  it('connection dropped mid-stream: ERROR with error.type, partial output kept, the app gets the SDK error', async () => {
    suite.server.reply({ sse: chatStream(), dropAfter: 3 });
    const stream = await suite.client.chat.completions.create(streamRequest);
    const seen: string[] = [];
    let caught: unknown;
    try {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta?.content ?? '');
    } catch (err) {
      caught = err;
    }
    expect(seen).to.deep.equal(['', 'Let me ', 'check.']);
    // undici reports the cut socket as `TypeError: terminated`; the SDK passes it through unchanged.
    expect(caught).to.be.instanceOf(TypeError);
    expect((caught as Error).message).to.equal('terminated');
    const span = await onlyLlmSpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.status.message).to.equal((caught as Error).message);
    expect(span.attributes['error.type']).to.equal('TypeError');
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Let me check.');
    expect(eventNames(span)).to.deep.equal(['exception']);
  });

  it('tee(): both halves read every chunk, one span', async () => {
    suite.server.reply({ sse: chatStream() });
    const stream = await suite.client.chat.completions.create(streamRequest);
    const [left, right] = stream.tee();
    expect(left).to.be.instanceOf(Stream);
    const read = async (s: AsyncIterable<{ choices: Array<{ delta?: { content?: string | null } }> }>) => {
      let text = '';
      for await (const chunk of s) text += chunk.choices[0]?.delta?.content ?? '';
      return text;
    };
    expect(await read(left)).to.equal('Let me check.');
    expect(await read(right)).to.equal('Let me check.');
    const span = await onlyLlmSpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Let me check.');
  });

  it('toReadableStream(): the bytes are the chunks, one span OK', async () => {
    suite.server.reply({ sse: chatStream() });
    const stream = await suite.client.chat.completions.create(streamRequest);
    const readable = stream.toReadableStream();
    const decoder = new TextDecoder();
    let text = '';
    for await (const bytes of readable as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(bytes);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).to.have.length(8);
    expect(lines.map((c) => c.choices[0]?.delta?.content ?? '').join('')).to.equal('Let me check.');
    const span = await onlyLlmSpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes['llm.token_count.completion']).to.equal(7);
  });

  it('a stream never read, then dropped: the span ends as abandoned after garbage collection', async function () {
    if (typeof global.gc !== 'function') this.skip();
    suite.server.reply({ sse: chatStream() });
    await openAndDropStream();
    const span = await waitForLlmSpan(tracing, () => global.gc!());
    expect(span.status.code).to.equal(SpanStatusCode.UNSET);
    expect(eventNames(span)).to.deep.equal([STREAM_ABANDONED_EVENT]);
    expect(span.attributes['llm.model_name']).to.equal('gpt-4o-mini');
    expect(span.attributes).not.to.have.property('llm.output_messages.0.message.content');
    expect(llmSpans(await tracing.spans())).to.have.length(1);
  });

  /** In its own function so that no local of the test keeps the stream reachable. */
  async function openAndDropStream(): Promise<void> {
    const stream = await suite.client.chat.completions.create(streamRequest);
    expect(stream).to.be.instanceOf(Stream);
    expect(llmSpans(await tracing.spans())).to.have.length(0);
  }
});

/**
 * Polls for the single LLM span, running `collect` between polls: finalizers run on a later task after a
 * collection, and one collection is not always enough, so retry on a real timer until `timeoutMs`.
 */
async function waitForLlmSpan(tracing: TestTracing, collect: () => void, timeoutMs = 15_000): Promise<ReadableSpan> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    collect();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const spans = llmSpans(await tracing.spans());
    if (spans.length > 0) return spans[0];
    if (Date.now() > deadline) throw new Error(`no LLM span ended within ${timeoutMs} ms of garbage collection`);
  }
}
