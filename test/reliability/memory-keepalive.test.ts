import { expect } from 'chai';
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, llmSpans, useInstrumentation } from '../helpers/tracing';
import { chatCompletion } from '../providers/openai/fixtures';
import { loadOpenAI, openaiClient } from '../providers/openai/client';
import { collectUntil, heapUsedAfterGc } from './harness';

const MB = 1024 * 1024;
const SIZE = 1 * MB;

/**
 * Counts the ended spans still alive, without holding them: a FinalizationRegistry, not WeakRefs (a WeakRef
 * read keeps its target until the end of the job, which made the check itself hold a span).
 */
class SpanCollectionCounter implements SpanProcessor {
  ended = 0;
  collected = 0;
  private readonly registry = new FinalizationRegistry<number>(() => this.collected++);
  onStart(_span: Span, _context: Context): void {}
  onEnd(span: ReadableSpan): void {
    this.ended++;
    this.registry.register(span, this.ended);
  }
  get alive(): number {
    return this.ended - this.collected;
  }
  forceFlush = () => Promise.resolve();
  shutdown = () => Promise.resolve();
}

/**
 * The SDK runs inside the call's context, and what it creates keeps that context: Node's fetch pools the
 * keep-alive socket it opens, with the context as the socket's AsyncLocalStorage store. That context must
 * not hold the ended span (and its multi-MB `output.value`) or the call's record.
 */
describe('reliability: memory with pooled keep-alive sockets', () => {
  const counter = new SpanCollectionCounter();
  const tracing = createTracing([counter]);
  let server: FakeLlmServer;

  let instrumentation: ReturnType<typeof useInstrumentation>['instrumentation'];
  before(async () => {
    instrumentation = useInstrumentation(tracing).instrumentation;
    // Spans that really hold 1 MB of text each (the default cap keeps 32,000 characters), so that a span
    // kept alive would show in the heap.
    instrumentation.setConfig({ maxAttributeLength: 2 * MB });
    server = await startFakeLlmServer();
  });
  after(async () => {
    instrumentation.setConfig({});
    await server.stop();
  });

  it('4 concurrent 1 MB answers: after export, no span is held and the heap is back to where it was', async function () {
    this.timeout(60_000);
    const client = openaiClient(loadOpenAI(), server);
    // A flat string made now: a lazily flattened one would count as growth when the server first writes it.
    const big = Buffer.alloc(SIZE, 'x').toString('latin1');
    server.handle((req) => ({
      json: chatCompletion({
        choices: [{ index: 0, message: { role: 'assistant', content: req.body.messages[0].content === 'small' ? 'ok' : big, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      }),
    }));
    const call = (content: string) => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }).then(() => undefined);

    // Warm-up: the pool opens its sockets, the code is compiled.
    await Promise.all([call('small'), call('small'), call('small'), call('small')]);
    tracing.reset();
    const sockets = (server as unknown as { sockets: Set<unknown> }).sockets;
    const before = heapUsedAfterGc();

    await Promise.all([call('big'), call('big'), call('big'), call('big')]);
    const spans = llmSpans(await tracing.spans());
    expect(spans).to.have.length(4);
    expect((spans[0].attributes['llm.output_messages.0.message.content'] as string).length).to.equal(SIZE);
    tracing.reset();
    spans.length = 0;

    await collectUntil(async () => counter.alive === 0);
    // The sockets are still pooled: what held the spans before would still be there.
    expect(sockets.size, 'open keep-alive sockets').to.be.greaterThan(0);
    expect(counter.ended).to.equal(8);
    expect(counter.alive, 'ended spans still reachable').to.equal(0);
    // Had the spans stayed, each would hold its 1 MB of output twice (output.value and the message content):
    // 8 MB. Without instrumentation, the same calls leave nothing either.
    expect((heapUsedAfterGc() - before) / MB).to.be.below(1);
  });
});
