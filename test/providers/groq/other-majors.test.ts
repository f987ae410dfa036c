import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, llmSpans, useInstrumentation } from '../../helpers/tracing';
import { groqCompletion, groqStream } from './fixtures';

/**
 * groq-sdk 0.x: the older Stainless generation (its `APIPromise` in core.js, node-fetch shims). Installed
 * under the npm alias `groq-v0`, which the require hook does not know as `groq-sdk`, so it is patched as a
 * bundled app would do it: `manuallyInstrument(require(…))`.
 */
describe('groq-sdk 0.x (0.37.0)', () => {
  const tracing = createTracing();
  let server: FakeLlmServer;
  let Groq: any;
  let client: any;

  before(async () => {
    const { instrumentation } = useInstrumentation(tracing);
    const entry = require('groq-v0');
    instrumentation.manuallyInstrument(entry);
    Groq = entry.Groq;
    server = await startFakeLlmServer();
    client = new Groq({ apiKey: 'sk-test-secret-123', baseURL: 'https://api.groq.com', fetch: server.fetch, maxRetries: 0 });
  });
  after(() => server.stop());
  beforeEach(() => tracing.reset());

  const REQUEST = { model: 'llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'Hi' }] };

  it('plain and streamed calls: provider groq, usage from usage and from x_groq.usage', async () => {
    server.reply({ json: groqCompletion() });
    expect((await client.chat.completions.create(REQUEST)).choices[0].message.content).to.equal('Hello from Groq!');
    server.reply({ sse: groqStream() });
    let text = '';
    for await (const chunk of await client.chat.completions.create({ ...REQUEST, stream: true })) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).to.equal('Let me check.');
    const spans = llmSpans(await tracing.spans());
    expect(spans.map((s) => [s.name, s.status.code, s.attributes['llm.provider'], s.attributes['llm.token_count.prompt'], s.attributes['llm.token_count.completion']])).to.deep.equal([
      ['chat llama-3.3-70b-versatile', SpanStatusCode.OK, 'groq', 21, 6],
      ['chat llama-3.3-70b-versatile', SpanStatusCode.OK, 'groq', 33, 14],
    ]);
    expect(spans[1].attributes['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
  });

  it('HTTP 429: ERROR with error.type RateLimitError, the SDK error reaching the app', async () => {
    server.reply({ status: 429, json: { error: { message: 'slow down', type: 'rate_limit' } } });
    const caught = await client.chat.completions.create(REQUEST).then(() => undefined, (err: unknown) => err);
    expect(caught).to.be.instanceOf(Groq.RateLimitError);
    const [span] = llmSpans(await tracing.spans());
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).to.equal('RateLimitError');
  });
});
