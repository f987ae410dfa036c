import { expect } from 'chai';
import { costFromRates } from '../../lib/cost/rates';

/** Prices per million tokens as the providers list them (the built-in table holds the same figures). */
const GPT_4O_MINI = { input_mtok: 0.15, cache_read_mtok: 0.075, output_mtok: 0.6 };
const CLAUDE_SONNET_4 = { input_mtok: 3, cache_write_mtok: 3.75, cache_read_mtok: 0.3, output_mtok: 15 };

describe('costFromRates', () => {
  it('prices OpenAI cached prompt tokens at the cached rate (prompt_tokens includes them)', () => {
    // 1,000 prompt tokens of which 200 cached, 100 completion: 800 × 0.15 + 200 × 0.075 + 100 × 0.6 per million.
    expect(costFromRates({ prompt: 1000, completion: 100, cacheRead: 200 }, GPT_4O_MINI)).to.deep.equal({
      prompt: 0.000135,
      completion: 0.00006,
      total: 0.000195,
      cacheRead: 0.000015,
    });
  });

  it("prices Anthropic's cache reads and writes at theirs (the record's prompt is input + reads + writes)", () => {
    // input_tokens 5, cache_creation 4,735, cache_read 1,000 → the record's prompt is 5,740.
    expect(costFromRates({ prompt: 5740, completion: 255, cacheRead: 1000, cacheWrite: 4735 }, CLAUDE_SONNET_4)).to.deep.equal({
      prompt: 0.01807125,
      completion: 0.003825,
      total: 0.02189625,
      cacheRead: 0.0003,
      cacheWrite: 0.01775625,
    });
  });

  it("prices Anthropic's 1-hour cache writes at their rate, the other writes at the 5-minute rate", () => {
    // 1,556 writes of which 1,000 for an hour: 556 × 3.75 + 1,000 × 6.00 per million; 21 input × 3.00; 393 output × 15.
    const rates = { ...CLAUDE_SONNET_4, cache_write_1h_mtok: 6 };
    expect(costFromRates({ prompt: 1577, completion: 393, cacheWrite: 1556, cacheWrite1h: 1000 }, rates)).to.deep.equal({
      prompt: 0.008148,
      completion: 0.005895,
      total: 0.014043,
      cacheWrite: 0.008085,
    });
    // No 1-hour rate (a price of the user's): every write at the write rate.
    expect(costFromRates({ prompt: 1577, completion: 393, cacheWrite: 1556, cacheWrite1h: 1000 }, CLAUDE_SONNET_4)?.cacheWrite).to.equal(0.005835);
  });

  it('gives no cache keys when the usage has no cache tokens, and no float residue', () => {
    const cost = costFromRates({ prompt: 1000, completion: 100 }, { input_mtok: 0.3, output_mtok: 0.5 });
    expect(cost).to.deep.equal({ prompt: 0.0003, completion: 0.00005, total: 0.00035 });
  });

  it('chooses the tier from the whole prompt (long-context rates)', () => {
    const tiered = { input_mtok: { base: 3, tiers: [{ start: 200_000, price: 6 }] }, output_mtok: { base: 15, tiers: [{ start: 200_000, price: 22.5 }] } };
    expect(costFromRates({ prompt: 200_000, completion: 1000 }, tiered)?.total).to.equal(0.615);
    expect(costFromRates({ prompt: 200_001, completion: 1000 }, tiered)?.total).to.equal(1.222506);
  });

  it('prices audio tokens at the audio rate where there is one', () => {
    const rates = { input_mtok: 0.3, output_mtok: 2.5, input_audio_mtok: 1 };
    expect(costFromRates({ prompt: 1000, completion: 0, promptAudio: 400 }, rates)).to.deep.equal({ prompt: 0.00058, completion: 0, total: 0.00058 });
  });

  it('gives nothing when a part has no price, or the call reported no tokens: never a guess', () => {
    expect(costFromRates({ prompt: 10, completion: 5 }, { input_mtok: 0.02 })).to.equal(undefined);
    expect(costFromRates({}, GPT_4O_MINI)).to.equal(undefined);
    // An embedding has no completion: its input price alone prices it.
    expect(costFromRates({ prompt: 8 }, { input_mtok: 0.02 })).to.deep.equal({ prompt: 1.6e-7, completion: 0, total: 1.6e-7 });
  });
});
