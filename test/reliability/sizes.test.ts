import { expect } from 'chai';
import { ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { BatchSpanProcessor, InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor, SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import type OpenAIType from 'openai';
import { truncationMarker } from '../../lib/config/text-cap';
import { InfiniumSpanProcessor } from '../../lib/processor/span-processor';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, llmSpans, TestTracing, useInstrumentation } from '../helpers/tracing';
import { chatCompletion } from '../providers/openai/fixtures';
import { COLLECTOR_MAX_MESSAGE, OtlpGrpcReceiver } from '../helpers/otlp-grpc-receiver';
import { chatChunkEvent, EndlessChatStreamServer, heapAfterGc, otlpBytes } from './sizes-helpers';

const MB = 1024 * 1024;
const CAP = 32_000;

/** A 200-message conversation: a system prompt, then one-line user/assistant turns. */
const conversation = [
  { role: 'system' as const, content: 'You are terse.' },
  ...Array.from({ length: 199 }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user', content: `turn ${i + 1}` })),
];

function withAnswer(content: string) {
  return chatCompletion({ choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] });
}

/** A pipeline whose provider sets `spanLimits.attributeCountLimit` in code (our renderer cannot see it). */
function tracingWithLimit(attributeCountLimit: number): TestTracing {
  const base = createTracing();
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanLimits: { attributeCountLimit }, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  return {
    ...base,
    provider,
    exporter,
    async spans() {
      await provider.forceFlush();
      return exporter.getFinishedSpans();
    },
  };
}

describe('reliability: real-world sizes (default SDK span limits)', () => {
  let server: FakeLlmServer;
  let tracing: TestTracing;
  let client: OpenAIType;

  function useTracing(t: TestTracing): void {
    tracing = t;
    useInstrumentation(t);
    const { OpenAI } = require('openai') as typeof import('openai');
    client = new OpenAI({ apiKey: 'sk-test-secret-123', baseURL: 'https://api.openai.com/v1', fetch: server.fetch, maxRetries: 0 });
  }

  before(async () => {
    server = await startFakeLlmServer();
  });
  after(() => server.stop());

  it('a 200-message conversation keeps tokens, output, latency, the system prompt and the newest 31 messages', async () => {
    useTracing(createTracing([new InfiniumSpanProcessor()]));
    server.reply({ json: chatCompletion() });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: conversation });
    const [span] = llmSpans(await tracing.spans());
    const a = span.attributes;
    expect(span.droppedAttributesCount).to.equal(0);
    expect(a['llm.token_count.prompt']).to.equal(19);
    expect(a['llm.token_count.completion']).to.equal(10);
    expect(a['llm.prompt_tokens']).to.equal(19);
    expect(a['llm.finish_reason']).to.equal('stop');
    expect(a['llm.latency_ms']).to.be.a('number');
    expect(a['output.value']).to.equal('Hello there!');
    expect(a['llm.output_messages.0.message.content']).to.equal('Hello there!');
    expect(a['infinium.input_messages.omitted']).to.equal(168);
    // Numbered 0…31 in conversation order: the system prompt, then turns 169…199.
    const kept = Object.keys(a).filter((k) => k.startsWith('llm.input_messages.') && k.endsWith('.content'));
    expect(kept).to.have.length(32);
    expect(a['llm.input_messages.0.message.content']).to.equal('You are terse.');
    expect(a['llm.input_messages.1.message.content']).to.equal('turn 169');
    expect(a['llm.input_messages.31.message.content']).to.equal('turn 199');
    expect(a['llm.input_messages.32.message.content']).to.equal(undefined);
    expect(JSON.parse(a['input.value'] as string)).to.have.length(32);
    // gpt-4o-mini at 0.15 / 0.075 cached / 0.60 per million: (15 × 0.15 + 4 × 0.075 + 10 × 0.6) / 1e6.
    expect(a['llm.cost.total']).to.equal(0.00000855);
    // 24 call attributes, 4 cost keys (prompt, completion, total, cache read), the 6 roll-up ones (the call
    // is its own trace's root: 4 counts, cost_usd, unpriced_llm_call_count), 32 messages × 2.
    expect(Object.keys(a)).to.have.length(98);
  });

  it('span limits set in code below ours: the SDK drops the oldest messages, never the essentials', async () => {
    useTracing(tracingWithLimit(40));
    server.reply({ json: chatCompletion() });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: conversation });
    const [span] = llmSpans(await tracing.spans());
    const a = span.attributes;
    expect(Object.keys(a)).to.have.length(40);
    expect(a['llm.token_count.total']).to.equal(29);
    expect(a['llm.cost.total']).to.equal(0.00000855);
    expect(a['llm.latency_ms']).to.be.a('number');
    expect(a['output.value']).to.equal('Hello there!');
    expect(a['input.mime_type']).to.equal('application/json');
    expect(a['llm.input_messages.0.message.content']).to.equal('You are terse.');
    expect(a['llm.input_messages.31.message.content']).to.equal('turn 199');
    expect(a['llm.input_messages.30.message.content']).to.equal('turn 198');
  });

  it('a 5 MB answer: the span is under 1 MB, and a real OTLP gRPC export (4 MiB limit) of it and its batch succeeds', async () => {
    const receiver = await new OtlpGrpcReceiver().start();
    const grpcExporter = new OTLPTraceExporter({ url: receiver.url });
    const results: ExportResult[] = [];
    const exporter: SpanExporter = {
      export: (spans, done) => grpcExporter.export(spans, (result) => done((results.push(result), result))),
      shutdown: () => grpcExporter.shutdown(),
      forceFlush: () => grpcExporter.forceFlush(),
    };
    const batch = new BatchSpanProcessor({ exporter, scheduledDelayMillis: 60_000 });
    useTracing(createTracing([new InfiniumSpanProcessor(), batch]));
    const answer = 'y'.repeat(5 * MB);
    try {
      await tracing.inParent('agent', async () => {
        for (let i = 0; i < 4; i++) {
          server.reply({ json: withAnswer(`short answer ${i}`) });
          await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
        }
        server.reply({ json: withAnswer(answer) });
        const result = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Everything' }] });
        expect(result.choices[0].message.content).to.equal(answer);
      });
      const spans = await tracing.spans();
      expect(spans).to.have.length(6);
      const big = llmSpans(spans)[4];
      const marker = truncationMarker(5 * MB);
      expect(big.attributes['output.value']).to.equal('y'.repeat(CAP - marker.length) + marker);
      expect(big.attributes['llm.output_messages.0.message.content']).to.equal(big.attributes['output.value']);
      expect(otlpBytes([big])).to.be.below(MB);
      expect(otlpBytes(spans)).to.be.below(COLLECTOR_MAX_MESSAGE);

      expect(results.map((r) => r.code)).to.deep.equal([ExportResultCode.SUCCESS]);
      const received = receiver.spans;
      expect(received.map((s) => s.name)).to.deep.equal([...Array(5).fill('chat gpt-4o-mini'), 'agent']);
      expect(received[4].attributes['output.value']).to.equal(big.attributes['output.value']);
      expect(received[5].attributes['infinium.llm_call_count']).to.equal(5);
    } finally {
      await batch.shutdown();
      receiver.stop();
    }
  });

  it('a stream that never ends holds flat memory, and its abandoned span is capped', async function () {
    this.timeout(60_000);
    useTracing(createTracing());
    const endless = await new EndlessChatStreamServer(Buffer.from(chatChunkEvent('x'.repeat(1000)))).start();
    const { OpenAI } = require('openai') as typeof import('openai');
    const streaming = new OpenAI({ apiKey: 'sk-test-secret-123', baseURL: `${endless.origin}/v1`, maxRetries: 0 });
    const CHUNKS = 10_000;
    let n = 0;
    let heapEarly = 0;
    let heapLate = 0;
    try {
      const stream = await streaming.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Go on' }], stream: true });
      for await (const _ of stream) {
        if (++n === 1_000) heapEarly = heapAfterGc();
        if (n === CHUNKS) {
          heapLate = heapAfterGc();
          break;
        }
      }
    } finally {
      await endless.stop();
    }
    // 9,000 more chunks of 1,000 characters: 9 million characters read (all buffered before: about +9 MB).
    expect(heapLate - heapEarly).to.be.below(1 * MB);
    const [span] = llmSpans(await tracing.spans());
    const marker = truncationMarker(CHUNKS * 1000);
    expect(span.events.map((e) => e.name)).to.deep.equal(['infinium.stream.abandoned']);
    expect(span.attributes['output.value']).to.equal('x'.repeat(CAP - marker.length) + marker);
    expect(otlpBytes([span])).to.be.below(100_000);
  });
});

describe('reliability: forceFlush during open traces', () => {
  it('a per-request flush keeps the roll-up of the traces still running', async () => {
    const server = await startFakeLlmServer();
    const processor = new InfiniumSpanProcessor();
    const tracing = createTracing([processor]);
    useInstrumentation(tracing);
    const { OpenAI } = require('openai') as typeof import('openai');
    const client = new OpenAI({ apiKey: 'sk-test-secret-123', baseURL: 'https://api.openai.com/v1', fetch: server.fetch, maxRetries: 0 });
    server.reply({ json: chatCompletion() });
    const call = () => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    let release!: () => void;
    const flushed = new Promise<void>((resolve) => (release = resolve));
    try {
      const request = (name: string, calls: number) =>
        tracing.inParent(name, async () => {
          await call();
          await flushed;
          for (let i = 1; i < calls; i++) await call();
        });
      const running = [request('request A', 2), request('request B', 3)];
      while (llmSpans(await tracing.spans()).length < 2) await new Promise((r) => setTimeout(r, 5));
      expect(processor.openTraceCount).to.equal(2);
      await tracing.provider.forceFlush();
      await processor.forceFlush();
      expect(processor.openTraceCount).to.equal(2);
      release();
      await Promise.all(running);
      const roots = (await tracing.spans()).filter((s: ReadableSpan) => s.name.startsWith('request'));
      expect(roots.map((s) => [s.name, s.attributes['infinium.llm_call_count']])).to.deep.equal([
        ['request A', 2],
        ['request B', 3],
      ]);
      expect(processor.openTraceCount).to.equal(0);
    } finally {
      await server.stop();
    }
  });
});
