import { expect } from 'chai';
import sinon from 'sinon';
import { resolvePricing } from '../../../lib/cost/pricing';
import { createCallRecord } from '../../../lib/record/call-record';
import { readOpenAIUsage } from '../../../lib/providers/openai/usage';

describe('readOpenAIUsage', () => {
  /**
   * DeepSeek's rates depend on the time of day (the price table: full price from 00:30 to 16:30 UTC, half
   * price the rest of the day), so the clock is set for each case: a test run in the evening priced the
   * call at the off-peak rate and failed.
   */
  const deepSeekCall = () => {
    const usage = readOpenAIUsage({ prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100, prompt_cache_hit_tokens: 800, prompt_cache_miss_tokens: 200 });
    expect(usage).to.deep.include({ prompt: 1000, completion: 100, total: 1100, cacheRead: 800 });
    const record = createCallRecord('LLM', 'chat', 'deepseek', 'openai');
    record.responseModel = 'deepseek-chat';
    record.usage = usage!;
    return record;
  };
  /** What the DeepSeek call costs when made at `iso`: the clock (`Date` only) set for the table's choice, then put back. */
  const costAt = (iso: string) => {
    const clock = sinon.useFakeTimers({ now: new Date(iso), toFake: ['Date'] });
    try {
      return resolvePricing({}, {})!.costOf(deepSeekCall());
    } finally {
      clock.restore();
    }
  };

  it("reads DeepSeek's cache hits (prompt_cache_hit_tokens beside the prompt), so they are priced at the cached rate", () => {
    // deepseek-chat at full price: 0.27 input, 0.07 cache hit, 1.10 output per million: 200 × 0.27 + 800 × 0.07 + 100 × 1.10.
    expect(costAt('2026-06-01T12:00:00Z')).to.deep.equal({ prompt: 0.00011, completion: 0.00011, total: 0.00022, cacheRead: 0.000056 });
  });

  it("prices a DeepSeek call at the table's off-peak rate when it is made off-peak (16:30 to 00:30 UTC)", () => {
    // Half price: 0.135 input, 0.035 cache hit, 0.55 output per million.
    expect(costAt('2026-06-01T20:00:00Z')).to.deep.equal({ prompt: 0.000055, completion: 0.000055, total: 0.00011, cacheRead: 0.000028 });
  });

  it("prefers OpenAI's own prompt_tokens_details.cached_tokens", () => {
    expect(readOpenAIUsage({ prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 4 }, prompt_cache_hit_tokens: 9 })?.cacheRead).to.equal(4);
  });
});
