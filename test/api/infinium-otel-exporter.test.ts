import { expect } from 'chai';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InfiniumOTelExporter } from '../../lib/exporter/infinium-otel-exporter';
import { createTracing } from '../helpers/tracing';

const ms = (t: [number, number]) => t[0] * 1e3 + t[1] / 1e6;

/** lib/exporter/infinium-otel-exporter.ts (tests kept with the other public helpers in test/api). */
describe('InfiniumOTelExporter.exportTrace', () => {
  const tracing = createTracing();
  beforeEach(() => tracing.reset());

  it('emits the root with the roll-up, one child per LLM call and the prompt fetches as root events', async () => {
    const exporter = new InfiniumOTelExporter({ serviceName: 'research-agent', tracerProvider: tracing.provider });
    const before = Date.now();
    exporter.exportTrace({
      traceName: 'Email Classifier',
      durationS: 2.4,
      ctx: {
        llmCalls: [
          { provider: 'openai', model: 'gpt-4o', promptTokens: 120, completionTokens: 30, temperature: 0.7, latencyNs: 850_000_000 },
          { provider: 'anthropic', model: 'claude-sonnet-4', promptTokens: 50, completionTokens: 5, latencyNs: 400_000_000, errorType: 'RateLimitError', errorMessage: 'slow down' },
        ],
        promptFetches: [{ id: '3f2c', name: 'classifier', version: 4 }],
      },
    });
    const spans = await tracing.spans();
    expect(spans.map((s) => s.name)).to.deep.equal(['chat gpt-4o', 'chat claude-sonnet-4', 'Email Classifier']);
    const [first, second, root] = spans;
    expect(root.instrumentationScope.name).to.equal('infinium');
    expect(root.parentSpanContext).to.equal(undefined);
    expect(root.attributes).to.deep.equal({
      'openinference.span.kind': 'CHAIN',
      'infinium.service': 'research-agent',
      'infinium.duration_s': 2.4,
      'infinium.llm_call_count': 2,
      'infinium.prompt_fetch_count': 1,
    });
    expect(ms(root.duration)).to.be.closeTo(2400, 1);
    expect(ms(root.endTime)).to.be.within(before, Date.now() + 1);
    expect(root.events.map((e) => [e.name, e.attributes])).to.deep.equal([
      ['infinium.prompt_fetch', { 'prompt.id': '3f2c', 'prompt.name': 'classifier', 'prompt.version': 4 }],
    ]);
    expect(first.parentSpanContext?.spanId).to.equal(root.spanContext().spanId);
    expect(first.kind).to.equal(SpanKind.CLIENT);
    expect(first.status).to.deep.equal({ code: SpanStatusCode.OK });
    expect(first.attributes).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'openai',
      'llm.system': 'openai',
      'llm.model_name': 'gpt-4o',
      'llm.model': 'gpt-4o',
      'llm.temperature': 0.7,
      'llm.invocation_parameters': '{"temperature":0.7}',
      'llm.token_count.prompt': 120,
      'llm.token_count.completion': 30,
      'llm.token_count.total': 150,
      'llm.prompt_tokens': 120,
      'llm.completion_tokens': 30,
      // Priced as our own calls are: gpt-4o at 2.50 input / 10.00 output per million tokens.
      'llm.cost.prompt': 0.0003,
      'llm.cost.completion': 0.0003,
      'llm.cost.total': 0.0006,
      'llm.latency_ms': 850,
    });
    expect(ms(first.duration)).to.be.closeTo(850, 1);
    expect(ms(first.startTime)).to.be.closeTo(ms(root.startTime), 1);
    expect(ms(second.startTime)).to.be.closeTo(ms(first.endTime), 1);
    expect(second.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'slow down' });
    expect(second.attributes['error.type']).to.equal('RateLimitError');
    expect(second.attributes['llm.latency_ms']).to.equal(400);
    expect(second.attributes).not.to.have.property('llm.temperature');
  });

  it('defaults: service infinium-agent, tracer infinium, no ctx, zero counts', async () => {
    new InfiniumOTelExporter({ tracerProvider: tracing.provider }).exportTrace({ traceName: 't', durationS: 0.5 });
    const [root] = await tracing.spans();
    expect(root.attributes).to.deep.equal({
      'openinference.span.kind': 'CHAIN',
      'infinium.service': 'infinium-agent',
      'infinium.duration_s': 0.5,
      'infinium.llm_call_count': 0,
      'infinium.prompt_fetch_count': 0,
    });
  });

  it('skips malformed fields and entries, never throws', async () => {
    const exporter = new InfiniumOTelExporter({ tracerProvider: tracing.provider });
    expect(() => exporter.exportTrace(undefined as never)).not.to.throw();
    expect(() =>
      exporter.exportTrace({
        traceName: 'bad',
        durationS: Number.NaN,
        ctx: {
          llmCalls: [null, 'x', { provider: 42, model: ['m'], promptTokens: '12', completionTokens: -1, latencyNs: 'fast', temperature: 'hot' }] as never,
          promptFetches: [{ name: 'no id' }, 3, { id: 'ok', version: { v: 1 } }] as never,
        },
      }),
    ).not.to.throw();
    expect(() => exporter.exportTrace({ traceName: 'worse', durationS: 1, ctx: 'nope' as never })).not.to.throw();
    const spans = await tracing.spans();
    // An LLM call without a provider string is skipped and not counted, as the docs say.
    expect(spans.map((s) => s.name)).to.deep.equal(['infinium-trace', 'bad', 'worse']);
    const bad = spans[1];
    expect(bad.attributes['infinium.duration_s']).to.equal(0);
    expect(bad.attributes['infinium.llm_call_count']).to.equal(0);
    expect(bad.attributes['infinium.prompt_fetch_count']).to.equal(1);
    expect(bad.events.map((e) => e.attributes)).to.deep.equal([{ 'prompt.id': 'ok' }]);
    expect(spans[2].attributes['infinium.llm_call_count']).to.equal(0);
  });

  it('an entry with a provider but malformed fields keeps the provider and drops the bad fields', async () => {
    new InfiniumOTelExporter({ tracerProvider: tracing.provider }).exportTrace({
      traceName: 'partly-bad',
      durationS: 1,
      ctx: { llmCalls: [{ provider: 'openai', model: ['m'], promptTokens: '12', completionTokens: -1 }] as never },
    });
    const spans = await tracing.spans();
    expect(spans.map((s) => s.name)).to.deep.equal(['chat', 'partly-bad']);
    expect(spans[0].attributes).to.deep.equal({ 'openinference.span.kind': 'LLM', 'llm.provider': 'openai', 'llm.system': 'openai' });
    expect(spans[1].attributes['infinium.llm_call_count']).to.equal(1);
  });
});
