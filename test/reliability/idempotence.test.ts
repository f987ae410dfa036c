import { expect } from 'chai';
import type OpenAIType from 'openai';
import { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, llmSpans, useInstrumentation } from '../helpers/tracing';
import { chatCompletion } from '../providers/openai/fixtures';

type Fn = ((...args: unknown[]) => unknown) & { __original?: Fn; __wrapped?: boolean };

/** Every SDK method we patch on a prototype, by name, for identity checks. */
function patchedMethods(): Array<{ name: string; proto: Record<string, Fn>; method: string }> {
  const { OpenAI } = require('openai');
  const { Anthropic } = require('@anthropic-ai/sdk');
  return [
    { name: 'openai chat.completions.create', proto: OpenAI.Chat.Completions.prototype, method: 'create' },
    { name: 'openai responses.create', proto: OpenAI.Responses.prototype, method: 'create' },
    { name: 'openai completions.create', proto: OpenAI.Completions.prototype, method: 'create' },
    { name: 'openai embeddings.create', proto: OpenAI.Embeddings.prototype, method: 'create' },
    { name: 'anthropic messages.create', proto: Anthropic.Messages.prototype, method: 'create' },
  ];
}

describe('reliability: idempotence', () => {
  const tracing = createTracing();
  let instrumentation: InfiniumInstrumentation;
  let server: FakeLlmServer;
  let client: OpenAIType;
  let originals: Map<string, Fn>;

  before(async () => {
    ({ instrumentation } = useInstrumentation(tracing));
    const { OpenAI } = require('openai') as typeof import('openai');
    require('@anthropic-ai/sdk');
    server = await startFakeLlmServer();
    server.reply({ json: chatCompletion() });
    client = new OpenAI({ apiKey: 'sk-test-secret-123', baseURL: 'https://api.openai.com/v1', fetch: server.fetch, maxRetries: 0 });
    // The SDK's own functions, as they are under our wrappers.
    originals = new Map(
      patchedMethods().map(({ name, proto, method }) => {
        expect(proto[method].__wrapped, `${name} is patched`).to.equal(true);
        return [name, proto[method].__original!];
      }),
    );
  });
  after(async () => {
    // Leave the shared instrumentation enabled and patched, as the other suites expect it.
    instrumentation.disable();
    instrumentation.enable();
    await server.stop();
  });
  beforeEach(() => tracing.reset());

  async function spansPerCall(): Promise<number> {
    tracing.reset();
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    return llmSpans(await tracing.spans()).length;
  }

  it('enable() twice: one span per call', async () => {
    instrumentation.enable();
    instrumentation.enable();
    expect(await spansPerCall()).to.equal(1);
  });

  it('disable() restores the SDK’s own methods (identity); enable() patches again, one span per call', async () => {
    instrumentation.disable();
    for (const { name, proto, method } of patchedMethods()) expect(proto[method], name).to.equal(originals.get(name));
    expect(await spansPerCall()).to.equal(0);
    instrumentation.enable();
    for (const { name, proto, method } of patchedMethods()) {
      expect(proto[method], name).not.to.equal(originals.get(name));
      expect(proto[method].__original, name).to.equal(originals.get(name));
    }
    expect(await spansPerCall()).to.equal(1);
    instrumentation.disable();
    instrumentation.enable();
    expect(await spansPerCall()).to.equal(1);
  });

  it('a second instance: one span per call, our wrappers never stacked, and its disable() restores the originals', async () => {
    const second = new InfiniumInstrumentation();
    try {
      second.setTracerProvider(tracing.provider);
      // Its require hook patches on the next require of the SDK, as in an app that registers twice.
      require('openai');
      require('@anthropic-ai/sdk');
      for (const { name, proto, method } of patchedMethods()) expect(proto[method].__original, name).to.equal(originals.get(name));
      expect(await spansPerCall()).to.equal(1);
    } finally {
      second.disable();
    }
    for (const { name, proto, method } of patchedMethods()) expect(proto[method], name).to.equal(originals.get(name));
  });
});
