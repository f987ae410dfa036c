import { expect } from 'chai';
import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { AlwaysOffSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import type OpenAIType from 'openai';
import { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { DURATION_BUCKETS, TOKEN_BUCKETS } from '../../lib/semconv/genai-metrics';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, useInstrumentation } from '../helpers/tracing';
import { loadOpenAI, openaiClient } from '../providers/openai/client';
import { chatCompletion, chatStream } from '../providers/openai/fixtures';
import { histogram, TestReader } from './histogram-reader';

/* The GenAI client metrics our instrumentation records for its own calls (OpenAI chat here). */

const OPENAI_CHAT = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
  'server.address': 'api.openai.com',
};

describe('GenAI client metrics', () => {
  const tracing = createTracing();
  let instrumentation: InfiniumInstrumentation;
  let server: FakeLlmServer;
  let OpenAI: typeof OpenAIType;
  let client: OpenAIType;
  let reader: TestReader;

  before(async () => {
    instrumentation = useInstrumentation(tracing).instrumentation;
    OpenAI = loadOpenAI();
    server = await startFakeLlmServer();
    client = openaiClient(OpenAI, server);
  });
  beforeEach(() => {
    tracing.reset();
    reader = new TestReader();
    instrumentation.setMeterProvider(new MeterProvider({ readers: [reader] }));
  });
  after(() => {
    instrumentation.setMeterProvider(metrics.getMeterProvider());
    return server.stop();
  });

  it('without a MeterProvider there are no metrics objects at all', () => {
    expect(new InfiniumInstrumentation({ enabled: false }).genAiMetrics).to.equal(undefined);
    instrumentation.setMeterProvider(metrics.getMeterProvider());
    expect(instrumentation.genAiMetrics).to.equal(undefined);
  });

  it('token usage and duration for a chat call, with the advised buckets and no content', async () => {
    server.reply({ json: chatCompletion() });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'secret prompt' }] });
    const tokens = await histogram(reader, 'gen_ai.client.token.usage');
    expect(tokens.map((p) => [p.attributes, p.count, p.sum])).to.deep.equal([
      [{ ...OPENAI_CHAT, 'gen_ai.token.type': 'input' }, 1, 19],
      [{ ...OPENAI_CHAT, 'gen_ai.token.type': 'output' }, 1, 10],
    ]);
    expect(tokens[0].boundaries).to.deep.equal(TOKEN_BUCKETS);
    expect(TOKEN_BUCKETS).to.deep.equal(Array.from({ length: 14 }, (_, i) => 4 ** i));
    const duration = await histogram(reader, 'gen_ai.client.operation.duration');
    expect(duration.map((p) => [p.attributes, p.count])).to.deep.equal([[OPENAI_CHAT, 1]]);
    // In seconds (milliseconds would be in the hundreds); the bound is loose for a busy machine.
    expect(duration[0].sum).to.be.greaterThan(0).and.below(20);
    expect(duration[0].boundaries).to.deep.equal(DURATION_BUCKETS);
    expect(await histogram(reader, 'gen_ai.client.operation.time_to_first_chunk')).to.deep.equal([]);
  });

  it('a stream also records the time to the first chunk', async () => {
    server.reply({ sse: chatStream() });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Hi' }] });
    for await (const _ of stream) void _;
    const first = await histogram(reader, 'gen_ai.client.operation.time_to_first_chunk');
    expect(first.map((p) => [p.attributes, p.count])).to.deep.equal([[OPENAI_CHAT, 1]]);
    const [duration] = await histogram(reader, 'gen_ai.client.operation.duration');
    expect(first[0].sum).to.be.greaterThan(0).and.at.most(duration.sum);
    expect((await histogram(reader, 'gen_ai.client.token.usage')).map((p) => p.sum)).to.deep.equal([12, 7]);
  });

  it('a failed call: duration with error.type, no token usage', async () => {
    server.reply({ status: 400, json: { error: { message: 'bad', type: 'invalid_request_error' } } });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }).catch(() => undefined);
    const duration = await histogram(reader, 'gen_ai.client.operation.duration');
    const { 'gen_ai.response.model': _none, ...requestOnly } = OPENAI_CHAT;
    expect(duration.map((p) => [p.attributes, p.count])).to.deep.equal([[{ ...requestOnly, 'error.type': 'BadRequestError' }, 1]]);
    expect(await histogram(reader, 'gen_ai.client.token.usage')).to.deep.equal([]);
  });

  it('a call whose span the sampler drops is still measured', async () => {
    instrumentation.setTracerProvider(new TracerProvider({ sampler: new AlwaysOffSampler() }));
    try {
      server.reply({ json: chatCompletion() });
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
      expect(await tracing.spans()).to.deep.equal([]);
      expect((await histogram(reader, 'gen_ai.client.token.usage')).map((p) => [p.attributes, p.sum])).to.deep.equal([
        [{ ...OPENAI_CHAT, 'gen_ai.token.type': 'input' }, 19],
        [{ ...OPENAI_CHAT, 'gen_ai.token.type': 'output' }, 10],
      ]);
    } finally {
      instrumentation.setTracerProvider(tracing.provider);
    }
  });

  it('metrics whatever the conventions (GenAI alone here)', async () => {
    instrumentation.setConfig({ semconv: 'gen_ai' });
    try {
      server.reply({ json: chatCompletion() });
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
      expect((await histogram(reader, 'gen_ai.client.token.usage')).map((p) => p.sum)).to.deep.equal([19, 10]);
    } finally {
      instrumentation.setConfig({});
    }
  });
});
