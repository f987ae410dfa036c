import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type * as HfModule from '@huggingface/inference';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { llmSpansAfterCollection } from '../../helpers/gc';
import { rejectionsOf, settle } from '../../helpers/rejections';
import { useProviderSuite } from '../../helpers/provider-suite';
import { expectAbandoned, llmSpans, onlyChildSpan } from '../../helpers/tracing';
import { CHAT_MODEL, chatStream, HF_TOKEN, huggingFaceRoutes, tgiTokenStream } from './fixtures';

const MESSAGES = [{ role: 'user', content: 'Weather in Paris?' }];

describe('@huggingface/inference streams and errors (CommonJS build)', function () {
  this.timeout(30_000);
  let hf: typeof HfModule;
  let server: FakeLlmServer;
  let client: HfModule.InferenceClient;
  const suite = useProviderSuite(async () => {
    hf = require('@huggingface/inference');
    server = await startFakeLlmServer();
    client = new hf.InferenceClient('', { endpointUrl: `${server.origin}/v1` });
    return { server };
  });
  beforeEach(() => server.handle(huggingFaceRoutes()));

  const stream = () => client.chatCompletionStream({ model: 'tgi', messages: MESSAGES, temperature: 0 });

  it('chatCompletionStream read to its end: one span with the assembled text, the tool call and the usage chunk', async () => {
    let text = '';
    await suite.tracing.inParent('agent', async () => {
      for await (const chunk of stream()) text += chunk.choices[0]?.delta?.content ?? '';
    });
    expect(text).to.equal('Let me check.');
    const a = (await onlyChildSpan(suite.tracing, 'chat tgi')).attributes;
    expect([a['llm.provider'], a['llm.output_messages.0.message.content'], a['llm.finish_reason'], a['llm.temperature']]).to.deep.equal([
      'hf-inference', 'Let me check.', 'tool_calls', 0,
    ]);
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.id']).to.equal('call_1');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":"Paris"}');
    expect([a['llm.token_count.prompt'], a['llm.token_count.completion'], a['llm.token_count.total']]).to.deep.equal([30, 13, 43]);
  });

  it('the generator read with next() calls: the same one span, OK at the end', async () => {
    const generator = hf.chatCompletionStream({ endpointUrl: `${server.origin}/v1`, model: 'tgi', messages: MESSAGES });
    let chunks = 0;
    while (!(await generator.next()).done) chunks++;
    expect(chunks).to.equal(5);
    const span = await suite.onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes['llm.token_count.total']).to.equal(43);
    expect(Object.prototype.toString.call(generator)).to.equal('[object AsyncGenerator]');
  });

  it('break after the first chunk: the span ends as abandoned with the text read so far', async () => {
    server.handle(() => ({ sse: chatStream(), holdAfter: 1 }));
    for await (const chunk of stream()) {
      expect(chunk.choices[0].delta.content).to.equal('Let me ');
      break;
    }
    expectAbandoned(await suite.onlySpan(), 'Let me ');
  });

  it("return(value) and throw(error) on the generator answer as the SDK's own: the same value, the same error object", async () => {
    server.handle(() => ({ sse: chatStream(), holdAfter: 1 }));
    const returned = stream();
    expect((await returned.next()).value.choices[0].delta.content).to.equal('Let me ');
    expect(await returned.return('bye' as never)).to.deep.equal({ done: true, value: 'bye' });
    expect(await returned.next()).to.deep.equal({ done: true, value: undefined });
    const thrown = stream();
    await thrown.next();
    const appError = new TypeError('the app gave up');
    expect(await thrown.throw(appError).then(() => undefined, (err: unknown) => err)).to.equal(appError);
    const spans = llmSpans(await suite.tracing.spans());
    expect(spans).to.have.length(2);
    for (const span of spans) expectAbandoned(span, 'Let me ');
  });

  it('a failing call nobody awaits: its span ends ERROR, and the app sees the same unhandled rejections as without us', async () => {
    server.handle(() => ({ status: 500, json: { error: 'down' } }));
    const scenario = async () => {
      void hf.chatCompletion({ endpointUrl: `${server.origin}/v1`, model: 'tgi', messages: MESSAGES }, { retry_on_error: false });
      await settle();
    };
    const untraced = await rejectionsOf(suite.instrumentation, false, scenario);
    expect(untraced).to.deep.equal(['unhandled InferenceClientProviderApiError']);
    expect(await rejectionsOf(suite.instrumentation, true, scenario)).to.deep.equal(untraced);
    const span = await suite.onlySpan();
    expect([span.status.code, span.attributes['error.type']]).to.deep.equal([SpanStatusCode.ERROR, 'InferenceClientProviderApiError']);
  });

  it("the app's abort signal mid-stream: abandoned, and the SDK's AbortError reaches the app", async () => {
    server.handle(() => ({ sse: chatStream(), holdAfter: 1 }));
    const controller = new AbortController();
    let text = '';
    const caught = await (async () => {
      for await (const chunk of client.chatCompletionStream({ model: 'tgi', messages: MESSAGES }, { signal: controller.signal })) {
        text += chunk.choices[0]?.delta?.content ?? '';
        controller.abort();
      }
    })().then(() => undefined, (err: unknown) => err);
    expect((caught as Error).name).to.equal('AbortError');
    expect(text).to.equal('Let me ');
    expectAbandoned(await suite.onlySpan(), 'Let me ');
  });

  it('a connection dropped mid-stream: ERROR, and the SDK error reaches the app', async () => {
    server.handle(() => ({ sse: chatStream(), dropAfter: 2 }));
    let text = '';
    const caught = await (async () => {
      for await (const chunk of stream()) text += chunk.choices[0]?.delta?.content ?? '';
    })().then(() => undefined, (err: unknown) => err);
    expect(caught).to.be.instanceOf(Error);
    expect(text).to.equal('Let me check.');
    const span = await suite.onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Let me check.');
  });

  it('a stream dropped unread ends its span as abandoned when it is collected', async () => {
    stream();
    const spans = await llmSpansAfterCollection(suite.tracing);
    expect(spans).to.have.length(1);
    expectAbandoned(spans[0]);
  });

  it('textGenerationStream, OpenAI completion chunks: one text_completion span with the joined text and the usage chunk', async () => {
    let text = '';
    for await (const chunk of hf.textGenerationStream({ endpointUrl: server.origin, model: 'tgi', inputs: 'Once upon', parameters: { max_new_tokens: 8 } })) {
      text += (chunk as unknown as { choices: Array<{ text: string }> }).choices[0]?.text ?? '';
    }
    expect(text).to.equal(' a quick brown fox.');
    const a = (await suite.onlySpan()).attributes;
    expect([a['llm.prompts'], a['llm.output_messages.0.message.content'], a['llm.finish_reason'], a['llm.token_count.total']]).to.deep.equal([
      ['Once upon'], ' a quick brown fox.', 'length', 13,
    ]);
    expect(a['llm.invocation_parameters']).to.equal('{"model":"tgi","max_new_tokens":8}');
  });

  it("textGenerationStream, TGI's token events: the tokens' text without special tokens, details' finish reason and count", async () => {
    server.handle(() => ({ sse: tgiTokenStream() }));
    const events = [];
    for await (const event of client.textGenerationStream({ model: 'tgi', inputs: 'Capital of France?' })) events.push(event);
    expect(events).to.have.length(3);
    const a = (await suite.onlySpan()).attributes;
    expect([a['llm.output_messages.0.message.content'], a['llm.finish_reason'], a['llm.token_count.completion'], a['llm.token_count.prompt']]).to.deep.equal([
      'Paris.', 'eos_token', 3, undefined,
    ]);
  });

  it('an error event inside the stream: ERROR with the SDK error, the text before it kept', async () => {
    server.handle(() => ({ sse: [chatStream()[0], { data: { error: 'Model is overloaded' } }] }));
    const caught = await (async () => {
      for await (const _ of stream()) void _;
    })().then(() => undefined, (err: unknown) => err);
    expect(caught).to.be.instanceOf(hf.InferenceClientProviderApiError);
    const span = await suite.onlySpan();
    expect([span.status.code, span.attributes['error.type'], span.attributes['llm.output_messages.0.message.content']]).to.deep.equal([
      SpanStatusCode.ERROR, 'InferenceClientProviderApiError', 'Let me ',
    ]);
  });

  for (const [status, streamed] of [[429, false], [500, false], [429, true], [503, true]] as const) {
    it(`HTTP ${status}${streamed ? ' on a stream' : ''}: ERROR with the SDK's own error class, the same error object for the app`, async () => {
      const body = { error: `Rate limit or failure ${status}` };
      server.handle(huggingFaceRoutes((r) => (r.path.startsWith('/together/') ? { status, json: body } : undefined)));
      const request = { provider: 'together' as const, model: CHAT_MODEL, messages: MESSAGES, accessToken: HF_TOKEN };
      const options = { fetch: server.fetch, retry_on_error: false };
      const caught = await (streamed
        ? (async () => {
            for await (const _ of hf.chatCompletionStream(request, options)) void _;
          })()
        : hf.chatCompletion(request, options)
      ).then(() => undefined, (err: unknown) => err);
      expect(caught).to.be.instanceOf(hf.InferenceClientProviderApiError);
      expect((caught as HfModule.InferenceClientProviderApiError).httpResponse.status).to.equal(status);
      const span = await suite.onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).to.equal('InferenceClientProviderApiError');
      expect(span.attributes['exception.message'] ?? span.events[0].attributes?.['exception.message']).to.equal(`Failed to perform inference: ${body.error}`);
      expect(span.attributes['llm.provider']).to.equal('together');
      expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
      expect(JSON.stringify([span.attributes, span.events, span.status])).not.to.contain(HF_TOKEN);
    });
  }
});
