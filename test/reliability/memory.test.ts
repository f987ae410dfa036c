import { expect } from 'chai';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ExportResultCode } from '@opentelemetry/core';
import type OpenAIType from 'openai';
import { InfiniumSpanProcessor } from '../../lib/processor/span-processor';
import { createTracing, llmSpans, useInstrumentation } from '../helpers/tracing';
import { chatCompletion, chatStream } from '../providers/openai/fixtures';
import { heapUsedAfterGc } from './harness';

const MB = 1024 * 1024;
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** An in-process `fetch` answering at once (no sockets), so thousands of real SDK calls take seconds. */
function instantFetch(): typeof fetch {
  const json = new TextEncoder().encode(JSON.stringify(chatCompletion()));
  const sse = new TextEncoder().encode(
    chatStream()
      .map((e) => `data: ${typeof e.data === 'string' ? e.data : JSON.stringify(e.data)}\n\n`)
      .join(''),
  );
  return async (_url, init) => {
    const streamed = typeof init?.body === 'string' && init.body.includes('"stream":true');
    return new Response((streamed ? sse : json) as unknown as BodyInit, { headers: { 'content-type': streamed ? 'text/event-stream' : 'application/json' } });
  };
}

describe('reliability: memory', () => {
  it('10,000 sequential traces through the SDK and the processor: no heap growth beyond noise', async function () {
    this.timeout(60_000);
    const processor = new InfiniumSpanProcessor();
    const tracing = createTracing([processor]);
    useInstrumentation(tracing);
    const { OpenAI } = require('openai') as typeof import('openai');
    const client: OpenAIType = new OpenAI({ apiKey: 'sk-test-secret-123', fetch: instantFetch(), maxRetries: 0 });
    const oneTrace = (i: number) =>
      tracing.inParent('agent run', async () => {
        const messages = [{ role: 'user' as const, content: 'Hi' }];
        if (i % 2 === 0) return client.chat.completions.create({ model: 'gpt-4o-mini', messages });
        for await (const _chunk of await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }));
      });
    const runTraces = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await oneTrace(i);
        // The in-memory exporter keeps spans until reset: drop them as we go (it is not what is measured).
        if (i % 100 === 99) tracing.reset();
      }
      await tick();
      tracing.reset();
    };

    // Warm-up: JIT code, SDK caches and memoized keys grow the heap at first (about 0.8 MB after 1,000
    // traces, 0.2 MB after 3,000), then it stays flat.
    await runTraces(3000);
    const before = heapUsedAfterGc();
    await runTraces(10_000);
    const after = heapUsedAfterGc();
    const noise = Math.abs(heapUsedAfterGc() - after);

    // The run did trace: one LLM span per call, rolled up on its root (checked on one more trace).
    await oneTrace(0);
    const spans = await tracing.spans();
    expect(llmSpans(spans)).to.have.length(1);
    expect(spans.find((s) => s.name === 'agent run')!.attributes['infinium.llm_call_count']).to.equal(1);
    expect(processor.openTraceCount).to.equal(0);
    // A leak of 100 bytes per trace would be 1 MB here.
    expect((after - before) / MB, `heap growth (noise ${(noise / MB).toFixed(2)} MB)`).to.be.below(1);
  });

  it('100,000 roots that never end: the processor keeps its cap (10,000 traces) and the heap stops growing', async function () {
    this.timeout(60_000);
    const processor = new InfiniumSpanProcessor();
    const exporter = { export: (_: unknown, done: (r: { code: number }) => void) => done({ code: ExportResultCode.SUCCESS }), shutdown: async () => {} };
    const tracer = new TracerProvider({ spanProcessors: [processor, new SimpleSpanProcessor({ exporter })] }).getTracer('load');
    const unendedRoots = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const root = tracer.startSpan('request');
        tracer
          .startSpan('chat', { attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 3 } }, trace.setSpan(ROOT_CONTEXT, root))
          .end();
        // `root` is dropped here without end().
        if (i % 500 === 0) await tick();
      }
      await tick();
    };

    await unendedRoots(10_000);
    expect(processor.openTraceCount).to.equal(10_000);
    const atCap = heapUsedAfterGc();
    await unendedRoots(90_000);
    const after = heapUsedAfterGc();
    expect(processor.openTraceCount).to.equal(10_000);
    // 90,000 more traces than the cap: had they been kept, even 100 bytes each would be 9 MB.
    expect((after - atCap) / MB).to.be.below(1.5);
    await processor.shutdown();
  });
});
