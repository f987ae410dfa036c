import { expect } from 'chai';
import path from 'node:path';
import { SpanStatusCode } from '@opentelemetry/api';
import type * as HfModule from '@huggingface/inference';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { useProviderSuite } from '../../helpers/provider-suite';
import { createTracing, expectAbandoned, llmSpans, onlyChildSpan, stable } from '../../helpers/tracing';
import { providerMapping, CHAT_MODEL, chatResponse, chatStream, EMBED_MODEL, HF_TOKEN, huggingFaceRoutes, TOGETHER_MODEL, VECTOR_A, VECTOR_B } from './fixtures';

const MESSAGES = [{ role: 'user', content: 'Weather in Paris?' }];
const TOOLS = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];

describe('@huggingface/inference (CommonJS build)', function () {
  this.timeout(30_000);
  const tracing = createTracing([new InfiniumSpanProcessor()]);
  let hf: typeof HfModule;
  let server: FakeLlmServer;
  /** Requests to huggingface.co and its router reach the fake (real HTTP, its own origin). */
  let options: { fetch: typeof fetch };

  const suite = useProviderSuite(
    async () => {
      hf = require('@huggingface/inference');
      server = await startFakeLlmServer();
      server.handle(huggingFaceRoutes());
      options = { fetch: server.fetch };
      return { server };
    },
    { tracing, resetConfig: true },
  );
  beforeEach(() => {
    server.handle(huggingFaceRoutes());
    server.requests.length = 0;
  });

  it('InferenceClient.chatCompletion routed to a named provider: one LLM span, provider together, exact tokens', async () => {
    const client = new hf.InferenceClient(HF_TOKEN);
    const result = await tracing.inParent('agent', () =>
      client.chatCompletion({ provider: 'together', model: CHAT_MODEL, messages: MESSAGES, tools: TOOLS, temperature: 0.2, max_tokens: 64 }, options),
    );
    expect(result.choices[0].message.content).to.equal('Hello from Llama!');
    expect(server.requests.map((r) => r.path)).to.deep.equal([`/api/models/${CHAT_MODEL}?expand[]=inferenceProviderMapping`, '/together/v1/chat/completions']);
    const span = await onlyChildSpan(tracing, `chat ${CHAT_MODEL}`);
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'together',
      'llm.system': 'huggingface',
      'llm.model_name': TOGETHER_MODEL,
      'llm.model': TOGETHER_MODEL,
      'llm.temperature': 0.2,
      'llm.invocation_parameters': JSON.stringify({ model: CHAT_MODEL, temperature: 0.2, max_tokens: 64 }),
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Weather in Paris?',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Hello from Llama!',
      'llm.tools.0.tool.json_schema': JSON.stringify(TOOLS[0]),
      'input.value': 'Weather in Paris?',
      'input.mime_type': 'text/plain',
      'output.value': 'Hello from Llama!',
      'output.mime_type': 'text/plain',
      'llm.token_count.prompt': 21,
      'llm.token_count.completion': 6,
      'llm.token_count.total': 27,
      'llm.prompt_tokens': 21,
      'llm.completion_tokens': 6,
      'llm.finish_reason': 'stop',
      'llm.cost.prompt': 0.00001848,
      'llm.cost.completion': 0.00000528,
      'llm.cost.total': 0.00002376,
    });
    expect((await tracing.spans()).find((s) => s.name === 'agent')!.attributes['infinium.llm_call_count']).to.equal(1);
    expect(JSON.stringify([span.name, span.attributes, span.events])).not.to.contain(HF_TOKEN);
  });

  it('a standalone chatCompletion to an endpointUrl: provider hf-inference, the endpoint as server, tool calls out', async () => {
    const toolCall = { id: 'call_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } };
    server.handle(huggingFaceRoutes(() => ({ json: chatResponse({ role: 'assistant', content: null, tool_calls: [toolCall] }, 'tool_calls') })));
    const messages = [
      { role: 'user', content: 'And Lyon?' },
      { role: 'assistant', content: '', tool_calls: [toolCall] },
      { role: 'tool', tool_call_id: 'call_9', content: '12°C' },
    ];
    await hf.chatCompletion({ endpointUrl: `${server.origin}/v1/`, accessToken: HF_TOKEN, model: 'tgi', messages } as never);
    expect(server.requests.at(-1)!.path).to.equal('/v1/chat/completions');
    const span = await suite.onlySpan();
    const a = span.attributes;
    expect([a['llm.provider'], a['llm.system'], a['llm.finish_reason']]).to.deep.equal(['hf-inference', 'huggingface', 'tool_calls']);
    expect(a['llm.input_messages.1.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
    expect(a['llm.input_messages.2.message.tool_call_id']).to.equal('call_9');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.id']).to.equal('call_9');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":"Lyon"}');
    expect(a['llm.invocation_parameters']).to.equal('{"model":"tgi"}');
    expect(JSON.stringify([span.name, span.attributes, span.events])).not.to.contain(HF_TOKEN);
  });

  it("no provider named: the SDK's auto router, recorded as provider huggingface; HfInference is the same wrapper", async () => {
    await new hf.HfInference(HF_TOKEN).chatCompletion({ model: CHAT_MODEL, messages: MESSAGES }, options);
    expect(server.requests.map((r) => r.path)).to.deep.equal(['/v1/chat/completions']);
    const span = await suite.onlySpan();
    expect([span.name, span.attributes['llm.provider'], span.attributes['llm.token_count.total']]).to.deep.equal([`chat ${CHAT_MODEL}`, 'huggingface', 27]);
  });

  it('GenAI conventions: the routed provider, the router or the endpoint as server address', async () => {
    suite.instrumentation.setConfig({ semconv: 'openinference,gen_ai' });
    await hf.chatCompletion({ provider: 'together', model: CHAT_MODEL, messages: MESSAGES, accessToken: HF_TOKEN }, options);
    await hf.chatCompletion({ endpointUrl: `${server.origin}/v1`, model: 'tgi', messages: MESSAGES });
    const [routed, endpoint] = llmSpans(await tracing.spans()).map((s) => s.attributes);
    const keys = (a: typeof routed) => [a['gen_ai.operation.name'], a['gen_ai.provider.name'], a['server.address'], a['server.port'], a['gen_ai.usage.input_tokens']];
    expect(keys(routed)).to.deep.equal(['chat', 'together', 'router.huggingface.co', 443, 21]);
    expect(keys(endpoint)).to.deep.equal(['chat', 'hf-inference', '127.0.0.1', Number(new URL(server.origin).port), 21]);
  });

  it('concurrent requests through functions and client methods: one span each, each under its own parent', async () => {
    const client = new hf.InferenceClient(HF_TOKEN);
    const request = { provider: 'together' as const, model: CHAT_MODEL, messages: MESSAGES };
    await Promise.all([
      tracing.inParent('a', () => client.chatCompletion(request, options)),
      tracing.inParent('b', () => hf.chatCompletion({ ...request, accessToken: HF_TOKEN }, options)),
      tracing.inParent('c', () => client.endpoint(`${server.origin}/v1`).chatCompletion({ model: 'tgi', messages: MESSAGES })),
    ]);
    const spans = await tracing.spans();
    const parentOf = (id: string | undefined) => spans.find((s) => s.spanContext().spanId === id)?.name;
    expect(llmSpans(spans).map((s) => parentOf(s.parentSpanContext?.spanId)).sort()).to.deep.equal(['a', 'b', 'c']);
  });

  it('textGeneration to an endpoint: a text_completion span with the prompt, TGI parameters flattened, the text out, the usage the SDK drops', async () => {
    const client = new hf.InferenceClient(HF_TOKEN, { endpointUrl: server.origin });
    const result = await tracing.inParent('agent', () =>
      client.textGeneration({ model: 'tgi', inputs: 'Once upon', parameters: { max_new_tokens: 8, temperature: 0.7 } }),
    );
    expect(result.generated_text).to.equal(' a quick brown fox.');
    expect(server.requests.at(-1)!.path).to.equal('/v1/completions');
    expect(stable(await onlyChildSpan(tracing, 'text_completion tgi'))).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'hf-inference',
      'llm.system': 'huggingface',
      'llm.model_name': 'tgi',
      'llm.model': 'tgi',
      'llm.temperature': 0.7,
      'llm.invocation_parameters': '{"model":"tgi","max_new_tokens":8,"temperature":0.7}',
      'llm.prompts': ['Once upon'],
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': ' a quick brown fox.',
      'input.value': 'Once upon',
      'input.mime_type': 'text/plain',
      'output.value': ' a quick brown fox.',
      'output.mime_type': 'text/plain',
      'llm.token_count.prompt': 5,
      'llm.token_count.completion': 8,
      'llm.token_count.total': 13,
      'llm.prompt_tokens': 5,
      'llm.completion_tokens': 8,
    });
  });

  it('textGeneration answered in TGI shape with details: the finish reason and generated_tokens as the completion count', async () => {
    const tgi = [{ generated_text: 'Paris.', details: { finish_reason: 'eos_token', generated_tokens: 3, seed: null, prefill: [], tokens: [] } }];
    server.handle(huggingFaceRoutes((r) => {
      if (r.path.startsWith('/api/models/gpt2')) return { json: providerMapping('gpt2', 'novita', 'gpt2', 'text-generation') };
      return r.path.startsWith('/novita/') ? { json: tgi } : undefined;
    }));
    const result = await hf.textGeneration({ provider: 'novita', model: 'gpt2', inputs: 'Capital of France?', accessToken: HF_TOKEN }, options);
    expect(result).to.deep.equal(tgi[0]);
    const a = (await suite.onlySpan()).attributes;
    expect([a['llm.provider'], a['llm.output_messages.0.message.content'], a['llm.finish_reason'], a['llm.token_count.completion'], a['llm.token_count.prompt']]).to.deep.equal([
      'novita', 'Paris.', 'eos_token', 3, undefined,
    ]);
  });

  it('featureExtraction: an EMBEDDING span with the texts and their vectors, never a vector as content', async () => {
    const single = await tracing.inParent('agent', () => hf.featureExtraction({ provider: 'hf-inference', model: EMBED_MODEL, inputs: 'alpha', accessToken: HF_TOKEN }, options));
    expect(single).to.deep.equal(VECTOR_A);
    // No provider named: the one the SDK's `auto` routing resolved (the hub's mapping) is recorded.
    const batch = await new hf.InferenceClient(HF_TOKEN).featureExtraction({ model: EMBED_MODEL, inputs: ['alpha', 'beta'], normalize: true }, options);
    expect(batch).to.deep.equal([VECTOR_A, VECTOR_B]);
    const [one, two] = llmSpans(await tracing.spans());
    expect(stable(one)).to.deep.equal({
      'openinference.span.kind': 'EMBEDDING',
      'llm.provider': 'hf-inference',
      'llm.system': 'huggingface',
      'embedding.model_name': EMBED_MODEL,
      'llm.model': EMBED_MODEL,
      'llm.invocation_parameters': JSON.stringify({ model: EMBED_MODEL }),
      'embedding.embeddings.0.embedding.text': 'alpha',
      'embedding.embeddings.0.embedding.vector': VECTOR_A,
      'input.value': 'alpha',
      'input.mime_type': 'text/plain',
    });
    expect(two.attributes['llm.provider']).to.equal('hf-inference');
    expect(two.attributes['embedding.embeddings.1.embedding.text']).to.equal('beta');
    expect(two.attributes['embedding.embeddings.1.embedding.vector']).to.deep.equal(VECTOR_B);
    expect(two.attributes['llm.invocation_parameters']).to.equal(JSON.stringify({ model: EMBED_MODEL, normalize: true }));
    expect(JSON.stringify([one.attributes['output.value'], two.attributes['output.value']])).not.to.contain('0.125');
  });

  it('masking: hidden inputs and outputs never reach the span; token counts stay', async () => {
    suite.instrumentation.setConfig({ hideInputs: true, hideOutputs: true, hideEmbeddingsText: true, hideEmbeddingsVectors: true });
    await hf.chatCompletion({ provider: 'together', model: CHAT_MODEL, messages: MESSAGES, accessToken: HF_TOKEN }, options);
    await hf.featureExtraction({ provider: 'hf-inference', model: EMBED_MODEL, inputs: 'alpha', accessToken: HF_TOKEN }, options);
    const [chat, embed] = llmSpans(await tracing.spans());
    // Text values only: a timing (`llm.latency_ms`: 50.125…) may spell a vector's digits.
    const text = JSON.stringify([chat.attributes, embed.attributes].flatMap((a) => Object.values(a).filter((v) => typeof v === 'string')));
    for (const content of ['Weather in Paris?', 'Hello from Llama!', 'alpha']) expect(text).not.to.contain(content);
    expect(Object.keys(embed.attributes).filter((key) => key.includes('vector') || Array.isArray(embed.attributes[key]))).to.deep.equal([]);
    expect(embed.attributes['embedding.embeddings.0.embedding.text']).to.equal('__REDACTED__');
    expect(chat.attributes['input.value']).to.equal('__REDACTED__');
    expect(chat.attributes['llm.token_count.total']).to.equal(27);
  });

  it('disable() restores every task function and request function; enable() patches them again', async () => {
    // The request functions' file, which the package's `exports` does not expose.
    const requests = require(path.join(path.dirname(require.resolve('@huggingface/inference')), 'utils', 'request.js'));
    const wrapped = hf.chatCompletion;
    const madeBefore = new hf.InferenceClient(HF_TOKEN);
    suite.instrumentation.disable();
    try {
      expect(hf.chatCompletion).to.not.equal(wrapped);
      for (const task of ['chatCompletion', 'chatCompletionStream', 'textGeneration', 'textGenerationStream', 'featureExtraction'] as const) {
        expect((hf[task] as { __original?: unknown }).__original, task).to.equal(undefined);
      }
      for (const name of ['innerRequest', 'innerStreamingRequest']) expect(requests[name].__original, name).to.equal(undefined);
      await hf.chatCompletion({ provider: 'together', model: CHAT_MODEL, messages: MESSAGES, accessToken: HF_TOKEN }, options);
      await madeBefore.chatCompletion({ provider: 'together', model: CHAT_MODEL, messages: MESSAGES }, options);
      expect(llmSpans(await tracing.spans())).to.have.length(0);
    } finally {
      suite.instrumentation.enable();
    }
    expect((hf.chatCompletion as { __original?: unknown }).__original).to.be.a('function');
    for (const name of ['innerRequest', 'innerStreamingRequest']) expect(requests[name].__original, name).to.be.a('function');
    await hf.chatCompletion({ provider: 'together', model: CHAT_MODEL, messages: MESSAGES, accessToken: HF_TOKEN }, options);
    expect(llmSpans(await tracing.spans())).to.have.length(1);
  });
});
