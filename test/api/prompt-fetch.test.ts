import { expect } from 'chai';
import { context, ROOT_CONTEXT, trace as otelTrace } from '@opentelemetry/api';
import { recordPromptFetch } from '../../lib/helpers/prompt-fetch';
import { getCurrentTraceContext } from '../../lib/helpers/trace-context';
import { InfiniumSpanProcessor } from '../../lib/processor/span-processor';
import { createTracing } from '../helpers/tracing';
import { foreignSpan, GENAI_CHAT } from '../processor/genai-fixtures';

describe('recordPromptFetch() and getCurrentTraceContext()', () => {
  const processor = new InfiniumSpanProcessor();
  const tracing = createTracing([processor]);
  const tracer = tracing.provider.getTracer('app');
  after(() => processor.shutdown());
  beforeEach(() => tracing.reset());

  it('adds one event per fetch to the active span, counted on the root; bad arguments do nothing', async () => {
    await tracer.startActiveSpan('root', async (root) => {
      recordPromptFetch({ id: 'a', name: 'first', version: 1 });
      await tracer.startActiveSpan('step', async (step) => {
        await new Promise((r) => setTimeout(r, 1));
        recordPromptFetch({ id: 'b', version: 'v2' } as never);
        for (const bad of [undefined, null, 'id', {}, { id: 7 }, { id: '' }]) recordPromptFetch(bad as never);
        step.end();
      });
      root.end();
    });
    const [step, root] = await tracing.spans();
    expect(step.events.map((e) => [e.name, e.attributes])).to.deep.equal([['infinium.prompt_fetch', { 'prompt.id': 'b', 'prompt.version': 'v2' }]]);
    expect(root.events.map((e) => e.attributes)).to.deep.equal([{ 'prompt.id': 'a', 'prompt.name': 'first', 'prompt.version': 1 }]);
    expect(root.attributes['infinium.prompt_fetch_count']).to.equal(2);
  });

  it('outside a span: recordPromptFetch is a no-op and getCurrentTraceContext is undefined', () => {
    context.with(ROOT_CONTEXT, () => {
      expect(() => recordPromptFetch({ id: 'x' })).not.to.throw();
      expect(getCurrentTraceContext()).to.equal(undefined);
    });
  });

  it('reports the calls ended and fetches made so far in the active trace only', async () => {
    const snapshots: unknown[] = [];
    await tracer.startActiveSpan('root', async (root) => {
      snapshots.push(getCurrentTraceContext());
      foreignSpan(tracer, { ...GENAI_CHAT, 'error.type': 'RateLimitError' });
      recordPromptFetch({ id: 'p', name: 'n', version: 2 });
      await new Promise((r) => setTimeout(r, 1));
      snapshots.push(getCurrentTraceContext());
      root.end();
    });
    await tracer.startActiveSpan('other', async (other) => {
      snapshots.push(getCurrentTraceContext());
      other.end();
    });
    const spans = await tracing.spans();
    const [chat, root, other] = spans;
    const traceId = root.spanContext().traceId;
    expect(snapshots[0]).to.deep.equal({ traceId, llmCalls: [], promptFetches: [] });
    expect(snapshots[1]).to.deep.equal({
      traceId,
      llmCalls: [{
        provider: 'openai', model: 'gpt-4o-2024-08-06', promptTokens: 40, completionTokens: 12, temperature: 0.3,
        latencyNs: chat.duration[0] * 1e9 + chat.duration[1], errorType: 'RateLimitError',
      }],
      promptFetches: [{ id: 'p', name: 'n', version: 2 }],
    });
    expect(snapshots[2]).to.deep.equal({ traceId: other.spanContext().traceId, llmCalls: [], promptFetches: [] });
    expect(otelTrace.getActiveSpan()).to.equal(undefined);
  });
});
