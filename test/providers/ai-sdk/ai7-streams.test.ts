import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { registerTelemetry, streamText } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { OpenTelemetry } from '@ai-sdk/otel';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, expectAbandoned, useInstrumentation } from '../../helpers/tracing';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { STREAM_ABANDONED_EVENT } from '../../../lib/instrumentation/llm-call';
import { chatStream } from '../openai/fixtures';
import { one, spansAfterCollection, spanTree } from './helpers';

/**
 * ai 7 (tracing channel): a streamText run the app drops never settles its channel contexts. Once the SDK's
 * run is collected, the run, its step and its model call end, abandoned; exactly one LLM span.
 */
const RUN_TREE = ['ai.streamText [AGENT]', '  step 1 [CHAIN]', '    chat gpt-4o-mini [LLM]'].join('\n');

describe('ai 7 (tracing channel): streams the app drops', () => {
  let server: FakeLlmServer;
  const tracing = createTracing([new InfiniumSpanProcessor()]);
  const openai = () => createOpenAI({ apiKey: 'sk-test', baseURL: `${server.origin}/v1` });

  before(async () => {
    useInstrumentation(tracing);
    server = await startFakeLlmServer();
  });
  after(() => server.stop());
  beforeEach(function () {
    if (typeof global.gc !== 'function') this.skip();
    tracing.reset();
  });

  it('left after the first piece: the run and step end abandoned; the model call, read by the SDK to its end, with its answer', async () => {
    server.reply({ sse: chatStream() });
    await (async () => {
      const result = streamText({ model: openai().chat('gpt-4o-mini'), prompt: 'Hi' });
      for await (const _ of result.textStream) break;
    })();
    const spans = await spansAfterCollection(tracing, (s) => s.length >= 3);
    expect(spanTree(spans)).to.equal(RUN_TREE);
    for (const name of ['ai.streamText', 'step 1']) expectAbandoned(one(spans, name));
    const llm = one(spans, 'chat gpt-4o-mini');
    expect(llm.status.code).to.equal(SpanStatusCode.OK);
    expect(llm.attributes).to.include({ 'llm.output_messages.0.message.content': 'Let me check.', 'llm.token_count.prompt': 12, 'llm.token_count.completion': 7 });
    expect(one(spans, 'ai.streamText').attributes['infinium.llm_call_count']).to.equal(1);
  });

  it('never read: the run, step and model call end abandoned', async () => {
    server.reply({ sse: chatStream() });
    await (async () => {
      streamText({ model: openai().chat('gpt-4o-mini'), prompt: 'Hi' });
    })();
    const spans = await spansAfterCollection(tracing, (s) => s.length >= 3);
    expect(spanTree(spans)).to.equal(RUN_TREE);
    for (const span of spans) expectAbandoned(span);
    expect(one(spans, 'chat gpt-4o-mini').attributes).to.include({ 'openinference.span.kind': 'LLM', 'llm.input_messages.0.message.content': 'Hi' });
    expect(one(spans, 'ai.streamText').attributes['infinium.llm_call_count']).to.equal(1);
  });

  it('a stream read to its end from its textStream alone, with collections between pieces: nothing is abandoned', async () => {
    server.reply({ sse: chatStream(), delayMs: 10 });
    const textStream = streamText({ model: openai().chat('gpt-4o-mini'), prompt: 'Hi' }).textStream;
    let text = '';
    for await (const piece of textStream) {
      text += piece;
      global.gc!();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(text).to.equal('Let me check.');
    const spans = await spansAfterCollection(tracing, (s) => s.length >= 3);
    expect(spanTree(spans)).to.equal(RUN_TREE);
    for (const span of spans) {
      expect(span.events.map((e) => e.name)).to.deep.equal([]);
      expect(span.status.code).to.equal(SpanStatusCode.OK);
    }
  });

  it('aborted, or cut mid-answer: the run ends after its model call, and counts it', async () => {
    // Two frames (the role, then 'Let me '), then nothing until the abort: the abort always comes mid-answer.
    server.reply({ sse: chatStream(), holdAfter: 2 });
    const controller = new AbortController();
    const aborted = streamText({ model: openai().chat('gpt-4o-mini'), prompt: 'Hi', abortSignal: controller.signal });
    for await (const _ of aborted.textStream) controller.abort();
    server.reply({ sse: chatStream(), dropAfter: 2 });
    const cut = streamText({ model: openai().chat('gpt-4o-mini'), prompt: 'Hi', onError: () => {} });
    const error = await (async () => {
      for await (const _ of cut.textStream);
    })().catch((e: unknown) => e);
    expect((error as Error).name).to.equal('AI_APICallError');
    const spans = await spansAfterCollection(tracing, (s) => s.length >= 6);
    expect(spanTree(spans)).to.equal([RUN_TREE, RUN_TREE].join('\n'));
    const [first, second] = spans.filter((s) => s.name === 'chat gpt-4o-mini');
    expect(first.events.map((e) => e.name)).to.deep.equal([STREAM_ABANDONED_EVENT]);
    expect(second.status.code).to.equal(SpanStatusCode.ERROR);
    expect(second.attributes['error.type']).to.equal('APICallError');
    expect(spans.filter((s) => s.name === 'ai.streamText').map((s) => s.attributes['infinium.llm_call_count'])).to.deep.equal([1, 1]);
  });
});

describe('ai 7 with @ai-sdk/otel registered: streams the app drops', () => {
  let server: FakeLlmServer;
  const tracing = createTracing([new InfiniumSpanProcessor()]);
  let theirs: OpenTelemetry;
  const openai = () => createOpenAI({ apiKey: 'sk-test', baseURL: `${server.origin}/v1` });
  const THEIR_TREE = ['invoke_agent gpt-4o-mini [AGENT]', '  step 1 [CHAIN]', '    chat gpt-4o-mini [LLM]'].join('\n');

  before(async function () {
    if (typeof global.gc !== 'function') this.skip();
    useInstrumentation(tracing);
    server = await startFakeLlmServer();
    theirs = new OpenTelemetry({ tracer: tracing.provider.getTracer('gen_ai') });
    registerTelemetry(theirs);
  });
  after(async () => {
    const list = (globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] }).AI_SDK_TELEMETRY_INTEGRATIONS ?? [];
    if (list.includes(theirs)) list.splice(list.indexOf(theirs), 1);
    await server?.stop();
  });
  beforeEach(() => tracing.reset());

  for (const how of ['left after the first piece', 'never read'] as const) {
    it(`${how}: their run, step and model call all end; one LLM span, none of ours`, async () => {
      server.reply({ sse: chatStream() });
      await (async () => {
        const result = streamText({ model: openai().chat('gpt-4o-mini'), prompt: 'Hi' });
        if (how === 'never read') return;
        for await (const _ of result.textStream) break;
      })();
      const spans = await spansAfterCollection(tracing, (s) => s.length >= 3);
      expect(spanTree(spans)).to.equal(THEIR_TREE);
      expect(spans.filter((s) => s.instrumentationScope.name === '@infinium/otel')).to.deep.equal([]);
      for (const span of spans) expect(span.status.code).not.to.equal(SpanStatusCode.ERROR);
      expect(one(spans, 'invoke_agent gpt-4o-mini').attributes['infinium.llm_call_count']).to.equal(1);
    });
  }
});
