import { expect } from 'chai';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ExportResult, ExportResultCode } from '@opentelemetry/core';
import { ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { TreeSpanExporter } from '../../lib/exporter/tree-exporter';

/** Spans with fixed start and end times, so the printed latencies are exact. */
const T0 = 1_700_000_000_000;

function setup(maxPendingTraces?: number) {
  let out = '';
  const exporter = new TreeSpanExporter({ stream: { write: (text: string) => (out += text) }, maxPendingTraces });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'tree-test' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('test');
  return { exporter, provider, tracer, output: () => out };
}

/** A tracer whose spans go nowhere by themselves: the test hands them to the exporter. */
function spansOnly() {
  return new TracerProvider({ resource: resourceFromAttributes({ 'service.name': 'tree-test' }) }).getTracer('test');
}

describe('TreeSpanExporter', () => {
  it('prints a finished trace as a tree: kind, model, tokens, latency, errors, events and the root roll-up', async () => {
    const { provider, tracer, output } = setup();
    const root = tracer.startSpan('agent', { startTime: T0, attributes: { 'openinference.span.kind': 'CHAIN' } });
    const ctx = trace.setSpan(context.active(), root);
    root.addEvent('infinium.prompt_fetch', { 'prompt.id': 'support-reply', 'prompt.name': 'support', 'prompt.version': '3' }, T0 + 1);
    const chat = tracer.startSpan('chat gpt-4o-mini', {
      startTime: T0 + 2,
      attributes: {
        'openinference.span.kind': 'LLM', 'llm.provider': 'openai', 'llm.model_name': 'gpt-4o-mini-2024-07-18',
        'llm.token_count.prompt': 24, 'llm.token_count.completion': 7, 'llm.token_count.total': 31,
      },
    }, ctx);
    const tool = tracer.startSpan('lookup_order', { startTime: T0 + 3, attributes: { 'openinference.span.kind': 'TOOL' } },
      trace.setSpan(ctx, chat));
    tool.end(T0 + 5);
    chat.end(T0 + 11);
    const failed = tracer.startSpan('chat claude-sonnet-4-5', {
      startTime: T0 + 20,
      attributes: { 'openinference.span.kind': 'LLM', 'llm.provider': 'anthropic', 'llm.model_name': 'claude-sonnet-4-5', 'error.type': 'RateLimitError' },
    }, ctx);
    failed.setStatus({ code: SpanStatusCode.ERROR, message: '429 {"type":"error",\n "message":"Rate limited"}' });
    failed.end(T0 + 23);
    expect(output()).to.equal(''); // nothing is printed before the root ends
    root.setAttributes({
      'infinium.service': 'support-bot', 'infinium.duration_s': 1.5, 'infinium.llm_call_count': 2, 'infinium.prompt_fetch_count': 1,
    });
    root.end(T0 + 1500);
    await provider.forceFlush();
    const traceId = root.spanContext().traceId;
    expect(output()).to.equal(
      [
        `trace ${traceId} (tree-test)`,
        'agent [CHAIN] 1.50s',
        '│  infinium.service=support-bot infinium.duration_s=1.5 infinium.llm_call_count=2 infinium.prompt_fetch_count=1',
        '│  • infinium.prompt_fetch prompt.id=support-reply prompt.name=support prompt.version=3',
        '├─ chat gpt-4o-mini [LLM] openai/gpt-4o-mini-2024-07-18 tokens=24+7=31 9ms',
        '│  └─ lookup_order [TOOL] 2ms',
        '└─ chat claude-sonnet-4-5 [LLM] anthropic/claude-sonnet-4-5 3ms ERROR RateLimitError: 429 {"type":"error", "message":"Rate limited"}',
        '',
      ].join('\n'),
    );
  });

  it('reads gen_ai.* spans of other instrumentations, and totals tokens when no total is given', async () => {
    const { provider, tracer, output } = setup();
    const span = tracer.startSpan('chat gpt-4o', {
      startTime: T0,
      attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 12, 'gen_ai.usage.output_tokens': 3 },
    });
    span.end(T0 + 40);
    await provider.forceFlush();
    expect(output()).to.equal(`trace ${span.spanContext().traceId} (tree-test)\nchat gpt-4o openai/gpt-4o tokens=12+3=15 40ms\n`);
  });

  it('prints each trace separately, in the order their roots end', async () => {
    const { provider, tracer, output } = setup();
    const a = tracer.startSpan('a', { startTime: T0 });
    const b = tracer.startSpan('b', { startTime: T0 });
    b.end(T0 + 1);
    a.end(T0 + 2);
    await provider.forceFlush();
    expect(output()).to.equal(
      `trace ${b.spanContext().traceId} (tree-test)\nb 1ms\ntrace ${a.spanContext().traceId} (tree-test)\na 2ms\n`,
    );
  });

  it('a child whose parent is a remote span is printed as the root of its trace', async () => {
    const { provider, tracer, output } = setup();
    const remote = trace.setSpanContext(context.active(), {
      traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: true,
    });
    tracer.startSpan('handle request', { startTime: T0 }, remote).end(T0 + 5);
    await provider.forceFlush();
    expect(output()).to.equal('trace 0af7651916cd43dd8448eb211c80319c (tree-test)\nhandle request 5ms\n');
  });

  it('spans whose root never ended are printed at shutdown, marked incomplete', async () => {
    const { provider, tracer, output } = setup();
    const root = tracer.startSpan('agent', { startTime: T0 });
    tracer.startSpan('step', { startTime: T0 }, trace.setSpan(context.active(), root)).end(T0 + 4);
    await provider.forceFlush();
    expect(output()).to.equal('');
    await provider.shutdown();
    expect(output()).to.equal(`trace ${root.spanContext().traceId} (tree-test) (incomplete)\nstep 4ms\n`);
  });

  it('holds at most maxPendingTraces open traces: the oldest is printed as incomplete', async () => {
    const { provider, tracer, output } = setup(1);
    const first = tracer.startSpan('first-root', { startTime: T0 });
    tracer.startSpan('first-child', { startTime: T0 }, trace.setSpan(context.active(), first)).end(T0 + 1);
    const second = tracer.startSpan('second-root', { startTime: T0 });
    tracer.startSpan('second-child', { startTime: T0 }, trace.setSpan(context.active(), second)).end(T0 + 2);
    await provider.forceFlush();
    expect(output()).to.equal(`trace ${first.spanContext().traceId} (tree-test) (incomplete)\nfirst-child 1ms\n`);
  });

  it('spans that reach it after shutdown (async resource detection) are still printed, complete', async () => {
    const { exporter, output } = setup();
    const tracer = spansOnly();
    await exporter.shutdown();
    const root = tracer.startSpan('work', { startTime: T0 });
    const child = tracer.startSpan('step', { startTime: T0 + 1 }, trace.setSpan(context.active(), root));
    child.end(T0 + 3);
    root.end(T0 + 10);
    const spans: ReadableSpan[] = [];
    // What SimpleSpanProcessor does once the resource is ready: one export per span, child first.
    const exportOne = (span: ReadableSpan) =>
      new Promise<ExportResult>((resolve) => exporter.export([span], resolve));
    spans.push(child as unknown as ReadableSpan, root as unknown as ReadableSpan);
    const results = await Promise.all(spans.map(exportOne));
    expect(results.map((r) => r.code)).to.deep.equal([ExportResultCode.SUCCESS, ExportResultCode.SUCCESS]);
    expect(output()).to.equal(`trace ${root.spanContext().traceId} (tree-test)\nwork 10ms\n└─ step 2ms\n`);
  });

  it('a late span whose root never comes is printed as incomplete right after the late burst', async () => {
    const { exporter, output } = setup();
    const tracer = spansOnly();
    await exporter.shutdown();
    const root = tracer.startSpan('never-ends', { startTime: T0 });
    const child = tracer.startSpan('step', { startTime: T0 }, trace.setSpan(context.active(), root));
    child.end(T0 + 4);
    exporter.export([child as unknown as ReadableSpan], () => {});
    expect(output()).to.equal('');
    await new Promise((resolve) => setImmediate(resolve));
    expect(output()).to.equal(`trace ${root.spanContext().traceId} (tree-test) (incomplete)\nstep 4ms\n`);
  });

  it("the header names infinium.service when the resource has only OpenTelemetry's placeholder name", async () => {
    let out = '';
    const exporter = new TreeSpanExporter({ stream: { write: (text: string) => (out += text) } });
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'unknown_service:node' }),
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    const root = provider.getTracer('t').startSpan('job', { startTime: T0, attributes: { 'infinium.service': 'infinium-agent' } });
    root.end(T0 + 1);
    await provider.forceFlush();
    expect(out).to.equal(`trace ${root.spanContext().traceId} (infinium-agent)\njob 1ms\n   infinium.service=infinium-agent\n`);
  });

  it('a stream that throws does not reach the app', async () => {
    const exporter = new TreeSpanExporter({ stream: { write: () => { throw new Error('EPIPE'); } } });
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    provider.getTracer('t').startSpan('x').end();
    await provider.forceFlush();
  });
});
