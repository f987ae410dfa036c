import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { FakeLlmServer } from '../../helpers/fake-llm-server';
import { llmSpans, stable } from '../../helpers/tracing';
import { LLM, LLM_INPUT, LLM_SPAN, prediction, running, VERSION } from './fixtures';
import { useReplicateSuite } from './suite';

/** `predictions.create`, `get` and `wait` called by the app itself (not inside `run`/`stream`). */
describe('replicate: predictions called by the app', () => {
  const { suite, tracing, client, answerInTurn } = useReplicateSuite();
  let server: FakeLlmServer;
  before(() => ({ server } = suite));
  const onlySpan = () => suite.onlySpan();

  it('predictions.create is its own span; predictions.get is a status read; wait is the span with the result', async () => {
    const replicate = client();
    server.reply({ json: running('starting') });
    const created = await replicate.predictions.create({ version: VERSION, input: LLM_INPUT });
    let spans = llmSpans(await tracing.spans());
    expect(spans).to.have.length(1);
    expect(spans[0].name).to.equal(`generate_content ${VERSION}`);
    expect(spans[0].attributes['llm.model_name']).to.equal(`${LLM}:${VERSION}`);
    expect(spans[0].attributes['llm.output_messages.0.message.content']).to.equal(undefined);

    tracing.reset();
    server.reply({ json: running('processing') });
    await replicate.predictions.get(created.id);
    expect(llmSpans(await tracing.spans())).to.have.length(0);

    answerInTurn({ json: running('processing') }, { json: prediction() });
    const done = await replicate.wait(created, { interval: 5 });
    expect(done.status).to.equal('succeeded');
    spans = llmSpans(await tracing.spans());
    expect(spans).to.have.length(1);
    expect(stable(spans[0])).to.deep.equal(LLM_SPAN);
  });

  it('predictions.create with wait: the finished prediction in one span', async () => {
    server.reply({ json: prediction() });
    await client().predictions.create({ model: LLM, input: LLM_INPUT, wait: true });
    expect(stable(await onlySpan())).to.deep.equal(LLM_SPAN);
  });

  it("predictions.create's span has the client's baseUrl as its server (GenAI server.address/port)", async () => {
    suite.instrumentation.setConfig({ semconv: 'openinference,gen_ai' });
    server.reply({ json: prediction() });
    await client().predictions.create({ model: LLM, input: LLM_INPUT, wait: true });
    const a = (await onlySpan()).attributes;
    expect([a['server.address'], a['server.port']]).to.deep.equal(['127.0.0.1', Number(new URL(server.origin).port)]);
  });

  it('predictions.create answering a failed prediction: the app gets it as it is, the span is ERROR', async () => {
    server.reply({ json: prediction({ status: 'failed', output: null, error: 'CUDA out of memory', metrics: {} }) });
    const created = await client().predictions.create({ model: LLM, input: LLM_INPUT, wait: true });
    expect(created.status).to.equal('failed');
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.status.message).to.equal('Prediction failed: CUDA out of memory');
    expect(span.attributes['error.type']).to.equal('Error');
  });
});
