import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type OpenAIType from 'openai';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, llmSpans, useInstrumentation } from '../helpers/tracing';
import { chatCompletion, chatStream } from '../providers/openai/fixtures';
import { RejectionSpy } from './harness';

/**
 * 400 calls at once through the real SDK and the fake server, half of them streamed, each under its own
 * parent span: every LLM span must end, once, under exactly its own parent.
 */
describe('reliability: load', () => {
  const tracing = createTracing();
  const rejections = new RejectionSpy();
  let server: FakeLlmServer;
  let client: OpenAIType;

  before(async () => {
    useInstrumentation(tracing);
    const { OpenAI } = require('openai') as typeof import('openai');
    server = await startFakeLlmServer();
    client = new OpenAI({ apiKey: 'sk-test-secret-123', baseURL: 'https://api.openai.com/v1', fetch: server.fetch, maxRetries: 0 });
  });
  after(() => server.stop());
  beforeEach(() => {
    tracing.reset();
    rejections.install();
  });
  afterEach(() => rejections.check());

  it('400 concurrent calls (200 streamed): each LLM span ends under its own parent', async function () {
    this.timeout(30_000);
    // Streams trickle (1 ms between events), so the calls interleave chunk by chunk.
    server.handle((req) => (req.body?.stream ? { sse: chatStream(), delayMs: 1 } : { json: chatCompletion() }));
    const N = 400;
    const texts = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        tracing.inParent(`parent ${i}`, async () => {
          const messages = [{ role: 'user' as const, content: `call ${i}` }];
          if (i % 2 === 0) return (await client.chat.completions.create({ model: 'gpt-4o-mini', messages })).choices[0].message.content;
          let text = '';
          const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } });
          for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
          return text;
        }),
      ),
    );
    expect(texts.filter((t, i) => t === (i % 2 === 0 ? 'Hello there!' : 'Let me check.'))).to.have.length(N);

    const spans = await tracing.spans();
    const parents = new Map(spans.filter((s) => s.name.startsWith('parent ')).map((s) => [s.name, s.spanContext()]));
    expect(parents.size).to.equal(N);
    const calls = llmSpans(spans);
    expect(calls).to.have.length(N);
    const seen = new Set<number>();
    for (const span of calls) {
      const i = Number(/^call (\d+)$/.exec(String(span.attributes['llm.input_messages.0.message.content']))![1]);
      seen.add(i);
      const parent = parents.get(`parent ${i}`)!;
      expect(span.parentSpanContext?.spanId, `call ${i}`).to.equal(parent.spanId);
      expect(span.spanContext().traceId, `call ${i}`).to.equal(parent.traceId);
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes['llm.token_count.total']).to.equal(i % 2 === 0 ? 29 : 19);
    }
    expect(seen.size).to.equal(N);
  });
});
