import { expect } from 'chai';
import { ROOT_CONTEXT, SpanStatusCode } from '@opentelemetry/api';
import { errorType, LlmCall } from '../../lib/instrumentation/llm-call';
import { resolveTraceConfig } from '../../lib/masking/trace-config';
import { createCallRecord } from '../../lib/record/call-record';
import { createTracing } from '../helpers/tracing';

/** An error that throws on every read: a revoked proxy of the kind a hostile library could reject with. */
function hostileError(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

describe('LlmCall.fail with a hostile error', () => {
  it('errorType never throws: an error whose every read throws is an Error', () => {
    expect(errorType(hostileError())).to.equal('Error');
    expect(errorType(new RangeError('x'))).to.equal('RangeError');
  });

  it('the span still ends ERROR, with error.type Error', async () => {
    const tracing = createTracing();
    const runtime = { tracer: tracing.provider.getTracer('test'), traceConfig: resolveTraceConfig({}, {}) };
    const call = new LlmCall(runtime, createCallRecord('LLM', 'chat', 'openai', 'openai'), ROOT_CONTEXT);
    call.fail(hostileError());
    const [span] = await tracing.spans();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).to.equal('Error');
    expect(call.isEnded).to.equal(true);
  });
});

describe('LlmCall started earlier (a framework model run no SDK call served)', () => {
  it('starts at the record\'s start and, abandoned, ends when it is abandoned, not at its start', async () => {
    const tracing = createTracing();
    const runtime = { tracer: tracing.provider.getTracer('test'), traceConfig: resolveTraceConfig({}, {}) };
    const record = createCallRecord('LLM', 'chat', 'openai', 'openai');
    record.startedAt = performance.now() - 250;
    new LlmCall(runtime, record, ROOT_CONTEXT, true).abandon();
    const [span] = await tracing.spans();
    const ms = (t: [number, number]) => t[0] * 1e3 + t[1] / 1e6;
    expect(ms(span.startTime)).to.be.closeTo(performance.timeOrigin + record.startedAt, 1);
    expect(ms(span.duration)).to.be.at.least(249);
  });
});
