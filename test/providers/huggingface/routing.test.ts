import { expect } from 'chai';
import { trace } from '@opentelemetry/api';
import type * as HfModule from '@huggingface/inference';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { useProviderSuite } from '../../helpers/provider-suite';
import { llmSpans } from '../../helpers/tracing';
import { HF_TOKEN, huggingFaceRoutes, providerMapping, TOGETHER_MODEL, tgiTokenStream } from './fixtures';

const MESSAGES = [{ role: 'user', content: 'Weather in Paris?' }];
/** A Together key: the SDK then calls Together itself (api.together.xyz), not Hugging Face's router. */
const PROVIDER_KEY = 'tgp_v1_test_provider_key';
/**
 * Models of this file only: the SDK caches a model's provider mapping for the whole process, and the other
 * files assert that theirs is fetched.
 */
const TEXT_MODEL = 'routing-test/gpt2';
const CHAT_MODEL = 'routing-test/Llama-3.3-70B-Instruct';

/**
 * Where the SDK sends a request, read where it decides: the provider its `auto` routing picks for a
 * streamed textGenerationStream (on the app's first `next()`), and the provider's own host when the token
 * is the provider's key rather than a Hugging Face token.
 */
describe('@huggingface/inference routing: the provider and the server the SDK chose', function () {
  this.timeout(30_000);
  let hf: typeof HfModule;
  let server: FakeLlmServer;
  /** Every URL the SDK fetched, before the fake's origin is swapped in, and the span active as it did. */
  let urls: string[];
  let activeSpanIds: Array<string | undefined>;
  let options: { fetch: typeof fetch };
  const suite = useProviderSuite(async () => {
    hf = require('@huggingface/inference');
    server = await startFakeLlmServer();
    options = {
      fetch: (input, init) => {
        urls.push(String(input));
        activeSpanIds.push(trace.getActiveSpan()?.spanContext().spanId);
        return server.fetch(input, init);
      },
    };
    return { server };
  });
  beforeEach(() => {
    urls = [];
    activeSpanIds = [];
    suite.instrumentation.setConfig({ semconv: 'openinference,gen_ai' });
    server.handle(
      huggingFaceRoutes((r) => {
        if (r.path.startsWith(`/api/models/${TEXT_MODEL}`)) return { json: providerMapping(TEXT_MODEL, 'novita', 'gpt2', 'text-generation') };
        if (r.path.startsWith(`/api/models/${CHAT_MODEL}`)) return { json: providerMapping(CHAT_MODEL, 'together', TOGETHER_MODEL, 'conversational') };
        return r.path.startsWith('/novita/') ? { sse: tgiTokenStream() } : undefined;
      }),
    );
  });

  const serverOf = (a: Record<string, unknown>) => [a['llm.provider'], a['server.address'], a['server.port']];

  it("textGenerationStream with no provider: the one the SDK's auto routing picked, through the router", async () => {
    let text = '';
    for await (const event of hf.textGenerationStream({ model: TEXT_MODEL, inputs: 'Capital of France?', accessToken: HF_TOKEN }, options)) {
      text += (event as { token?: { text: string } }).token?.text ?? '';
    }
    expect(text).to.equal('Paris.</s>');
    expect(urls.map((u) => new URL(u).host)).to.deep.equal(['huggingface.co', 'router.huggingface.co']);
    const [span] = llmSpans(await suite.tracing.spans());
    expect([...serverOf(span.attributes), span.attributes['gen_ai.provider.name'], span.attributes['llm.token_count.completion']]).to.deep.equal([
      'novita', 'router.huggingface.co', 443, 'novita', 3,
    ]);
    // The request (sent at the first next(), from the app's context) ran in the LLM span's context.
    expect(activeSpanIds).to.deep.equal([span.spanContext().spanId, span.spanContext().spanId]);
  });

  it("a provider's own key: the provider's host as server, for chatCompletion and chatCompletionStream alike", async () => {
    const request = { provider: 'together' as const, model: CHAT_MODEL, messages: MESSAGES };
    const result = await hf.chatCompletion({ ...request, accessToken: PROVIDER_KEY }, options);
    expect(result.model).to.equal(TOGETHER_MODEL);
    for await (const _ of new hf.InferenceClient(PROVIDER_KEY).chatCompletionStream(request, options)) void _;
    expect(urls.filter((u) => !u.includes('/api/models/'))).to.deep.equal([
      'https://api.together.xyz/v1/chat/completions',
      'https://api.together.xyz/v1/chat/completions',
    ]);
    const spans = llmSpans(await suite.tracing.spans());
    expect(spans.map((s) => [...serverOf(s.attributes), s.attributes['llm.token_count.total']])).to.deep.equal([
      ['together', 'api.together.xyz', 443, 27],
      ['together', 'api.together.xyz', 443, 43],
    ]);
    expect(JSON.stringify(spans.map((s) => [s.attributes, s.events]))).not.to.contain(PROVIDER_KEY);
  });

  it('a Hugging Face token to a named provider: the router stays the server', async () => {
    await hf.chatCompletion({ provider: 'together', model: CHAT_MODEL, messages: MESSAGES, accessToken: HF_TOKEN }, options);
    expect(urls.at(-1)).to.equal('https://router.huggingface.co/together/v1/chat/completions');
    expect(serverOf((await suite.onlySpan()).attributes)).to.deep.equal(['together', 'router.huggingface.co', 443]);
  });
});
