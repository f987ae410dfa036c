import { expect } from 'chai';
import { InfiniumSpanProcessor } from '../../lib/processor/span-processor';
import { createTracing } from '../helpers/tracing';

/** A run span as our Claude Agent SDK bridge writes it: the cost the CLI reported for the calls it made in its own process. */
const REPORTED_RUN = { 'openinference.span.kind': 'AGENT', 'llm.cost.total': 0.0123, 'infinium.cost.source': 'reported' };

/** A foreign GenAI call priced from the table (gpt-4o-mini: 0.15 in / 0.60 out per million). */
const PRICED_CALL = {
  'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.response.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 100,
};

describe('cost: a framework run that reports its own cost', () => {
  it('the root sums a reported run cost with the priced calls; the run is no LLM call', async () => {
    const tracing = createTracing([new InfiniumSpanProcessor()]);
    const tracer = tracing.provider.getTracer('test');
    await tracing.inParent('turn', async () => {
      tracer.startSpan('claude-code', { attributes: REPORTED_RUN }).end();
      tracer.startSpan('chat gpt-4o-mini', { attributes: PRICED_CALL }).end();
    });
    const spans = await tracing.spans();
    const root = spans.find((s) => s.name === 'turn')!;
    // 0.0123 + (1,000 × 0.15 + 100 × 0.60) / 1e6 = 0.0123 + 0.00021
    expect(root.attributes['infinium.cost_usd']).to.equal(0.01251);
    expect(root.attributes['infinium.unpriced_llm_call_count']).to.equal(0);
    expect(root.attributes['infinium.llm_call_count']).to.equal(1);
  });

  it('a run cost without the reported source is not counted (an app attribute that only looks like one)', async () => {
    const tracing = createTracing([new InfiniumSpanProcessor()]);
    await tracing.inParent('turn', async () => {
      tracing.provider.getTracer('test').startSpan('my step', { attributes: { 'llm.cost.total': 5 } }).end();
    });
    const root = (await tracing.spans()).find((s) => s.name === 'turn')!;
    expect(root.attributes['infinium.cost_usd']).to.equal(0);
  });

  it('cost: false: the reported cost stays on the run, the root has no cost keys', async () => {
    const tracing = createTracing([new InfiniumSpanProcessor({ cost: false })]);
    await tracing.inParent('turn', async () => {
      tracing.provider.getTracer('test').startSpan('claude-code', { attributes: REPORTED_RUN }).end();
    });
    const [run, root] = await tracing.spans();
    expect(run.attributes['llm.cost.total']).to.equal(0.0123);
    expect(root.attributes).to.not.have.any.keys('infinium.cost_usd', 'infinium.unpriced_llm_call_count');
  });
});
