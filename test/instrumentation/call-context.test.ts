import { expect } from 'chai';
import { createContextKey, ROOT_CONTEXT, SpanContext, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { isTracingSuppressed, suppressTracing } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { callContext, isInsideLlmCall } from '../../lib/instrumentation/call-context';

/** The context an LLM call's SDK work runs in behaves as the API's own contexts do, whatever derives from it. */
describe('callContext', () => {
  const callSpan: SpanContext = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };
  const APP_KEY = createContextKey('app value');
  const parent = trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext({ ...callSpan, spanId: '1111111111111111' })).setValue(APP_KEY, 'from the app');

  it("makes the call's span the active one, marks the call, and keeps the parent's other values", () => {
    const ctx = callContext(parent, callSpan);
    expect(trace.getSpan(ctx)!.spanContext()).to.deep.equal(callSpan);
    expect(trace.getSpan(ctx)!.isRecording()).to.equal(false);
    expect(isInsideLlmCall(ctx)).to.equal(true);
    expect(ctx.getValue(APP_KEY)).to.equal('from the app');
    expect(isInsideLlmCall(parent)).to.equal(false);
  });

  it('a context derived from it keeps all three, with the new value', () => {
    const NEW_KEY = createContextKey('set inside the call');
    const derived = suppressTracing(callContext(parent, callSpan).setValue(NEW_KEY, 42));
    expect(derived.getValue(NEW_KEY)).to.equal(42);
    expect(isTracingSuppressed(derived)).to.equal(true);
    expect(isInsideLlmCall(derived)).to.equal(true);
    expect(trace.getSpan(derived)!.spanContext()).to.deep.equal(callSpan);
    expect(derived.getValue(APP_KEY)).to.equal('from the app');
  });

  it("deleteValue removes the parent's value and nothing else", () => {
    const derived = callContext(parent, callSpan).deleteValue(APP_KEY);
    expect(derived.getValue(APP_KEY)).to.equal(undefined);
    expect(isInsideLlmCall(derived)).to.equal(true);
    expect(trace.getSpan(derived)!.spanContext()).to.deep.equal(callSpan);
  });

  it('a span started in it (an HTTP client span) is a child of the call span, and its own context keeps the marker', () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }).getTracer('test');
    const ctx = callContext(parent, callSpan);
    const child = tracer.startSpan('POST', {}, ctx);
    const childContext = trace.setSpan(ctx, child);
    child.end();
    const [exported] = exporter.getFinishedSpans();
    expect(exported.spanContext().traceId).to.equal(callSpan.traceId);
    expect(exported.parentSpanContext?.spanId).to.equal(callSpan.spanId);
    expect(trace.getSpan(childContext)).to.equal(child);
    expect(isInsideLlmCall(childContext)).to.equal(true);
  });

  it('the AsyncLocalStorage context manager makes it the active context, across an await', async () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    const ctx = callContext(parent, callSpan);
    const seen = await manager.with(ctx, async () => {
      await Promise.resolve();
      return manager.active();
    });
    manager.disable();
    expect(seen).to.equal(ctx);
    expect(trace.getSpan(seen)!.spanContext()).to.deep.equal(callSpan);
  });
});
