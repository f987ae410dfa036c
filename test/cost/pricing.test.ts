import { expect } from 'chai';
import sinon from 'sinon';
import { diag } from '@opentelemetry/api';
import { resolvePricing } from '../../lib/cost/pricing';
import { createCallRecord, type CallRecord } from '../../lib/record/call-record';
import type { Usage } from '../../lib/record/usage';
import { priceFile } from './cost-keys';

function call(provider: string, responseModel: string | undefined, usage: Usage, requestModel?: string): CallRecord {
  const record = createCallRecord('LLM', 'chat', provider, provider);
  record.responseModel = responseModel;
  record.requestModel = requestModel;
  record.usage = usage;
  return record;
}

describe('Pricing', () => {
  let warn: sinon.SinonStub;
  beforeEach(() => {
    warn = sinon.stub(diag, 'warn');
  });
  afterEach(() => sinon.restore());

  describe('the built-in table (@pydantic/genai-prices)', () => {
    const pricing = resolvePricing({}, {})!;

    it('prices a dated snapshot as its model, at the list prices', () => {
      // gpt-4o-mini: 0.15 / 0.075 cached / 0.60 per million.
      expect(pricing.costOf(call('openai', 'gpt-4o-mini-2024-07-18', { prompt: 1000, completion: 100, cacheRead: 200 }))).to.deep.equal({
        prompt: 0.000135, completion: 0.00006, total: 0.000195, cacheRead: 0.000015,
      });
    });

    it("prices Anthropic's cache reads and writes, Gemini and xAI under their own provider names", () => {
      // claude-sonnet-4: 3 input, 3.75 cache write, 0.30 cache read, 15 output.
      expect(pricing.costOf(call('anthropic', 'claude-sonnet-4-20250514', { prompt: 5740, completion: 255, cacheRead: 1000, cacheWrite: 4735 }))?.total).to.equal(0.02189625);
      // gemini-2.5-flash: 0.30 input, 2.50 output.
      expect(pricing.costOf(call('google', 'gemini-2.5-flash', { prompt: 1000, completion: 100 }))?.total).to.equal(0.00055);
      // grok-3-mini (the table's provider id is x-ai): 0.30 input, 0.50 output.
      expect(pricing.costOf(call('xai', 'grok-3-mini', { prompt: 1000, completion: 100 }))?.total).to.equal(0.00035);
    });

    it('prices the model that answered; the requested one only when the answer names none', () => {
      // A fine-tune the table does not list is not priced as its base model (a guess: fine-tunes cost more).
      expect(pricing.costOf(call('openai', 'ft:gpt-4o-mini:acme::abc', { prompt: 1000, completion: 100 }, 'gpt-4o-mini'))).to.equal(undefined);
      // The table lists dated fine-tunes at their own price: 0.30 / 1.20 per million.
      expect(pricing.costOf(call('openai', 'ft:gpt-4o-mini-2024-07-18:acme::abc', { prompt: 1000, completion: 100 }, 'x'))?.total).to.equal(0.00042);
      // Azure's request names the deployment, its answer the model.
      expect(pricing.costOf(call('azure', 'gpt-4o-2024-08-06', { prompt: 1000, completion: 100 }, 'my-deployment'))?.total).to.equal(0.0035);
      // Bedrock's Converse answer names no model: the model id asked for prices it (claude-3-5-haiku 0.80 / 4.00).
      expect(pricing.costOf(call('aws', undefined, { prompt: 1000, completion: 100 }, 'us.anthropic.claude-3-5-haiku-20241022-v1:0'))?.total).to.equal(0.0012);
    });

    it('gives an unknown model, or a provider the table does not know, no cost at all', () => {
      expect(pricing.costOf(call('openai', 'my-own-model', { prompt: 1000, completion: 100 }))).to.equal(undefined);
      expect(pricing.costOf(call('ollama', 'llama3.2', { prompt: 1000, completion: 100 }))).to.equal(undefined);
      expect(pricing.costOf(call('openai-compatible', 'gpt-4o-mini', { prompt: 1000, completion: 100 }))).to.equal(undefined);
    });
  });

  it('the prices option and INFINIUM_PRICES_FILE win over the table and add models; the option wins over the file', () => {
    const file = priceFile(JSON.stringify({
      'my-own-model': { input_per_mtok: 1, output_per_mtok: 2 },
      'gpt-4o-mini': { input_per_mtok: 0.1, output_per_mtok: 0.4, cache_read_per_mtok: 0.05 },
      'claude-sonnet-4': { input_per_mtok: 9, output_per_mtok: 9 },
    }));
    const pricing = resolvePricing({ prices: { 'claude-sonnet-4': { input_per_mtok: 2, output_per_mtok: 8 } } }, { INFINIUM_PRICES_FILE: file })!;
    expect(pricing.costOf(call('openai', 'my-own-model', { prompt: 1000, completion: 100 }))?.total).to.equal(0.0012);
    // The override covers the model's dated snapshots.
    expect(pricing.costOf(call('openai', 'gpt-4o-mini-2024-07-18', { prompt: 1000, completion: 100, cacheRead: 200 }))).to.deep.equal({
      prompt: 0.00009, completion: 0.00004, total: 0.00013, cacheRead: 0.00001,
    });
    expect(pricing.costOf(call('anthropic', 'claude-sonnet-4', { prompt: 1000, completion: 100 }))?.total).to.equal(0.0028);
    expect(warn.callCount).to.equal(0);
  });

  it('a malformed file is one clear warning at start, and the built-in prices still apply', () => {
    const file = priceFile('{ "gpt-4o-mini": { "input_per_mtok": 0.1, ');
    const pricing = resolvePricing({}, { INFINIUM_PRICES_FILE: file })!;
    expect(warn.callCount).to.equal(1);
    expect(String(warn.firstCall.args[0])).to.match(/INFINIUM_PRICES_FILE \(.*prices\.json\) could not be read as JSON .*the built-in prices are used/);
    expect(pricing.costOf(call('openai', 'gpt-4o-mini', { prompt: 1000, completion: 100 }))?.total).to.equal(0.00021);
  });

  it('a bad entry is named in one warning and left out; the good ones apply', () => {
    const pricing = resolvePricing({ prices: { good: { input_per_mtok: 1, output_per_mtok: 1 }, bad: { input_per_mtok: -1 } as never } }, {})!;
    expect(warn.callCount).to.equal(1);
    expect(String(warn.firstCall.args[0])).to.contain('the prices option: 1 entry ("bad") ignored');
    expect(pricing.costOf(call('openai', 'good', { prompt: 1000, completion: 1000 }))?.total).to.equal(0.002);
    expect(pricing.costOf(call('openai', 'bad', { prompt: 1000, completion: 1000 }))).to.equal(undefined);
  });

  it('is off with cost: false, or INFINIUM_COST=false unless the option says otherwise', () => {
    expect(resolvePricing({ cost: false }, {})).to.equal(undefined);
    expect(resolvePricing({}, { INFINIUM_COST: 'false' })).to.equal(undefined);
    expect(resolvePricing({ cost: true }, { INFINIUM_COST: 'false' })).to.not.equal(undefined);
  });

  it('never prices a reranker per token', () => {
    const record = createCallRecord('RERANKER', 'rerank', 'cohere', 'cohere');
    record.requestModel = 'rerank-v3.5';
    record.usage = { prompt: 10 };
    expect(resolvePricing({}, {})!.costOf(record)).to.equal(undefined);
  });
});
