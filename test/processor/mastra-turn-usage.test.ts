import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { one } from '../providers/ai-sdk/helpers';
import { recorded, throughProcessor, type Scenario } from './fixtures/mastra/recorded';

/**
 * A turn's usage where its requests have none: Mastra writes usage on its model loop (`chat <model>`) only,
 * and a request's own only through the raw body of a non-streamed request. The processor puts the loop's
 * usage and cost on it only when no LLM span beneath it had tokens, so that they are counted exactly once.
 */
const run = throughProcessor;

const scenario = (name: Scenario) => recorded(name);
const tokenKeys = (span: ReadableSpan) => Object.keys(span.attributes).filter((k) => k.startsWith('llm.token_count.') || k.startsWith('llm.cost.'));

describe('Mastra: a turn\'s usage on its model loop when its requests have none', () => {
  it('generate(): each request has its own tokens, so the model loop gets none of ours (no double count)', async () => {
    const spans = await run(scenario('agent-generate'));
    expect(tokenKeys(one(spans, 'chat gpt-4o-mini'))).to.deep.equal([]);
    expect(one(spans, 'app agent-generate').attributes).to.include({ 'infinium.cost_usd': 0.000033, 'infinium.unpriced_llm_call_count': 0 });
  });

  it('one request with its tokens and one without: the loop\'s sum would count the first twice, so it is left; the other is unpriced', async () => {
    const spans = scenario('agent-generate');
    const second = spans.filter((s) => s.attributes['mastra.span.type'] === 'model_step')[1];
    const { ['mastra.metadata.body']: _body, ...bodiless } = second.attributes;
    const out = await run(spans.map((s) => (s === second ? { ...s, attributes: bodiless } : s)));
    expect(tokenKeys(one(out, 'chat gpt-4o-mini'))).to.deep.equal([]);
    expect(one(out, 'app agent-generate').attributes).to.include({ 'infinium.cost_usd': 0.0000168, 'infinium.unpriced_llm_call_count': 1 });
  });

  it('GenAI-only mode, stream(): the cost on the loop (Mastra\'s gen_ai.usage.* already there), the root the same 0.000033', async () => {
    const spans = await run(scenario('agent-stream'), { semconv: 'gen_ai' });
    expect(one(spans, 'chat gpt-4o-mini').attributes).to.include({ 'llm.cost.total': 0.000033, 'gen_ai.usage.input_tokens': 140 });
    expect(one(spans, 'app agent-stream').attributes).to.include({ 'infinium.cost_usd': 0.000033, 'infinium.unpriced_llm_call_count': 0 });
  });

  it('with content hidden the loop\'s tokens and cost stay', async () => {
    const spans = await run(scenario('agent-stream'), { captureContent: false });
    expect(one(spans, 'chat gpt-4o-mini').attributes).to.include({ 'llm.token_count.prompt': 140, 'llm.token_count.completion': 26, 'llm.cost.total': 0.000033 });
  });

  it('a failed request and a loop without usage: nothing added, the request unpriced', async () => {
    const spans = await run(scenario('agent-model-error'));
    expect(tokenKeys(one(spans, 'chat gpt-4o-mini'))).to.deep.equal([]);
    expect(one(spans, 'app agent-model-error').attributes).to.include({ 'infinium.cost_usd': 0, 'infinium.unpriced_llm_call_count': 1 });
  });
});
