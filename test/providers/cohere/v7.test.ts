import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, llmSpans, useInstrumentation } from '../../helpers/tracing';
import { API_KEY, chatResponse, chatStreamEvents, MODEL, rerankResponse, V1_MODEL, v1ChatResponse, v1ChatStream, v1Client } from './fixtures';

/**
 * cohere-ai 7.x, installed as `cohere-ai-v7`. The require hook matches the name `cohere-ai`, so this copy is
 * patched through `manuallyInstrument` with its V2Client file and its entry (the bundler path, the same
 * patch function).
 */
describe('cohere-ai 7.x (7.21.0) through manuallyInstrument', () => {
  const tracing = createTracing();
  let server: FakeLlmServer;
  let client: any;
  let v1: any;

  before(async function () {
    // cohere-ai is ~730 files: its first require, through every require hook of a full test run, is slow.
    this.timeout(60_000);
    const { instrumentation } = useInstrumentation(tracing);
    expect(require('cohere-ai-v7/package.json').version).to.equal('7.21.0');
    instrumentation.manuallyInstrument(require('cohere-ai-v7/api/resources/v2/client/Client.js'));
    const sdk = require('cohere-ai-v7');
    instrumentation.manuallyInstrument(sdk);
    server = await startFakeLlmServer();
    client = new sdk.CohereClientV2({ token: API_KEY, environment: server.origin, maxRetries: 0 });
    v1 = v1Client(sdk, server.origin);
  });
  after(() => server.stop());
  beforeEach(() => tracing.reset());

  it('chat: billed token counts and the tool call', async () => {
    server.reply({ json: chatResponse() });
    await client.chat({ model: MODEL, messages: [{ role: 'user', content: 'Weather?' }] });
    const [span] = llmSpans(await tracing.spans());
    expect(span.attributes).to.deep.include({
      'llm.provider': 'cohere',
      'llm.token_count.prompt': 21,
      'llm.token_count.completion': 12,
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
    });
  });

  it('chatStream: assembled text, span OK at the end; break abandons', async () => {
    server.reply({ sse: chatStreamEvents() });
    for await (const _ of await client.chatStream({ model: MODEL, messages: [{ role: 'user', content: 'x' }] })) void _;
    server.reply({ sse: chatStreamEvents() });
    let n = 0;
    for await (const _ of await client.chatStream({ model: MODEL, messages: [{ role: 'user', content: 'x' }] })) if (++n === 3) break;
    const [done, abandoned] = llmSpans(await tracing.spans());
    expect([done.status.code, done.attributes['llm.output_messages.0.message.content']]).to.deep.equal([SpanStatusCode.OK, 'Hello world']);
    expect([abandoned.status.code, abandoned.attributes['llm.output_messages.0.message.content']]).to.deep.equal([SpanStatusCode.UNSET, 'Hello']);
  });

  it('rerank: a RERANKER span with scores', async () => {
    server.reply({ json: rerankResponse() });
    await client.rerank({ model: 'rerank-v3.5', query: 'q', documents: ['a', 'b', 'c'] });
    const [span] = llmSpans(await tracing.spans());
    expect(span.attributes).to.deep.include({
      'openinference.span.kind': 'RERANKER',
      'reranker.output_documents.0.document.content': 'c',
      'reranker.output_documents.0.document.score': 0.98,
    });
  });

  it('v1 chat and chatStream (CohereClient): the text, billed tokens and finish reason', async () => {
    server.reply({ json: v1ChatResponse() });
    expect((await v1.chat({ model: V1_MODEL, message: 'Weather in Paris?' })).text).to.equal('It is sunny in Paris.');
    server.reply({ raw: v1ChatStream(), contentType: 'application/stream+json' });
    for await (const _ of await v1.chatStream({ model: V1_MODEL, message: 'Weather?' })) void _;
    const spans = llmSpans(await tracing.spans());
    expect(
      spans.map((s) => [
        s.name,
        s.status.code,
        s.attributes['llm.input_messages.0.message.content'],
        s.attributes['llm.output_messages.0.message.content'],
        s.attributes['llm.token_count.prompt'],
        s.attributes['llm.token_count.completion'],
        s.attributes['llm.finish_reason'],
      ]),
    ).to.deep.equal([
      [`chat ${V1_MODEL}`, SpanStatusCode.OK, 'Weather in Paris?', 'It is sunny in Paris.', 19, 7, 'COMPLETE'],
      [`chat ${V1_MODEL}`, SpanStatusCode.OK, 'Weather?', 'It is sunny.', 11, 4, 'COMPLETE'],
    ]);
  });
});
