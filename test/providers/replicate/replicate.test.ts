import { expect } from 'chai';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type ReplicateClass from 'replicate';
import type { FakeLlmServer } from '../../helpers/fake-llm-server';
import { llmSpansAfterCollection } from '../../helpers/gc';
import { expectAbandoned, llmSpans, stable } from '../../helpers/tracing';
import { STREAM_ABANDONED_EVENT } from '../../../lib/instrumentation/llm-call';
import { API_TOKEN, errorResponse, imagePrediction, LLM, LLM_INPUT, LLM_SPAN, prediction, running, textEvents, VERSION } from './fixtures';
import { useReplicateSuite } from './suite';

type Fn = ((...args: unknown[]) => unknown) & { __wrapped?: boolean };

describe('replicate', () => {
  const { suite, tracing, client, answerInTurn } = useReplicateSuite();
  let server: FakeLlmServer;
  let Replicate: typeof ReplicateClass;
  before(() => ({ server, Replicate } = suite));
  const onlySpan = () => suite.onlySpan();


  it('run (blocking): one LLM span with the prompt, parameters, joined output and token metrics', async () => {
    server.reply({ json: prediction() });
    const output = await tracing.inParent('agent', () => client().run(LLM, { input: LLM_INPUT }));
    expect(output).to.deep.equal(['Hello', ' there', '!']);
    const spans = await tracing.spans();
    const [span] = llmSpans(spans);
    expect(llmSpans(spans)).to.have.length(1);
    expect(span.name).to.equal(`generate_content ${LLM}`);
    expect(span.kind).to.equal(SpanKind.CLIENT);
    expect(span.parentSpanContext?.spanId).to.equal(spans.find((s) => s.name === 'agent')!.spanContext().spanId);
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(stable(span)).to.deep.equal(LLM_SPAN);
    const request = server.requests[0];
    expect([request.method, request.path, request.headers.prefer]).to.deep.equal(['POST', `/v1/models/${LLM}/predictions`, 'wait']);
    expect(request.headers.authorization).to.equal(`Bearer ${API_TOKEN}`);
    expect(JSON.stringify(span.attributes)).not.to.contain(API_TOKEN);
  });

  it('GenAI conventions: provider replicate, operation generate_content, usage, the baseUrl as server', async () => {
    suite.instrumentation.setConfig({ semconv: 'openinference,gen_ai' });
    server.reply({ json: prediction() });
    await client().run(LLM, { input: LLM_INPUT });
    const a = (await onlySpan()).attributes;
    const port = Number(new URL(server.origin).port);
    expect([a['gen_ai.provider.name'], a['gen_ai.operation.name'], a['gen_ai.request.model'], a['gen_ai.usage.input_tokens'], a['gen_ai.usage.output_tokens'], a['gen_ai.response.id']]).to.deep.equal(
      ['replicate', 'generate_content', LLM, 12, 5, 'gm3qorzdhgbfurvjtvhg6dckhu'],
    );
    expect([a['server.address'], a['server.port']]).to.deep.equal(['127.0.0.1', port]);
  });

  it('run (polling): one span for create and every poll, output and tokens from the finished prediction', async () => {
    answerInTurn({ json: running('starting') }, { json: running('processing') }, { json: prediction() });
    const output = await client().run(`${LLM}:${VERSION}`, { input: LLM_INPUT, wait: { mode: 'poll', interval: 5 } });
    expect(output).to.deep.equal(['Hello', ' there', '!']);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal([
      'POST /v1/predictions',
      'GET /v1/predictions/gm3qorzdhgbfurvjtvhg6dckhu',
      'GET /v1/predictions/gm3qorzdhgbfurvjtvhg6dckhu',
    ]);
    const span = await onlySpan();
    expect(span.name).to.equal(`generate_content ${LLM}:${VERSION}`);
    expect(stable(span)).to.deep.equal({ ...LLM_SPAN, 'llm.model_name': `${LLM}:${VERSION}`, 'llm.model': `${LLM}:${VERSION}` });
  });

  it('concurrent polling runs on one client: each span gets its own prediction (the context, not a flag)', async () => {
    // Each prediction id answers with its own output once polled.
    server.handle((req) => {
      const id = req.method === 'POST' ? `p-${req.body.input.prompt}` : req.path.split('/').at(-1)!;
      return { json: req.method === 'POST' ? prediction({ id, status: 'starting', output: null, metrics: {} }) : prediction({ id, output: [`answer to ${id}`] }) };
    });
    const replicate = client();
    const outputs = await Promise.all(['a', 'b', 'c'].map((prompt) => replicate.run(LLM, { input: { prompt }, wait: { mode: 'poll', interval: 5 } })));
    expect(outputs).to.deep.equal([['answer to p-a'], ['answer to p-b'], ['answer to p-c']]);
    const spans = llmSpans(await tracing.spans());
    const seen = spans.map((s) => [s.attributes['llm.input_messages.0.message.content'], s.attributes['output.value']]).sort();
    expect(seen).to.deep.equal([['a', 'answer to p-a'], ['b', 'answer to p-b'], ['c', 'answer to p-c']]);
  });

  it('a client built before the instrumentation was enabled: run is still one span, with its text output', async () => {
    suite.instrumentation.disable();
    const early = client();
    suite.instrumentation.enable();
    server.reply({ json: prediction() });
    await early.run(LLM, { input: LLM_INPUT });
    const a = (await onlySpan()).attributes;
    expect([a['llm.input_messages.1.message.content'], a['output.value'], a['llm.token_count.total']]).to.deep.equal(['Say hello', 'Hello there!', undefined]);
  });

  it('an image model: still one span, its prompt in, the image out as an image part, no tokens', async () => {
    server.reply({ json: imagePrediction() });
    // The SDK fetches each file output (FileOutput) at once: the CDN's URL is answered by the fake, never the internet.
    const fetchLocally = (url: string | URL | Request, init?: RequestInit) => fetch(`${server.origin}${new URL(url instanceof Request ? url.url : url).pathname}`, init);
    const replicate = new Replicate({ auth: API_TOKEN, baseUrl: `${server.origin}/v1`, fetch: fetchLocally });
    const output = await replicate.run('black-forest-labs/flux-schnell', { input: { prompt: 'A red fox', num_outputs: 1, aspect_ratio: '1:1' } });
    expect((output as unknown[]).map(String)).to.deep.equal(['https://replicate.delivery/xezq/fox.webp']);
    const a = (await onlySpan()).attributes;
    expect(a['llm.input_messages.0.message.content']).to.equal('A red fox');
    expect(a['llm.invocation_parameters']).to.equal('{"num_outputs":1,"aspect_ratio":"1:1"}');
    expect(a['llm.output_messages.0.message.role']).to.equal('assistant');
    expect(a['llm.output_messages.0.message.contents.0.message_content.type']).to.equal('image');
    expect(a['llm.output_messages.0.message.contents.0.message_content.image.image.url']).to.equal('https://replicate.delivery/xezq/fox.webp');
    expect(a['llm.output_messages.0.message.content']).to.equal(undefined);
    expect(Object.keys(a).filter((k) => k.includes('token'))).to.deep.equal([]);
  });

  it('a failed prediction: run throws the SDK\'s error, the span is ERROR with it', async () => {
    server.reply({ json: prediction({ status: 'failed', output: null, error: 'CUDA out of memory' }) });
    const caught = await client().run(LLM, { input: LLM_INPUT }).then(() => undefined, (err: unknown) => err);
    expect((caught as Error).message).to.equal('Prediction failed: CUDA out of memory');
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.status.message).to.equal('Prediction failed: CUDA out of memory');
    expect(span.attributes['llm.token_count.total']).to.equal(17);
  });

  it('an HTTP 422: the SDK\'s ApiError rethrown as it is, span ERROR', async () => {
    server.reply(errorResponse(422, 'Input validation failed', 'max_tokens: Must be less than or equal to 4096'));
    const caught = await client().run(LLM, { input: { prompt: 'x', max_tokens: 99999 } }).then(() => undefined, (err: unknown) => err);
    expect((caught as Error).name).to.equal('ApiError');
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).to.equal('ApiError');
    expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
  });

  describe('stream (SSE)', () => {
    const streamServer = (events = textEvents(), pacing = {}) =>
      server.handle((req) => (req.method === 'POST' ? { json: running('starting', server.origin) } : { sse: events, ...pacing }));

    it('one span over create and the event stream: the output text, no tokens', async () => {
      streamServer();
      const seen: string[] = [];
      for await (const event of client().stream(LLM, { input: LLM_INPUT })) if (event.event === 'output') seen.push(String(event));
      expect(seen).to.deep.equal(['Once', ' upon', ' a time.']);
      expect(server.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal([`POST /v1/models/${LLM}/predictions`, 'GET /v1/stream/gm3qorzdhgbfurvjtvhg6dckhu']);
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      const { ['llm.token_count.prompt']: p, ['llm.token_count.completion']: c, ...rest } = stable(span);
      expect([p, c]).to.deep.equal([undefined, undefined]);
      expect(rest['llm.output_messages.0.message.content']).to.equal('Once upon a time.');
      expect(rest['llm.input_messages.1.message.content']).to.equal('Say hello');
    });

    it('break: abandoned, with the text read so far', async () => {
      streamServer(textEvents(), { delayMs: 50 });
      for await (const _ of client().stream(LLM, { input: LLM_INPUT })) break;
      expectAbandoned(await onlySpan(), 'Once');
    });

    it('a stream never read: no request is made, and the span ends as abandoned once it is collected', async () => {
      streamServer();
      (() => void client().stream(LLM, { input: LLM_INPUT }))();
      const spans = await llmSpansAfterCollection(tracing);
      expect(spans).to.have.length(1);
      expect(spans[0].events.map((e) => e.name)).to.deep.equal([STREAM_ABANDONED_EVENT]);
      expect(server.requests).to.have.length(0);
    });

    it('an aborted signal: abandoned', async () => {
      streamServer(textEvents(), { delayMs: 50 });
      const controller = new AbortController();
      const caught = await (async () => {
        for await (const event of client().stream(LLM, { input: LLM_INPUT, signal: controller.signal })) if (event.event === 'output') controller.abort();
      })().then(() => undefined, (err: unknown) => err);
      expect((caught as Error).name).to.equal('AbortError');
      expectAbandoned(await onlySpan(), 'Once');
    });

    it('an error event: the stream errors in the app, the span is ERROR', async () => {
      streamServer([{ event: 'output', data: 'Once' }, { event: 'error', data: 'model crashed' }]);
      let caught: unknown;
      try {
        for await (const _ of client().stream(LLM, { input: LLM_INPUT })) void _;
      } catch (err) {
        caught = err;
      }
      expect((caught as Error).message).to.equal('model crashed');
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.ERROR);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Once');
    });
  });

  it('masking: hidden inputs and outputs are redacted, token counts stay', async () => {
    suite.instrumentation.setConfig({ hideInputs: true, hideOutputs: true });
    server.reply({ json: prediction() });
    await client().run(LLM, { input: LLM_INPUT });
    const span = await onlySpan();
    const text = JSON.stringify(span.attributes);
    expect(text).not.to.contain('Say hello');
    expect(text).not.to.contain('Hello there');
    expect(span.attributes['input.value']).to.equal('__REDACTED__');
    expect(span.attributes['output.value']).to.equal('__REDACTED__');
    expect(span.attributes['llm.token_count.total']).to.equal(17);
  });

  it('disable() puts run/stream/wait back and stops the namespace of existing clients; enable() traces again', async () => {
    const proto = Replicate.prototype as unknown as Record<string, Fn>;
    const existing = client();
    expect(['run', 'stream', 'wait'].map((m) => proto[m].__wrapped)).to.deep.equal([true, true, true]);
    expect(Object.getOwnPropertyDescriptor(proto, 'predictions')?.set).to.be.a('function');
    server.reply({ json: prediction() });
    suite.instrumentation.disable();
    try {
      expect(['run', 'stream', 'wait'].map((m) => proto[m].__wrapped)).to.deep.equal([undefined, undefined, undefined]);
      expect(Object.getOwnPropertyDescriptor(proto, 'predictions')).to.equal(undefined);
      await existing.predictions.create({ model: LLM, input: LLM_INPUT, wait: true });
      await client().run(LLM, { input: LLM_INPUT });
      expect(llmSpans(await tracing.spans())).to.have.length(0);
    } finally {
      suite.instrumentation.enable();
    }
    await existing.predictions.create({ model: LLM, input: LLM_INPUT, wait: true });
    await client().run(LLM, { input: LLM_INPUT });
    expect(llmSpans(await tracing.spans())).to.have.length(2);
  });
});
