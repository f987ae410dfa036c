import { expect } from 'chai';
import { resolvePricing } from '../../lib/cost/pricing';
import { createCallRecord, type CallRecord } from '../../lib/record/call-record';

function call(provider: string, model: string): CallRecord {
  const record = createCallRecord('LLM', 'chat', provider, provider);
  record.requestModel = model;
  record.responseModel = model;
  record.usage = { prompt: 1000, completion: 100 };
  return record;
}

describe('Pricing: dated snapshots', () => {
  const pricing = resolvePricing({}, {})!;

  it('a snapshot the table does not list yet prices as its model', () => {
    // gpt-5-mini: 0.25 input, 2.00 output per million: (1,000 × 0.25 + 100 × 2) / 1e6.
    expect(pricing.costOf(call('openai', 'gpt-5-mini-2031-05-17'))?.total).to.equal(0.00045);
    expect(pricing.costOf(call('openai', 'gpt-5-mini-20310517'))?.total).to.equal(0.00045);
  });

  it('a listed snapshot keeps its own price (gpt-4o-2024-05-13 was 5 / 15, gpt-4o is 2.50 / 10)', () => {
    expect(pricing.costOf(call('openai', 'gpt-4o-2024-05-13'))?.total).to.equal(0.0065); // (1,000 × 5 + 100 × 15) / 1e6
    expect(pricing.costOf(call('openai', 'gpt-4o'))?.total).to.equal(0.0035); // (1,000 × 2.5 + 100 × 10) / 1e6
  });

  it('an unknown model with a date is still unknown', () => {
    expect(pricing.costOf(call('openai', 'acme-private-llm-2031-05-17'))).to.equal(undefined);
  });
});
