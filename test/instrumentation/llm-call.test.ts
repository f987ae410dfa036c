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
