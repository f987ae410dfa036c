import { expect } from 'chai';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AlwaysOffSampler, ReadableSpan, SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { RUN_ABANDONED_EVENT, RunSpan } from '../../lib/frameworks/run-span';
import type { CallRuntime } from '../../lib/instrumentation/llm-call';
import { resolveTraceConfig } from '../../lib/masking/trace-config';
import type { RunRecord } from '../../lib/record/run-record';
import { createTracing, TestTracing } from '../helpers/tracing';

class ToolException extends Error {}

describe('RunSpan', () => {
  let tracing: TestTracing;
  let runtime: CallRuntime;
  let started: Array<Record<string, unknown>>;

  const toolRecord = (): RunRecord => ({
    kind: 'TOOL',
    name: 'calculator',
    input: '{"a":2}',
    tool: { name: 'calculator', callId: 'call_1' },
    startedAt: performance.now(),
  });

  beforeEach(() => {
    started = [];
    const onStart: SpanProcessor = {
      onStart: (span) => void started.push({ ...(span as unknown as ReadableSpan).attributes }),
      onEnd() {},
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    tracing = createTracing([onStart]);
    runtime = { tracer: tracing.provider.getTracer('@infinium/otel'), traceConfig: resolveTraceConfig({}, {}) };
  });

  async function only(): Promise<ReadableSpan> {
    const spans = await tracing.spans();
    expect(spans).to.have.length(1);
    return spans[0];
  }

  it('start: an INTERNAL child of the parent context, the kind and names at start; its context holds its span', async () => {
    const parent = runtime.tracer.startSpan('parent');
    const run = RunSpan.start(runtime, toolRecord(), trace.setSpan(ROOT_CONTEXT, parent));
    expect(trace.getSpan(run.context)).to.equal(run.span);
    expect(run.isEnded).to.equal(false);
    expect(started).to.deep.equal([{}, { 'openinference.span.kind': 'TOOL', 'tool.name': 'calculator', 'tool_call.id': 'call_1' }]);
    run.end();
    parent.end();
    const [span] = (await tracing.spans()).filter((s) => s.name === 'calculator');
    expect(span.kind).to.equal(SpanKind.INTERNAL);
    expect(span.parentSpanContext?.spanId).to.equal(parent.spanContext().spanId);
    expect(span.spanContext().traceId).to.equal(parent.spanContext().traceId);
  });

  it('a span started in the run context is its child', async () => {
    const run = RunSpan.start(runtime, toolRecord(), ROOT_CONTEXT);
    context.with(run.context, () => runtime.tracer.startSpan('inside', {}, context.active()).end());
    run.end();
    const spans = await tracing.spans();
    expect(spans.map((s) => s.name)).to.deep.equal(['inside', 'calculator']);
    expect(spans[0].parentSpanContext?.spanId).to.equal(run.span.spanContext().spanId);
  });

  it('end: renders what the caller filled in, status OK, ends once', async () => {
    const run = RunSpan.start(runtime, toolRecord(), ROOT_CONTEXT);
    run.record.output = '4';
    run.end();
    run.end();
    run.fail(new Error('late'));
    run.abandon();
    expect(run.isEnded).to.equal(true);
    const span = await only();
    expect(span.status).to.deep.equal({ code: SpanStatusCode.OK });
    expect(span.events).to.deep.equal([]);
    expect(span.attributes).to.deep.equal({
      'openinference.span.kind': 'TOOL',
      'tool.name': 'calculator',
      'tool_call.id': 'call_1',
      'output.value': '4',
      'output.mime_type': 'text/plain',
      'input.value': '{"a":2}',
      'input.mime_type': 'text/plain',
    });
  });

  it('fail: error.type, one exception event, status ERROR with the message, ends once', async () => {
    const run = RunSpan.start(runtime, toolRecord(), ROOT_CONTEXT);
    run.fail(new ToolException('division by zero'));
    run.fail(new Error('again'));
    run.end();
    expect(run.record.error).to.deep.equal({ type: 'ToolException', message: 'division by zero' });
    const span = await only();
    expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'division by zero' });
    expect(span.attributes['error.type']).to.equal('ToolException');
    expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
    expect(span.events[0].attributes).to.include({ 'exception.type': 'Error', 'exception.message': 'division by zero' });
  });

  it('fail: a long error message is capped in the status and the event', async () => {
    runtime = { ...runtime, traceConfig: resolveTraceConfig({ maxAttributeLength: 100 }, {}) };
    const run = RunSpan.start(runtime, toolRecord(), ROOT_CONTEXT);
    run.fail('z'.repeat(5000));
    const span = await only();
    expect(span.attributes['error.type']).to.equal('string');
    expect(span.status.message).to.have.length(100);
    expect(span.status.message).to.match(/…\[truncated: 5000 chars\]$/);
    expect(span.events[0].attributes?.['exception.message']).to.have.length(100);
  });

  it('fail: an error that cannot be read (throwing getters) still ends the span ERROR, typed Error', async () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('hostile'); }, getPrototypeOf: () => { throw new Error('hostile'); } });
    const run = RunSpan.start(runtime, toolRecord(), ROOT_CONTEXT);
    expect(() => run.fail(hostile)).to.not.throw();
    const span = await only();
    expect([span.status.code, span.attributes['error.type']]).to.deep.equal([SpanStatusCode.ERROR, 'Error']);
  });

  it('abandon: the abandoned event, status unset, what is known rendered, ends once', async () => {
    const run = RunSpan.start(runtime, toolRecord(), ROOT_CONTEXT);
    run.abandon();
    run.abandon();
    run.end();
    const span = await only();
    expect(span.status.code).to.equal(SpanStatusCode.UNSET);
    expect(span.events.map((e) => e.name)).to.deep.equal([RUN_ABANDONED_EVENT]);
    expect(span.attributes['input.value']).to.equal('{"a":2}');
  });

  it('startTime: the span starts at that performance.now() time', async () => {
    const at = performance.now() - 5000;
    const run = RunSpan.start(runtime, toolRecord(), ROOT_CONTEXT, at);
    run.end();
    const span = await only();
    const startMs = span.startTime[0] * 1000 + span.startTime[1] / 1e6;
    expect(startMs).to.be.closeTo(performance.timeOrigin + at, 1);
  });

  it('GenAI alone: the GenAI span name and start attributes', async () => {
    runtime = { ...runtime, conventions: { openInference: false, genAi: true } };
    RunSpan.start(runtime, toolRecord(), ROOT_CONTEXT).end();
    const span = await only();
    expect(span.name).to.equal('execute_tool calculator');
    expect(started[0]).to.deep.equal({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'calculator',
      'gen_ai.tool.call.id': 'call_1',
      'gen_ai.tool.type': 'function',
    });
  });

  it('a span the sampler drops: nothing of the record is read, every end path still works', () => {
    const dropped = new TracerProvider({ sampler: new AlwaysOffSampler() });
    let reads = 0;
    const record = toolRecord();
    Object.defineProperty(record, 'output', { get: () => (reads++, 'x') });
    const run = RunSpan.start({ ...runtime, tracer: dropped.getTracer('t') }, record, ROOT_CONTEXT);
    expect(run.recording).to.equal(false);
    run.end();
    expect(reads).to.equal(0);
    expect(run.isEnded).to.equal(true);
  });

  it('a record that throws while rendered: the span still ends, with its start attributes, status OK', async () => {
    const record = toolRecord();
    Object.defineProperty(record, 'output', { get: () => { throw new Error('hostile getter'); } });
    const run = RunSpan.start(runtime, record, ROOT_CONTEXT);
    expect(() => run.end()).to.not.throw();
    const span = await only();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes['openinference.span.kind']).to.equal('TOOL');
  });
});
