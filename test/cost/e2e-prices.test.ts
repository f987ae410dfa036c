import { expect } from 'chai';
import sinon from 'sinon';
import { diag } from '@opentelemetry/api';
import type OpenAIType from 'openai';
import { startFakeLlmServer } from '../helpers/fake-llm-server';
import { useProviderSuite } from '../helpers/provider-suite';
import { createTracing } from '../helpers/tracing';
import { loadOpenAI, openaiClient } from '../providers/openai/client';
import { costKeys, priceFile } from './cost-keys';
import { openaiCachedChat, openaiChat } from './fixtures';

/** INFINIUM_PRICES_FILE as an app sets it before start: the instrumentation reads it when configured. */
function withPriceFile(file: string, configure: () => void): void {
  const before = process.env.INFINIUM_PRICES_FILE;
  process.env.INFINIUM_PRICES_FILE = file;
  try {
    configure();
  } finally {
    if (before === undefined) delete process.env.INFINIUM_PRICES_FILE;
    else process.env.INFINIUM_PRICES_FILE = before;
  }
}

describe('cost: user prices (INFINIUM_PRICES_FILE, the prices option) through the real openai SDK', () => {
  const tracing = createTracing();
  let OpenAI: typeof OpenAIType;
  const suite = useProviderSuite(
    async () => {
      OpenAI = loadOpenAI();
      return { server: await startFakeLlmServer() };
    },
    { tracing, resetConfig: true },
  );
  afterEach(() => sinon.restore());

  async function chat(model: string): Promise<Record<string, unknown>> {
    await openaiClient(OpenAI, suite.server).chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] });
    return costKeys(await suite.onlySpan());
  }

  it('the file prices a model the table lacks and overrides a listed one (and its dated snapshots)', async () => {
    const warn = sinon.spy(diag, 'warn');
    const file = priceFile(JSON.stringify({
      'acme-private-llm-7b': { input_per_mtok: 0.2, output_per_mtok: 0.8 },
      'gpt-4o': { input_per_mtok: 2, output_per_mtok: 8, cache_read_per_mtok: 0.5 },
    }));
    withPriceFile(file, () => suite.instrumentation.setConfig({}));
    expect(warn.callCount).to.equal(0);

    suite.server.reply({ json: openaiChat() });
    // 1,000 prompt and 100 completion: (1,000 × 0.2 + 100 × 0.8) / 1e6.
    expect(await chat('acme-private-llm-7b')).to.deep.equal({ 'llm.cost.prompt': 0.0002, 'llm.cost.completion': 0.00008, 'llm.cost.total': 0.00028 });

    suite.tracing.reset();
    suite.server.reply({ json: openaiCachedChat() });
    // gpt-4o-2024-08-06 at the file's gpt-4o prices (2 / 0.5 cached / 8): 2,006 prompt of which 1,920 cached, 300 completion.
    expect(await chat('gpt-4o')).to.deep.equal({
      'llm.cost.prompt': 0.001132, // (86 × 2 + 1,920 × 0.5) / 1e6 = (172 + 960) / 1e6
      'llm.cost.completion': 0.0024, // 300 × 8 / 1e6
      'llm.cost.total': 0.003532,
      'llm.cost.prompt_details.cache_read': 0.00096,
    });
  });

  it('the prices option wins over the file', async () => {
    const file = priceFile(JSON.stringify({ 'acme-private-llm-7b': { input_per_mtok: 0.2, output_per_mtok: 0.8 } }));
    withPriceFile(file, () => suite.instrumentation.setConfig({ prices: { 'acme-private-llm-7b': { input_per_mtok: 1, output_per_mtok: 3 } } }));
    suite.server.reply({ json: openaiChat() });
    // (1,000 × 1 + 100 × 3) / 1e6.
    expect(await chat('acme-private-llm-7b')).to.deep.equal({ 'llm.cost.prompt': 0.001, 'llm.cost.completion': 0.0003, 'llm.cost.total': 0.0013 });
  });

  it('a malformed file is one diag warning at start; the built-in prices still apply', async () => {
    const warn = sinon.spy(diag, 'warn');
    const file = priceFile('{ "gpt-4o": { "input_per_mtok": 2, ');
    withPriceFile(file, () => suite.instrumentation.setConfig({}));
    expect(warn.callCount).to.equal(1);
    expect(String(warn.firstCall.args[0])).to.equal(
      `@infinium/otel: INFINIUM_PRICES_FILE (${file}) could not be read as JSON (${jsonErrorOf('{ "gpt-4o": { "input_per_mtok": 2, ')}); the built-in prices are used`,
    );
    suite.server.reply({ json: openaiCachedChat() });
    // The list price of gpt-4o (2.50 / 1.25 cached / 10): as in e2e.test.ts.
    expect(await chat('gpt-4o')).to.deep.equal({
      'llm.cost.prompt': 0.002615,
      'llm.cost.completion': 0.003,
      'llm.cost.total': 0.005615,
      'llm.cost.prompt_details.cache_read': 0.0024,
    });
    // Read at start only: calls warn no more.
    expect(warn.callCount).to.equal(1);
  });
});

function jsonErrorOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('valid JSON');
}
