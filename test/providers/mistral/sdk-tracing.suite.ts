import { expect } from 'chai';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, llmSpans, useInstrumentation } from '../../helpers/tracing';
import { chatResponse, chatStream } from './fixtures';
import { loadMistralV2, MistralMajor } from './load';

/**
 * Mistral 2.x can write its own `gen_ai` span per call (`registerTracerProvider`, or the
 * MISTRAL_SDK_TELEMETRY variable). That span starts inside our LLM span, so the span processor keeps it
 * as a plain child: one call is still one OpenInference LLM span and one count in the roll-up.
 */
describe('@mistralai/mistralai 2.x with its own tracing on', () => {
  const tracing = createTracing([new InfiniumSpanProcessor()]);
  let major: MistralMajor;
  let server: FakeLlmServer;
  let observability: { registerTracerProvider(provider: unknown): void };

  before(async () => {
    const { instrumentation } = useInstrumentation(tracing);
    major = await loadMistralV2(instrumentation);
    observability = await import('@mistralai/mistralai/extra/observability');
    observability.registerTracerProvider(tracing.provider);
    server = await startFakeLlmServer();
  });
  after(async () => {
    observability.registerTracerProvider(undefined);
    await server.stop();
  });
  beforeEach(() => tracing.reset());

  for (const method of ['complete', 'stream'] as const) {
    it(`chat.${method}: the SDK's span is a child of ours, and the call is counted once`, async () => {
      server.reply(method === 'complete' ? { json: chatResponse() } : { sse: chatStream() });
      const client = new major.Mistral({ apiKey: 'sk-test-secret-123', serverURL: server.origin });
      await tracing.inParent('agent', async () => {
        const result = await client.chat[method]({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Hi' }] });
        if (method === 'stream') for await (const _ of result);
      });
      const spans = await tracing.spans();
      const [ours, ...others] = llmSpans(spans);
      expect(others).to.have.length(0);
      const sdkSpans = spans.filter((s) => s.instrumentationScope.name !== '@infinium/otel' && s.name !== 'agent');
      // The SDK's span carries GenAI attributes: without the same-call rule it would become a second LLM span.
      expect(sdkSpans.map((s) => s.attributes['gen_ai.operation.name'])).to.include('chat');
      for (const span of sdkSpans) {
        expect(span.attributes['openinference.span.kind']).to.equal(undefined);
        expect(span.spanContext().traceId).to.equal(ours.spanContext().traceId);
      }
      expect(sdkSpans.some((s) => s.parentSpanContext?.spanId === ours.spanContext().spanId)).to.equal(true);
      expect(spans.filter((s) => s.attributes['openinference.span.kind'] === 'LLM')).to.deep.equal([ours]);
      expect(spans.find((s) => s.name === 'agent')!.attributes['infinium.llm_call_count']).to.equal(1);
    });
  }
});
