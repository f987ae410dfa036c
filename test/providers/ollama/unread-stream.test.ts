import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { Ollama as OllamaType } from 'ollama';
import { STREAM_ABANDONED_EVENT } from '../../../lib/instrumentation/llm-call';
import { llmSpansAfterCollection } from '../../helpers/gc';
import { createTracing, llmSpans, useInstrumentation } from '../../helpers/tracing';
import { chatStream, FakeOllama, generateStream } from './fake-ollama';

const CHAT = { model: 'llama3.2', messages: [{ role: 'user', content: 'Weather in Paris?' }] };

/** The client's own list of open streams (`client.abort()` aborts them all); read, never changed, here. */
const ongoing = (client: OllamaType) => (client as unknown as { ongoingStreamedRequests: unknown[] }).ongoingStreamedRequests;

/**
 * issue 30, defect 5: the ollama client keeps every stream it hands out until the stream reads its `done`
 * line, so a stream the app dropped unread was never collected and its span never ended. The client here
 * lives for the whole suite, as an app's client (or the package's default instance) does.
 */
describe('ollama: a stream dropped unread', () => {
  const tracing = createTracing();
  let server: FakeOllama;
  let client: OllamaType;

  before(async () => {
    useInstrumentation(tracing);
    server = await new FakeOllama().start();
    client = new (require('ollama') as typeof import('ollama')).Ollama({ host: server.origin });
  });
  after(() => server.stop());
  beforeEach(() => tracing.reset());

  it('ends its span as abandoned once collected, with the request recorded, while the client keeps it open', async function () {
    if (typeof global.gc !== 'function') this.skip();
    this.timeout(60_000);
    server.reply({ ndjson: chatStream() });
    await openAndDrop();
    const spans = await llmSpansAfterCollection(tracing, 30_000);
    expect(spans).to.have.length(1);
    const [span] = spans;
    expect(span.name).to.equal('chat llama3.2');
    expect(span.status.code).to.equal(SpanStatusCode.UNSET);
    expect(span.events.map((e) => e.name)).to.deep.equal([STREAM_ABANDONED_EVENT]);
    expect(span.attributes).to.deep.include({
      'llm.model_name': 'llama3.2',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Weather in Paris?',
    });
    // The client still holds an entry for the open request, and `client.abort()` still clears it.
    expect(ongoing(client)).to.have.length(1);
    client.abort();
    expect(ongoing(client)).to.have.length(0);
  });

  it('a stream read to its done line leaves the client list as the SDK does, and ends OK once', async () => {
    server.reply({ ndjson: generateStream() });
    const stream = await client.generate({ model: 'qwen2.5-coder', prompt: 'def add', stream: true });
    expect(ongoing(client)).to.have.length(1);
    let text = '';
    for await (const part of stream) text += part.response;
    expect(text).to.equal('def add(a, b):');
    expect(ongoing(client)).to.have.length(0);
    const spans = llmSpans(await tracing.spans());
    expect(spans.map((s) => [s.status.code, s.attributes['llm.output_messages.0.message.content']])).to.deep.equal([[SpanStatusCode.OK, 'def add(a, b):']]);
  });

  it('client.abort() on an unread stream ends its span as abandoned at once', async () => {
    // One line, then nothing until the client goes: the stream is never complete when it is aborted.
    server.reply({ ndjson: chatStream(), holdAfter: 1 });
    const stream = await client.chat({ ...CHAT, stream: true });
    client.abort();
    const spans = llmSpans(await tracing.spans());
    expect(spans.map((s) => [s.status.code, s.events.map((e) => e.name)])).to.deep.equal([[SpanStatusCode.UNSET, [STREAM_ABANDONED_EVENT]]]);
    // The app's stream is the SDK's, aborted: reading it gives the SDK's AbortError.
    const caught = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect((caught as Error).name).to.equal('AbortError');
    expect(llmSpans(await tracing.spans())).to.have.length(1);
  });

  /** In its own function so that no local of the test keeps the stream reachable. */
  async function openAndDrop(): Promise<void> {
    await client.chat({ ...CHAT, stream: true });
    expect(llmSpans(await tracing.spans())).to.have.length(0);
  }
});
