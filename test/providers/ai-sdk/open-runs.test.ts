import { expect } from 'chai';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { resolveTraceConfig } from '../../../lib/masking/trace-config';
import { OpenRuns } from '../../../lib/providers/ai-sdk/open-runs';
import { OperationSpan } from '../../../lib/providers/ai-sdk/operation-span';
import { STREAM_ABANDONED_EVENT } from '../../../lib/instrumentation/llm-call';
import { createTracing } from '../../helpers/tracing';

/** The bookkeeping of open AI SDK runs: every span ends, and memory stays bounded. */
describe('OpenRuns', () => {
  const tracing = createTracing();
  const runtime = { tracer: tracing.provider.getTracer('test'), traceConfig: resolveTraceConfig({}) };
  const run = (callId: string, type = 'streamText') => ({ type, callId, traced: { op: new OperationSpan(runtime, `${type} ${callId}`, 'AGENT', ROOT_CONTEXT) } });
  beforeEach(() => tracing.reset());

  it('beyond the cap the oldest run ends, abandoned, with its open steps', async () => {
    const runs = new OpenRuns(2);
    runs.add(run('a'));
    runs.add(run('a', 'step'));
    runs.add(run('b'));
    runs.add(run('c'));
    expect(runs.size).to.equal(2);
    const spans = await tracing.spans();
    expect(spans.map((s) => s.name).sort()).to.deep.equal(['step a', 'streamText a']);
    for (const span of spans) expect(span.events.map((e) => e.name)).to.deep.equal([STREAM_ABANDONED_EVENT]);
  });

  it("a run's end ends what it left open; a failed run fails it", async () => {
    const runs = new OpenRuns();
    const root = run('a');
    runs.add(root);
    runs.add(run('a', 'step'));
    root.traced.op.fail(new TypeError('boom'));
    runs.ended(root, new TypeError('boom'));
    expect(runs.size).to.equal(0);
    const step = (await tracing.spans()).find((s) => s.name === 'step a')!;
    expect(step.status.code).to.equal(2);
    expect(step.attributes['error.type']).to.equal('TypeError');
  });

  it("a run ended by an abort (an AbortSignal.timeout's TimeoutError too, as the SDK takes it) leaves what it left open abandoned", async () => {
    for (const error of [new DOMException('aborted', 'AbortError'), new DOMException('The operation was aborted due to timeout', 'TimeoutError')]) {
      tracing.reset();
      const runs = new OpenRuns();
      const root = run('a');
      runs.add(root);
      runs.add(run('a', 'step'));
      runs.ended(root, error);
      const step = (await tracing.spans()).find((s) => s.name === 'step a')!;
      expect(step.status.code, error.name).to.equal(0);
      expect(step.events.map((e) => e.name)).to.deep.equal([STREAM_ABANDONED_EVENT]);
    }
  });
});
