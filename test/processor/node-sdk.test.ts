import { expect } from 'chai';
import { context, SpanKind, trace as otelTrace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type OpenAIType from 'openai';
import { InfiniumSpanProcessor } from '../../lib/processor/span-processor';
import { trace } from '../../lib/helpers/trace';
import { recordPromptFetch } from '../../lib/helpers/prompt-fetch';
import { getCurrentTraceContext, TraceContext } from '../../lib/helpers/trace-context';
import { setSession } from '../../lib/helpers/context-attributes';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { startTestNodeSdk } from '../helpers/node-sdk';
import { useInstrumentation } from '../helpers/tracing';
import { chatCompletion } from '../providers/openai/fixtures';

/**
 * The set-up an app has: NodeSDK with our processor next to the export processor, the instrumentation,
 * and the real openai SDK (against the local fake server).
 */
describe('InfiniumSpanProcessor in a NodeSDK', () => {
  const exporter = new InMemorySpanExporter();
  const processor = new InfiniumSpanProcessor();
  let app: ReturnType<typeof startTestNodeSdk>;
  let server: FakeLlmServer;
  let OpenAI: typeof OpenAIType;

  before(async () => {
    const { instrumentation } = useInstrumentation();
    app = startTestNodeSdk({
      resource: resourceFromAttributes({ 'service.name': 'research-agent' }),
      spanProcessors: [processor, new SimpleSpanProcessor({ exporter })],
    });
    instrumentation.setTracerProvider(otelTrace.getTracerProvider());
    OpenAI = require('openai').OpenAI;
    server = await startFakeLlmServer();
    server.reply({ json: chatCompletion() });
  });
  after(async () => {
    await server.stop();
    await app.stop();
  });
  beforeEach(() => exporter.reset());

  async function finished(): Promise<ReadableSpan[]> {
    await app.sdk['_tracerProvider'].forceFlush();
    return exporter.getFinishedSpans();
  }

  it('an agent with two LLM calls and a prompt fetch: one trace, exact roll-up, captured calls', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1', fetch: server.fetch, maxRetries: 0 });
    let seen: TraceContext | undefined;
    const research = trace(
      'Research Task',
      async (query: string) => {
        recordPromptFetch({ id: 'prompt-123', name: 'researcher', version: 3 });
        const plan = await client.chat.completions.create({ model: 'gpt-4o-mini', temperature: 0.2, messages: [{ role: 'user', content: query }] });
        await new Promise((r) => setTimeout(r, 1));
        const answer = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: plan.choices[0].message.content ?? '' }] });
        seen = getCurrentTraceContext();
        return answer.choices[0].message.content;
      },
      { kind: 'AGENT' },
    );
    const result = await context.with(setSession(context.active(), { sessionId: 'session-42' }), () => research('Latest AI trends'));
    expect(result).to.equal('Hello there!');

    const spans = await finished();
    expect(spans.map((s) => s.name)).to.deep.equal(['chat gpt-4o-mini', 'chat gpt-4o-mini', 'Research Task']);
    const [first, second, root] = spans;
    expect(root.parentSpanContext).to.equal(undefined);
    for (const s of [first, second]) {
      expect(s.parentSpanContext?.spanId).to.equal(root.spanContext().spanId);
      expect(s.kind).to.equal(SpanKind.CLIENT);
      expect(s.attributes['openinference.span.kind']).to.equal('LLM');
      expect(s.attributes['session.id']).to.equal('session-42');
    }
    expect(root.attributes).to.deep.equal({
      'openinference.span.kind': 'AGENT',
      'input.value': 'Latest AI trends',
      'input.mime_type': 'text/plain',
      'output.value': 'Hello there!',
      'output.mime_type': 'text/plain',
      'session.id': 'session-42',
      'infinium.service': 'research-agent',
      'infinium.duration_s': Math.round((root.duration[0] + root.duration[1] / 1e9) * 1e6) / 1e6,
      'infinium.llm_call_count': 2,
      'infinium.prompt_fetch_count': 1,
      // Each call (chatCompletion: gpt-4o-mini, 19 prompt of which 4 cached, 10 completion) at the list prices
      // 0.15 / 0.075 cached / 0.60 per million: (15 × 0.15 + 4 × 0.075 + 10 × 0.6) / 1e6 = 0.00000855; two calls.
      'infinium.cost_usd': 0.0000171,
      'infinium.unpriced_llm_call_count': 0,
    });
    expect(root.events.map((e) => [e.name, e.attributes])).to.deep.equal([
      ['infinium.prompt_fetch', { 'prompt.id': 'prompt-123', 'prompt.name': 'researcher', 'prompt.version': 3 }],
    ]);
    const ns = (s: ReadableSpan) => s.duration[0] * 1e9 + s.duration[1];
    expect(seen).to.deep.equal({
      traceId: root.spanContext().traceId,
      llmCalls: [
        { provider: 'openai', model: 'gpt-4o-mini-2024-07-18', promptTokens: 19, completionTokens: 10, temperature: 0.2, latencyNs: ns(first) },
        { provider: 'openai', model: 'gpt-4o-mini-2024-07-18', promptTokens: 19, completionTokens: 10, latencyNs: ns(second) },
      ],
      promptFetches: [{ id: 'prompt-123', name: 'researcher', version: 3 }],
    });
    expect(processor.openTraceCount).to.equal(0);
    expect(getCurrentTraceContext()).to.equal(undefined);
  });

  it("an SDK's own GenAI span inside our LLM call (the Anthropic case) is neither a second LLM span nor counted", async () => {
    const sdkTracer = otelTrace.getTracer('anthropic-sdk');
    // Like the Anthropic SDK: the client starts its own gen_ai span inside the call our wrapper started.
    const fetchWithOwnSpan: typeof fetch = async (input, init) => {
      const own = sdkTracer.startSpan('anthropic.messages.create', {
        kind: SpanKind.CLIENT,
        attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini' },
      });
      try {
        return await server.fetch(input, init);
      } finally {
        own.setAttributes({ 'gen_ai.usage.input_tokens': 19, 'gen_ai.usage.output_tokens': 10 });
        own.end();
      }
    };
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1', fetch: fetchWithOwnSpan, maxRetries: 0 });
    await trace('agent', () => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }))();
    const spans = await finished();
    expect(spans.map((s) => s.name)).to.deep.equal(['anthropic.messages.create', 'chat gpt-4o-mini', 'agent']);
    const [own, ours, root] = spans;
    expect(own.parentSpanContext?.spanId).to.equal(ours.spanContext().spanId);
    expect(own.attributes).to.deep.equal({
      'gen_ai.provider.name': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 19,
      'gen_ai.usage.output_tokens': 10,
    });
    expect(ours.attributes['openinference.span.kind']).to.equal('LLM');
    expect(root.attributes['infinium.llm_call_count']).to.equal(1);
  });

  it('a foreign GenAI LLM span wrapping our LLM span (e.g. the Vercel AI SDK) is the same call: counted once', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1', fetch: server.fetch, maxRetries: 0 });
    const framework = otelTrace.getTracer('ai-framework');
    const attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini' };
    await trace('agent', () =>
      framework.startActiveSpan('ai.generateText.doGenerate', { attributes }, async (span) => {
        await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
        span.end();
      }),
    )();
    const [ours, wrapper, root] = await finished();
    expect(ours.parentSpanContext?.spanId).to.equal(wrapper.spanContext().spanId);
    expect(ours.attributes['openinference.span.kind']).to.equal('LLM');
    expect(wrapper.attributes).to.deep.equal(attributes);
    expect(root.attributes['infinium.llm_call_count']).to.equal(1);
  });
});
