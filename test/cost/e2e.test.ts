import { expect } from 'chai';
import type * as GenAI from '@google/genai';
import type OpenAIType from 'openai';
import type AnthropicType from '@anthropic-ai/sdk';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { useProviderSuite } from '../helpers/provider-suite';
import { createTracing } from '../helpers/tracing';
import { anthropicClient, loadAnthropic } from '../providers/anthropic/client';
import { loadOpenAI, openaiClient } from '../providers/openai/client';
import { API_KEY as GOOGLE_API_KEY } from '../providers/google/fixtures';
import { costKeys } from './cost-keys';
import { anthropicCachedMessage, geminiCachedThinking, openaiCachedChat, openaiChat, openaiUsageStream, xaiReasoningChat } from './fixtures';

/**
 * Each call through the real SDK, against the fake server, priced at the list prices of the built-in table
 * (@pydantic/genai-prices 0.1.8; the rates per million tokens are in the fixtures). Every figure below is
 * the sum worked out by hand in its comment; the float noise is rounded off at 1e-12 USD.
 */
describe('cost through the real SDKs (list prices)', () => {
  const tracing = createTracing();
  let OpenAI: typeof OpenAIType;
  let Anthropic: typeof AnthropicType;
  let genai: typeof GenAI;

  const suite = useProviderSuite(
    async () => {
      OpenAI = loadOpenAI();
      Anthropic = loadAnthropic();
      genai = require('@google/genai');
      return { server: await startFakeLlmServer() };
    },
    { tracing, resetConfig: true },
  );
  const server = (): FakeLlmServer => suite.server;

  it('OpenAI chat: cached prompt tokens at the cached rate (prompt_tokens includes them), a snapshot as its model', async () => {
    server().reply({ json: openaiCachedChat() });
    await openaiClient(OpenAI, server()).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Capital of France?' }] });
    const span = await suite.onlySpan();
    expect(span.attributes['llm.model_name']).to.equal('gpt-4o-2024-08-06');
    // gpt-4o: 2.50 / 1.25 cached / 10.00 per million. 2,006 prompt of which 1,920 cached, 300 completion.
    expect(costKeys(span)).to.deep.equal({
      'llm.cost.prompt': 0.002615, // (86 × 2.50 + 1,920 × 1.25) / 1e6 = (215 + 2,400) / 1e6
      'llm.cost.completion': 0.003, // 300 × 10.00 / 1e6
      'llm.cost.total': 0.005615,
      'llm.cost.prompt_details.cache_read': 0.0024, // 1,920 × 1.25 / 1e6
    });
  });

  it('Anthropic messages: cache reads and writes at their own rates (input_tokens excludes them)', async () => {
    server().reply({ json: anthropicCachedMessage() });
    await anthropicClient(Anthropic, server(), tracing).messages.create({
      model: 'claude-sonnet-4-20250514',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'May I sublet?' }],
    });
    const span = await suite.onlySpan();
    expect(span.attributes['llm.token_count.prompt']).to.equal(3625);
    // claude-sonnet-4: 3.00 input / 3.75 cache write / 0.30 cache read / 15.00 output per million.
    expect(costKeys(span)).to.deep.equal({
      'llm.cost.prompt': 0.0065124, // (21 × 3 + 1,556 × 3.75 + 2,048 × 0.30) / 1e6 = (63 + 5,835 + 614.4) / 1e6
      'llm.cost.completion': 0.005895, // 393 × 15 / 1e6
      'llm.cost.total': 0.0124074,
      'llm.cost.prompt_details.cache_read': 0.0006144, // 2,048 × 0.30 / 1e6
      'llm.cost.prompt_details.cache_write': 0.005835, // 1,556 × 3.75 / 1e6
    });
  });

  it("prices Anthropic's 1-hour cache writes at the 1-hour rate", async () => {
    const message = anthropicCachedMessage();
    message.usage.cache_creation = { ephemeral_5m_input_tokens: 556, ephemeral_1h_input_tokens: 1000 };
    server().reply({ json: message });
    await anthropicClient(Anthropic, server(), tracing).messages.create({
      model: 'claude-sonnet-4-20250514',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'May I sublet?' }],
    });
    const span = await suite.onlySpan();
    // claude-sonnet-4's 1-hour writes: 6.00 per million; the 556 others at 3.75.
    expect(costKeys(span)).to.deep.equal({
      'llm.cost.prompt': 0.0087624, // (21 × 3 + 556 × 3.75 + 1,000 × 6 + 2,048 × 0.30) / 1e6 = (63 + 2,085 + 6,000 + 614.4) / 1e6
      'llm.cost.completion': 0.005895,
      'llm.cost.total': 0.0146574,
      'llm.cost.prompt_details.cache_read': 0.0006144,
      'llm.cost.prompt_details.cache_write': 0.008085, // (556 × 3.75 + 1,000 × 6) / 1e6
    });
  });

  it('Gemini (@google/genai): the cached prompt at the cached rate, thoughts as output', async () => {
    server().reply({ json: geminiCachedThinking() });
    const ai = new genai.GoogleGenAI({ apiKey: GOOGLE_API_KEY, httpOptions: { baseUrl: server().origin } });
    await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'The answer?' });
    const span = await suite.onlySpan();
    expect(span.attributes['llm.provider']).to.equal('google');
    // gemini-2.5-flash: 0.30 / 0.03 cached / 2.50 per million. 1,200 prompt of which 1,024 cached; 3 + 150 thoughts out.
    expect(costKeys(span)).to.deep.equal({
      'llm.cost.prompt': 0.00008352, // (176 × 0.30 + 1,024 × 0.03) / 1e6 = (52.8 + 30.72) / 1e6
      'llm.cost.completion': 0.0003825, // 153 × 2.50 / 1e6
      'llm.cost.total': 0.00046602,
      'llm.cost.prompt_details.cache_read': 0.00003072, // 1,024 × 0.03 / 1e6
    });
  });

  it("xAI (the openai SDK on api.x.ai): priced under xAI's own prices, reasoning as output", async () => {
    server().reply({ json: xaiReasoningChat() });
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'https://api.x.ai/v1', fetch: server().fetch, maxRetries: 0 });
    await client.chat.completions.create({ model: 'grok-3-mini', messages: [{ role: 'user', content: 'Why?' }] });
    const span = await suite.onlySpan();
    expect(span.attributes['llm.provider']).to.equal('xai');
    expect(span.attributes['llm.token_count.completion']).to.equal(763);
    // grok-3-mini: 0.30 / 0.075 cached / 0.50 per million. 37 prompt of which 6 cached; 530 + 233 reasoning out.
    expect(costKeys(span)).to.deep.equal({
      'llm.cost.prompt': 0.00000975, // (31 × 0.30 + 6 × 0.075) / 1e6 = (9.3 + 0.45) / 1e6
      'llm.cost.completion': 0.0003815, // 763 × 0.50 / 1e6
      'llm.cost.total': 0.00039125,
      'llm.cost.prompt_details.cache_read': 0.00000045, // 6 × 0.075 / 1e6
    });
  });

  it('an OpenAI stream is priced from its final usage chunk', async () => {
    server().reply({ sse: openaiUsageStream() });
    const stream = await openaiClient(OpenAI, server()).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'A story' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).to.equal('Once upon a time.');
    const span = await suite.onlySpan();
    // gpt-4o-mini: 0.15 / 0.075 cached / 0.60 per million. 1,200 prompt of which 1,024 cached, 7 completion.
    expect(costKeys(span)).to.deep.equal({
      'llm.cost.prompt': 0.0001032, // (176 × 0.15 + 1,024 × 0.075) / 1e6 = (26.4 + 76.8) / 1e6
      'llm.cost.completion': 0.0000042, // 7 × 0.60 / 1e6
      'llm.cost.total': 0.0001074,
      'llm.cost.prompt_details.cache_read': 0.0000768, // 1,024 × 0.075 / 1e6
    });
  });

  it('a model with no known price gets no llm.cost.* key at all (never a 0)', async () => {
    server().reply({ json: openaiChat() });
    await openaiClient(OpenAI, server()).chat.completions.create({ model: 'acme-private-llm-7b', messages: [{ role: 'user', content: 'Hi' }] });
    const span = await suite.onlySpan();
    expect(span.attributes['llm.token_count.prompt']).to.equal(1000);
    expect(costKeys(span)).to.deep.equal({});
  });

  it('cost: false puts no llm.cost.* on a priced model', async () => {
    suite.instrumentation.setConfig({ cost: false });
    server().reply({ json: openaiCachedChat() });
    await openaiClient(OpenAI, server()).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Capital of France?' }] });
    const span = await suite.onlySpan();
    expect(span.attributes['llm.token_count.prompt']).to.equal(2006);
    expect(costKeys(span)).to.deep.equal({});
  });

  it('with the GenAI conventions only, cost stays in the OpenInference keys (nothing invented in gen_ai.*)', async () => {
    suite.instrumentation.setConfig({ semconv: ['gen_ai'] });
    server().reply({ json: openaiCachedChat() });
    await openaiClient(OpenAI, server()).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Capital of France?' }] });
    const span = await suite.onlySpan();
    expect(span.attributes['gen_ai.usage.input_tokens']).to.equal(2006);
    expect(costKeys(span)).to.deep.equal({
      'llm.cost.prompt': 0.002615,
      'llm.cost.completion': 0.003,
      'llm.cost.total': 0.005615,
      'llm.cost.prompt_details.cache_read': 0.0024,
    });
    expect(Object.keys(span.attributes).filter((key) => key.startsWith('gen_ai.') && /cost|price|usd/.test(key))).to.deep.equal([]);
  });
});
