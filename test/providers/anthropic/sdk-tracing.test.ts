import { expect } from 'chai';
import { ProxyTracerProvider, trace, TracerProvider } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type AnthropicType from '@anthropic-ai/sdk';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, llmSpans, useInstrumentation } from '../../helpers/tracing';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { API_KEY, loadAnthropic } from './client';
import { message, textStream } from './fixtures';

/**
 * The Anthropic SDK (1.x) emits its own `anthropic.messages.create` CLIENT span with `gen_ai.*` attributes.
 * Our approach: leave it on, as a plain child of our LLM span, which the span processor does not turn into
 * a second LLM span. Both states are checked here with the processor in the pipeline: the SDK's tracing on
 * (its default) and off.
 */
const SDK_SCOPE = 'com.anthropic.sdk.typescript';
const REQUEST = { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hi' }] };

function openInferenceSpans(spans: ReadableSpan[]): ReadableSpan[] {
  return spans.filter((s) => s.attributes['openinference.span.kind'] !== undefined);
}

/** Makes `provider` the global one (where the SDK looks by default), and returns the undo. */
function useGlobalProvider(provider: TracerProvider): () => void {
  const proxy = trace.getTracerProvider() as ProxyTracerProvider;
  const previous = typeof proxy.getDelegate === 'function' ? proxy.getDelegate() : undefined;
  trace.disable();
  trace.setGlobalTracerProvider(provider);
  return () => {
    trace.disable();
    if (previous && previous.constructor.name !== 'NoopTracerProvider') trace.setGlobalTracerProvider(previous);
  };
}

describe('anthropic SDK own tracing', () => {
  let server: FakeLlmServer;
  let Anthropic: typeof AnthropicType;
  const tracing = createTracing([new InfiniumSpanProcessor()]);
  let restoreGlobal: () => void;
  const savedEnv = process.env.ANTHROPIC_OPEN_TELEMETRY;

  before(async () => {
    useInstrumentation(tracing);
    Anthropic = loadAnthropic();
    server = await startFakeLlmServer();
    restoreGlobal = useGlobalProvider(tracing.provider);
  });
  after(async () => {
    restoreGlobal();
    await server.stop();
  });
  beforeEach(() => tracing.reset());
  afterEach(() => {
    if (savedEnv === undefined) delete process.env.ANTHROPIC_OPEN_TELEMETRY;
    else process.env.ANTHROPIC_OPEN_TELEMETRY = savedEnv;
  });

  /** A client as an app makes one: no `openTelemetry` option, so the SDK reads the environment. */
  const appClient = () => new Anthropic({ apiKey: API_KEY, baseURL: 'https://api.anthropic.com', fetch: server.fetch, maxRetries: 0 });

  /** The three ways to make a call, each ending once the call is over. */
  const calls: Array<[string, (client: AnthropicType) => Promise<unknown>]> = [
    ['messages.create', (c) => c.messages.create(REQUEST)],
    ['messages.create({stream:true})', async (c) => { for await (const _ of await c.messages.create({ ...REQUEST, stream: true })) void _; }],
    ['messages.stream()', (c) => c.messages.stream(REQUEST).finalMessage()],
  ];

  for (const [name, call] of calls) {
    it(`on (the default): ${name} gives one OpenInference span, the SDK span its child, counted once`, async () => {
      delete process.env.ANTHROPIC_OPEN_TELEMETRY;
      server.reply(name === 'messages.create' ? { json: message() } : { sse: textStream() });
      const client = appClient();
      await tracing.inParent('agent', () => call(client));
      const spans = await tracing.spans();
      const [ours] = llmSpans(spans);
      const sdkSpans = spans.filter((s) => s.instrumentationScope.name === SDK_SCOPE);
      expect(openInferenceSpans(spans)).to.deep.equal([ours]);
      expect(sdkSpans.map((s) => s.name)).to.deep.equal(['anthropic.messages.create']);
      expect(sdkSpans[0].parentSpanContext?.spanId).to.equal(ours.spanContext().spanId);
      expect(sdkSpans[0].spanContext().traceId).to.equal(ours.spanContext().traceId);
      expect(sdkSpans[0].attributes['gen_ai.provider.name']).to.equal('anthropic');
      const root = spans.find((s) => s.name === 'agent')!;
      expect(ours.parentSpanContext?.spanId).to.equal(root.spanContext().spanId);
      expect(root.attributes['infinium.llm_call_count']).to.equal(1);
      for (const span of spans) expect(JSON.stringify(span.attributes)).not.to.contain(API_KEY);
    });

    it(`off (ANTHROPIC_OPEN_TELEMETRY=false): ${name} gives our span only`, async () => {
      process.env.ANTHROPIC_OPEN_TELEMETRY = 'false';
      server.reply(name === 'messages.create' ? { json: message() } : { sse: textStream() });
      const client = appClient();
      await tracing.inParent('agent', () => call(client));
      const spans = await tracing.spans();
      const [ours] = llmSpans(spans);
      expect(spans.map((s) => s.name)).to.deep.equal(['chat claude-sonnet-4-6', 'agent']);
      expect(openInferenceSpans(spans)).to.deep.equal([ours]);
      expect(spans.find((s) => s.name === 'agent')!.attributes['infinium.llm_call_count']).to.equal(1);
    });
  }

  it('off through the client option openTelemetry: false', async () => {
    server.reply({ json: message() });
    const client = new Anthropic({ apiKey: API_KEY, baseURL: 'https://api.anthropic.com', fetch: server.fetch, maxRetries: 0, openTelemetry: false });
    await client.messages.create(REQUEST);
    const spans = await tracing.spans();
    expect(spans.map((s) => s.name)).to.deep.equal(['chat claude-sonnet-4-6']);
  });

  it('an LLM call made from a messages.stream() listener is traced as its own call, in the app context', async () => {
    server.handle((req) => (req.body.stream ? { sse: textStream() } : { json: message() }));
    const client = appClient();
    let nested: Promise<unknown> | undefined;
    await tracing.inParent('agent', async () => {
      const stream = client.messages.stream(REQUEST);
      stream.on('finalMessage', () => {
        nested = client.messages.create(REQUEST);
      });
      await stream.finalMessage();
      await nested;
    });
    const spans = await tracing.spans();
    const ours = llmSpans(spans);
    const root = spans.find((s) => s.name === 'agent')!;
    expect(ours).to.have.length(2);
    expect(ours.map((s) => s.parentSpanContext?.spanId)).to.deep.equal([root.spanContext().spanId, root.spanContext().spanId]);
    expect(openInferenceSpans(spans)).to.have.length(2);
    expect(root.attributes['infinium.llm_call_count']).to.equal(2);
  });
});
