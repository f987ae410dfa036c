import { expect } from 'chai';
import { resolvePricing } from '../../../lib/cost/pricing';
import { createCallRecord } from '../../../lib/record/call-record';
import { readOpenAIUsage } from '../../../lib/providers/openai/usage';

describe('readOpenAIUsage', () => {
  it("reads DeepSeek's cache hits (prompt_cache_hit_tokens beside the prompt), so they are priced at the cached rate", () => {
    const usage = readOpenAIUsage({ prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100, prompt_cache_hit_tokens: 800, prompt_cache_miss_tokens: 200 });
    expect(usage).to.deep.include({ prompt: 1000, completion: 100, total: 1100, cacheRead: 800 });
    const record = createCallRecord('LLM', 'chat', 'deepseek', 'openai');
    record.responseModel = 'deepseek-chat';
    record.usage = usage!;
    // deepseek-chat: 0.27 input, 0.07 cache hit, 1.10 output per million: 200 × 0.27 + 800 × 0.07 + 100 × 1.10.
    expect(resolvePricing({}, {})!.costOf(record)).to.deep.equal({ prompt: 0.00011, completion: 0.00011, total: 0.00022, cacheRead: 0.000056 });
  });

  it("prefers OpenAI's own prompt_tokens_details.cached_tokens", () => {
    expect(readOpenAIUsage({ prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 4 }, prompt_cache_hit_tokens: 9 })?.cacheRead).to.equal(4);
  });
});
