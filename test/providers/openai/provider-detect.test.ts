import { expect } from 'chai';
import type OpenAIType from 'openai';
import type { AzureOpenAI as AzureOpenAIType } from 'openai';
import { detectProvider } from '../../../lib/providers/openai/provider-detect';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { useProviderSuite } from '../../helpers/provider-suite';
import { createTracing, llmSpans } from '../../helpers/tracing';
import { chatCompletion } from './fixtures';

describe('detectProvider (OpenAI client base URL)', () => {
  const cases: Array<[string | undefined, { provider: string; serverAddress?: string }]> = [
    [undefined, { provider: 'openai' }],
    ['', { provider: 'openai' }],
    ['https://api.openai.com/v1', { provider: 'openai' }],
    ['https://eu.api.openai.com/v1', { provider: 'openai' }],
    ['https://API.OPENAI.COM/v1', { provider: 'openai' }],
    ['https://api.x.ai/v1', { provider: 'xai' }],
    ['https://grok.example.com/v1', { provider: 'xai' }],
    ['https://xai-proxy.internal/v1', { provider: 'xai' }],
    ['https://my-resource.openai.azure.com/openai', { provider: 'azure' }],
    ['https://api.groq.com/openai/v1', { provider: 'groq' }],
    ['https://api.deepseek.com', { provider: 'deepseek' }],
    ['https://openrouter.ai/api/v1', { provider: 'openrouter' }],
    ['https://api.together.xyz/v1', { provider: 'together' }],
    ['https://api.fireworks.ai/inference/v1', { provider: 'fireworks' }],
    ['https://api.mistral.ai/v1', { provider: 'mistralai' }],
    ['http://ollama.lan:8080/v1', { provider: 'ollama' }],
    ['http://localhost:11434/v1', { provider: 'ollama' }],
    ['http://127.0.0.1:8000/v1', { provider: 'openai-compatible', serverAddress: '127.0.0.1' }],
    ['https://llm.example.com/v1', { provider: 'openai-compatible', serverAddress: 'llm.example.com' }],
    ['not a url', { provider: 'openai' }],
  ];
  for (const [baseURL, expected] of cases) {
    it(`${JSON.stringify(baseURL)} -> ${expected.provider}${expected.serverAddress ? ` @ ${expected.serverAddress}` : ''}`, () => {
      expect(detectProvider(baseURL)).to.deep.equal(expected);
    });
  }

  it('ignores values that are not strings', () => {
    expect(detectProvider(42)).to.deep.equal({ provider: 'openai' });
    expect(detectProvider({ host: 'api.x.ai' })).to.deep.equal({ provider: 'openai' });
  });
});

describe('provider detection through the openai SDK', () => {
  let server: FakeLlmServer;
  let OpenAI: typeof OpenAIType;
  let AzureOpenAI: typeof AzureOpenAIType;
  const tracing = createTracing();
  const request = { model: 'grok-4', messages: [{ role: 'user' as const, content: 'Hi' }] };

  useProviderSuite(
    async () => {
      ({ OpenAI, AzureOpenAI } = require('openai') as typeof import('openai'));
      server = await startFakeLlmServer();
      server.reply({ json: chatCompletion() });
      return { server };
    },
    { tracing },
  );

  async function spanAttributes(client: OpenAIType) {
    await client.chat.completions.create(request);
    const spans = llmSpans(await tracing.spans());
    expect(spans).to.have.length(1);
    return spans[0].attributes;
  }

  const viaFetch = (baseURL: string) => new OpenAI({ apiKey: 'k', baseURL, fetch: server.fetch, maxRetries: 0 });

  it('xAI (api.x.ai): llm.provider xai, no server.address', async () => {
    const a = await spanAttributes(viaFetch('https://api.x.ai/v1'));
    expect(a['llm.provider']).to.equal('xai');
    expect(a['llm.system']).to.equal('openai');
    expect(a).not.to.have.property('server.address');
    expect(server.requests.at(-1)!.path).to.equal('/v1/chat/completions');
  });

  it('xAI reasoning reported beside the completion (total = prompt + completion + reasoning): the completion count takes it in', async () => {
    const usage = { prompt_tokens: 10, completion_tokens: 50, total_tokens: 260, completion_tokens_details: { reasoning_tokens: 200 } };
    server.reply({ json: chatCompletion({ model: 'grok-4', usage }) });
    const a = await spanAttributes(viaFetch('https://api.x.ai/v1'));
    expect(a).to.include({
      'llm.provider': 'xai',
      'llm.token_count.prompt': 10,
      'llm.token_count.completion': 250,
      'llm.token_count.completion_details.reasoning': 200,
      'llm.token_count.total': 260,
    });
    server.reply({ json: chatCompletion() });
  });

  it('OpenAI reasoning inside the completion (total = prompt + completion): counts as reported', async () => {
    const usage = { prompt_tokens: 10, completion_tokens: 250, total_tokens: 260, completion_tokens_details: { reasoning_tokens: 200 } };
    server.reply({ json: chatCompletion({ usage }) });
    const a = await spanAttributes(viaFetch('https://api.openai.com/v1'));
    expect(a).to.include({ 'llm.token_count.completion': 250, 'llm.token_count.completion_details.reasoning': 200, 'llm.token_count.total': 260 });
    server.reply({ json: chatCompletion() });
  });

  it('Groq: llm.provider groq', async () => {
    const a = await spanAttributes(viaFetch('https://api.groq.com/openai/v1'));
    expect(a['llm.provider']).to.equal('groq');
  });

  it('AzureOpenAI client: llm.provider azure', async () => {
    const client = new AzureOpenAI({
      apiKey: 'k',
      endpoint: 'https://my-resource.openai.azure.com',
      apiVersion: '2024-10-21',
      deployment: 'gpt-4o-mini',
      fetch: server.fetch,
      maxRetries: 0,
    });
    const a = await spanAttributes(client);
    expect(a['llm.provider']).to.equal('azure');
    expect(server.requests.at(-1)!.path).to.equal('/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21');
  });

  it('a local OpenAI-compatible server: openai-compatible with server.address', async () => {
    const client = new OpenAI({ apiKey: 'k', baseURL: `${server.origin}/v1`, maxRetries: 0 });
    const a = await spanAttributes(client);
    expect(a['llm.provider']).to.equal('openai-compatible');
    expect(a['server.address']).to.equal('127.0.0.1');
  });

  it('localhost:11434: ollama', async () => {
    const a = await spanAttributes(viaFetch('http://localhost:11434/v1'));
    expect(a['llm.provider']).to.equal('ollama');
    expect(a).not.to.have.property('server.address');
  });
});
