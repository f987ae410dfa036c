import { expect } from 'chai';
import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import type OpenAIType from 'openai';
import type { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { InfiniumSpanProcessor } from '../../lib/processor/span-processor';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, useInstrumentation } from '../helpers/tracing';
import { chatCompletion } from '../providers/openai/fixtures';
import { withoutLatency } from './genai-fixtures';

/** Foreign spans from the real @opentelemetry/instrumentation-openai, around the real openai SDK. */
describe('InfiniumSpanProcessor with @opentelemetry/instrumentation-openai', () => {
  const processor = new InfiniumSpanProcessor({ serviceName: 'svc' });
  const tracing = createTracing([processor]);
  const tracer = tracing.provider.getTracer('app');
  let ours: InfiniumInstrumentation;
  let theirs: OpenAIInstrumentation;
  let server: FakeLlmServer;
  let client: OpenAIType;

  before(async () => {
    ours = useInstrumentation(tracing).instrumentation;
    ours.disable();
    theirs = new OpenAIInstrumentation({ enabled: false });
    theirs.setTracerProvider(tracing.provider);
    theirs.enable();
    const OpenAI: typeof OpenAIType = require('openai').OpenAI;
    server = await startFakeLlmServer();
    client = new OpenAI({ apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1', fetch: server.fetch, maxRetries: 0 });
  });
  after(async () => {
    theirs.disable();
    ours.enable();
    await server.stop();
    await processor.shutdown();
  });
  beforeEach(() => tracing.reset());

  const inRoot = <T>(fn: () => Promise<T>) =>
    tracer.startActiveSpan('root', async (root) => {
      try {
        return await fn();
      } finally {
        root.end();
      }
    });

  it('turns its chat span into an OpenInference + Infinium LLM span and counts it', async () => {
    server.reply({ json: chatCompletion() });
    await inRoot(() => client.chat.completions.create({ model: 'gpt-4o-mini', temperature: 0.2, max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] }));
    const spans = await tracing.spans();
    expect(spans.map((s) => [s.name, s.instrumentationScope.name])).to.deep.equal([
      ['chat gpt-4o-mini', '@opentelemetry/instrumentation-openai'],
      ['root', 'app'],
    ]);
    const [chat, root] = spans;
    const a = chat.attributes;
    expect(a).to.deep.include({
      'gen_ai.operation.name': 'chat',
      'openinference.span.kind': 'LLM',
      'llm.provider': 'openai',
      'llm.system': 'openai',
      'llm.model_name': 'gpt-4o-mini-2024-07-18',
      'llm.model': 'gpt-4o-mini-2024-07-18',
      'llm.temperature': 0.2,
      'llm.invocation_parameters': '{"model":"gpt-4o-mini","temperature":0.2,"max_tokens":50}',
      'llm.token_count.prompt': 19,
      'llm.token_count.completion': 10,
      'llm.token_count.total': 29,
      'llm.prompt_tokens': 19,
      'llm.completion_tokens': 10,
      'llm.finish_reason': 'stop',
    });
    expect(a['llm.latency_ms']).to.be.a('number');
    expect(root.attributes['infinium.llm_call_count']).to.equal(1);
  });

  it('turns its embeddings span into an EMBEDDING span, not counted as an LLM call', async () => {
    server.reply({
      json: { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.5, -0.25] }], model: 'text-embedding-3-small', usage: { prompt_tokens: 4, total_tokens: 4 } },
    });
    await inRoot(() => client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello', encoding_format: 'float' }));
    const [embedding, root] = await tracing.spans();
    expect(embedding.name).to.equal('embeddings text-embedding-3-small');
    expect(withoutLatency(embedding.attributes)).to.deep.equal({
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.system': 'openai',
      'server.address': 'api.openai.com',
      'server.port': 443,
      'gen_ai.request.encoding_formats': ['float'],
      'gen_ai.response.model': 'text-embedding-3-small',
      'openinference.span.kind': 'EMBEDDING',
      'llm.provider': 'openai',
      'llm.system': 'openai',
      'embedding.model_name': 'text-embedding-3-small',
      'llm.model': 'text-embedding-3-small',
    });
    expect(root.attributes['infinium.llm_call_count']).to.equal(0);
  });
});
