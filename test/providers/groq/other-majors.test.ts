import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, llmSpans, useInstrumentation } from '../../helpers/tracing';
import { AUDIO_BYTES, groqCompletion, groqEmbeddings, groqStream, groqTranscription } from './fixtures';

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

  it('embeddings and audio transcriptions are traced on 0.x too', async () => {
    server.reply({ json: groqEmbeddings() });
    await client.embeddings.create({ model: 'nomic-embed-text-v1_5', input: 'alpha' });
    server.reply({ json: groqTranscription() });
    // 0.x sends multipart bodies as streams, which the global fetch behind `server.fetch` refuses without
    // `duplex`: this client uses the SDK's own default fetch, pointed at the fake server.
    const direct = new Groq({ apiKey: 'sk-test-secret-123', baseURL: server.origin, maxRetries: 0 });
    const { toFile } = require('groq-v0');
    const result = await direct.audio.transcriptions.create({ model: 'whisper-large-v3-turbo', file: await toFile(Buffer.from(AUDIO_BYTES), 'a.wav') });
    expect(result.text).to.equal(' The weather in Paris is sunny.');
    const spans = llmSpans(await tracing.spans());
    expect(spans.map((s) => [s.name, s.status.code, s.attributes['openinference.span.kind'], s.attributes['llm.provider']])).to.deep.equal([
      ['embeddings nomic-embed-text-v1_5', SpanStatusCode.OK, 'EMBEDDING', 'groq'],
      ['transcription whisper-large-v3-turbo', SpanStatusCode.OK, 'LLM', 'groq'],
    ]);
    expect(spans[0].attributes['embedding.embeddings.0.embedding.vector']).to.deep.equal([0.5, -0.25]);
    expect(spans[1].attributes['output.value']).to.equal(' The weather in Paris is sunny.');
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.to.contain(AUDIO_BYTES);
  });
});
