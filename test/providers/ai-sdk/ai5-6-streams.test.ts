import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import * as aiV5 from 'ai-v5';
import * as aiV6 from 'ai-v6';
import { createOpenAI as createOpenAIV2 } from 'ai-sdk-openai-v2';
import { createOpenAI as createOpenAIV3 } from 'ai-sdk-openai-v3';
import { z } from 'zod';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, useInstrumentation } from '../../helpers/tracing';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { STREAM_ABANDONED_EVENT } from '../../../lib/instrumentation/llm-call';
import { chatStream } from '../openai/fixtures';
import { one, spansAfterCollection, spansWhen, spanTree } from './helpers';
import { heapUsedAfterGc } from '../../reliability/harness';

/**
 * ai 5 and 6 end a streamed run's spans only when the stream is read to its end. Aborted, cut mid-way or
 * dropped by the app, the request still gives exactly one LLM span, ended, under its ended run.
 */
const MAJORS = [
  { name: 'ai 5', ai: aiV5 as unknown as typeof aiV6, createOpenAI: createOpenAIV2 as unknown as typeof createOpenAIV3 },
  { name: 'ai 6', ai: aiV6, createOpenAI: createOpenAIV3 },
];

const RUN_TREE = ['ai.streamText [AGENT]', '  ai.streamText.doStream [LLM]'].join('\n');

function expectOneRun(spans: ReadableSpan[]): { run: ReadableSpan; llm: ReadableSpan } {
  expect(spanTree(spans)).to.equal(RUN_TREE);
  const run = one(spans, 'ai.streamText');
  const llm = one(spans, 'ai.streamText.doStream');
  expect(llm.parentSpanContext?.spanId).to.equal(run.spanContext().spanId);
  expect(run.attributes['infinium.llm_call_count']).to.equal(1);
  return { run, llm };
}

for (const major of MAJORS) {
  describe(`${major.name} streams that are not read to their end`, () => {
    const { ai } = major;
    let server: FakeLlmServer;
    const tracing = createTracing([new InfiniumSpanProcessor()]);
    const telemetry = () => ({ isEnabled: true, tracer: tracing.provider.getTracer('ai') });
    const model = (on = server) => major.createOpenAI({ apiKey: 'sk-test', baseURL: `${on.origin}/v1` }).chat('gpt-4o-mini');

    before(async () => {
      useInstrumentation(tracing);
      server = await startFakeLlmServer();
      // undici creates its process-wide timers on the first fetch, and they keep that fetch's context (and
      // the span in it) for good: the first fetch is made here, outside any span.
      await (await fetch(`${server.origin}/warm-up`)).text();
    });
    after(() => server.stop());
    beforeEach(() => tracing.reset());

    it('aborted by the app: the run and its LLM span end; the LLM span abandoned, not an error', async () => {
      // Two frames (the role, then 'Let me '), then nothing until the abort: the abort always comes mid-answer.
      server.reply({ sse: chatStream(), holdAfter: 2 });
      const controller = new AbortController();
      const result = ai.streamText({ model: model(), prompt: 'Hi', abortSignal: controller.signal, experimental_telemetry: telemetry() });
      let text = '';
      for await (const piece of result.textStream) {
        text += piece;
        controller.abort();
      }
      expect(text).to.equal('Let me ');
      const { run, llm } = expectOneRun(await spansWhen(tracing, (s) => s.length >= 2, 'the run and its LLM span to end'));
      expect(llm.events.map((e) => e.name)).to.deep.equal(['ai.stream.firstChunk', STREAM_ABANDONED_EVENT]);
      expect(llm.status.code).to.equal(SpanStatusCode.UNSET);
      expect(llm.attributes).to.include({ 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o-mini', 'llm.input_messages.0.message.content': 'Hi' });
      expect(run.status.code).to.equal(SpanStatusCode.UNSET);
    });

    it('aborted by a timeout (AbortSignal.timeout): an abort to the SDK, so the LLM span is abandoned, not an error', async () => {
      server.reply({ sse: chatStream(), holdAfter: 2 });
      const controller = new AbortController();
      const result = ai.streamText({ model: model(), prompt: 'Hi', abortSignal: controller.signal, experimental_telemetry: telemetry() });
      let text = '';
      for await (const piece of result.textStream) {
        text += piece;
        // What AbortSignal.timeout aborts with, sent mid-answer (a real timer could fire before the answer).
        controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
      }
      // The app gets no error: the SDK takes a TimeoutError for an abort.
      expect(text).to.equal('Let me ');
      const { run, llm } = expectOneRun(await spansWhen(tracing, (s) => s.length >= 2, 'the run and its LLM span to end'));
      expect(llm.events.map((e) => e.name)).to.deep.equal(['ai.stream.firstChunk', STREAM_ABANDONED_EVENT]);
      for (const span of [llm, run]) {
        expect(span.status.code).to.equal(SpanStatusCode.UNSET);
        expect(span.attributes['error.type']).to.equal(undefined);
      }
    });

    it('a connection dropped mid-answer: the app gets the SDK error; the run and its one LLM span end as errors', async () => {
      server.reply({ sse: chatStream(), dropAfter: 2 });
      const result = ai.streamText({ model: model(), prompt: 'Hi', experimental_telemetry: telemetry() });
      let text = '';
      const error = await (async () => {
        for await (const piece of result.textStream) text += piece;
      })().catch((e: unknown) => e);
      expect(text).to.equal('Let me ');
      expect((error as Error).name).to.equal('AI_APICallError');
      const { run, llm } = expectOneRun(await tracing.spans());
      for (const span of [llm, run]) {
        expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'other side closed' });
        expect(span.attributes['error.type']).to.equal('SocketError');
        expect(span.events.map((e) => e.name)).to.include('exception');
      }
      expect(llm.attributes).to.include({ 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o-mini' });
    });

    it('streamObject cut mid-answer: its run and its one LLM span end as errors', async () => {
      server.reply({ sse: chatStream(), dropAfter: 2 });
      const result = ai.streamObject({ model: model(), schema: z.object({ city: z.string() }), prompt: 'Weather?', experimental_telemetry: telemetry(), onError: () => {} });
      await (async () => {
        for await (const _ of result.partialObjectStream);
      })().catch(() => undefined);
      const spans = await tracing.spans();
      expect(spanTree(spans)).to.equal(['ai.streamObject [AGENT]', '  ai.streamObject.doStream [LLM]'].join('\n'));
      for (const span of spans) expect(span.attributes['error.type']).to.equal('SocketError');
      expect(one(spans, 'ai.streamObject').attributes['infinium.llm_call_count']).to.equal(1);
    });

    it('the app gets the same text and error as without telemetry', async () => {
      const outcome = async (experimental_telemetry?: ReturnType<typeof telemetry>) => {
        server.reply({ sse: chatStream(), dropAfter: 2 });
        const result = ai.streamText({ model: model(), prompt: 'Hi', experimental_telemetry });
        let text = '';
        try {
          for await (const piece of result.textStream) text += piece;
          return { text };
        } catch (error) {
          return { text, error: `${(error as Error).name}: ${(error as Error).message}` };
        }
      };
      const traced = await outcome(telemetry());
      expect(traced).to.deep.equal(await outcome());
      expect(traced).to.deep.equal({ text: 'Let me ', error: 'AI_APICallError: Failed to process successful response' });
    });

    it('a stream read to its end from its textStream alone, with collections between pieces: nothing is abandoned', async function () {
      if (typeof global.gc !== 'function') this.skip();
      server.reply({ sse: chatStream(), delayMs: 10 });
      const textStream = ai.streamText({ model: model(), prompt: 'Hi', experimental_telemetry: telemetry() }).textStream;
      let text = '';
      for await (const piece of textStream) {
        text += piece;
        global.gc!();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(text).to.equal('Let me check.');
      const { llm } = expectOneRun(await spansAfterCollection(tracing, (s) => s.length >= 2));
      expect(llm.events.map((e) => e.name)).to.deep.equal(['ai.stream.firstChunk', 'ai.stream.finish']);
      expect(llm.attributes).to.include({ 'llm.token_count.prompt': 12, 'llm.output_messages.0.message.content': 'Let me check.' });
    });

    it('two streams at once, one cut: only that one fails', async () => {
      // The answer to 'first' is cut, whichever request arrives first.
      server.handle((request) => (JSON.stringify(request.body).includes('"first"') ? { sse: chatStream(), dropAfter: 2, delayMs: 20 } : { sse: chatStream(), delayMs: 20 }));
      const read = async (prompt: string) => {
        const result = ai.streamText({ model: model(), prompt, experimental_telemetry: telemetry() });
        let text = '';
        for await (const piece of result.textStream) text += piece;
        return text;
      };
      const [cut, whole] = await Promise.allSettled([read('first'), read('second')]);
      expect(cut.status).to.equal('rejected');
      expect(whole).to.deep.equal({ status: 'fulfilled', value: 'Let me check.' });
      const spans = await tracing.spans();
      const calls = spans.filter((s) => s.name === 'ai.streamText.doStream');
      const byPrompt = (prompt: string) => calls.find((s) => s.attributes['llm.input_messages.0.message.content'] === prompt)!;
      expect(calls).to.have.length(2);
      expect(byPrompt('first').status.code).to.equal(SpanStatusCode.ERROR);
      // The SDK sets no status on the spans it ends itself.
      expect(byPrompt('second').status.code).to.equal(SpanStatusCode.UNSET);
      expect(byPrompt('second').events.map((e) => e.name)).to.deep.equal(['ai.stream.firstChunk', 'ai.stream.finish']);
      expect(byPrompt('second').attributes).to.include({ 'llm.token_count.prompt': 12, 'llm.token_count.completion': 7 });
    });

    for (const how of ['left after the first piece', 'never read'] as const) {
      it(`a stream the app drops (${how}): once collected, the run and its LLM span end, abandoned`, async function () {
        if (typeof global.gc !== 'function') this.skip();
        // Its own server, stopped before collecting: a keep-alive connection keeps the context it was opened
        // in (and the span in it) until it closes.
        const own = await startFakeLlmServer();
        try {
          own.reply({ sse: chatStream() });
          await (async () => {
            const result = ai.streamText({ model: model(own), prompt: 'Hi', experimental_telemetry: telemetry() });
            if (how === 'never read') return;
            for await (const _ of result.textStream) break;
          })();
          // The request is sent even when nothing reads the stream.
          for (let i = 0; i < 250 && own.requests.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
          expect(own.requests).to.have.length(1);
        } finally {
          await own.stop();
        }
        const spans = await spansAfterCollection(tracing, (s) => s.length >= 2);
        const { run, llm } = expectOneRun(spans);
        for (const span of [run, llm]) {
          expect(span.events.map((e) => e.name)).to.include(STREAM_ABANDONED_EVENT);
          expect(span.status.code).to.equal(SpanStatusCode.UNSET);
        }
        expect(llm.attributes).to.include({ 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o-mini', 'llm.input_messages.0.message.content': 'Hi' });
      });
    }
    it('streams dropped unread, 50 at a time: all their spans end, and nothing of them stays in memory', async function () {
      if (typeof global.gc !== 'function') this.skip();
      // A first batch warms up what any batch leaves behind once (compiled code, the connection pool).
      const batch = async () => {
        const own = await startFakeLlmServer();
        own.reply({ sse: chatStream() });
        try {
          await (async () => {
            for (let i = 0; i < 50; i++) ai.streamText({ model: model(own), prompt: 'Hi', experimental_telemetry: telemetry() });
          })();
          for (let i = 0; i < 500 && own.requests.length < 50; i++) await new Promise((resolve) => setTimeout(resolve, 20));
        } finally {
          await own.stop();
        }
        const spans = await spansAfterCollection(tracing, (s) => s.length >= 100);
        tracing.reset();
        return spans;
      };
      await batch();
      const before = heapUsedAfterGc();
      const spans = await batch();
      const grown = heapUsedAfterGc() - before;
      expect(spans).to.have.length(100);
      expect(spans.filter((s) => s.name === 'ai.streamText.doStream' && s.events.some((e) => e.name === STREAM_ABANDONED_EVENT))).to.have.length(50);
      // Measured: 0.0–0.7 MB; the same 50 streams kept alive measure 4.7–4.9 MB.
      expect(grown).to.be.below(1_000_000);
    });
  });
}
