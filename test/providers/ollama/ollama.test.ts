import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { Ollama as OllamaType } from 'ollama';
import type { InfiniumInstrumentation } from '../../../lib/instrumentation/instrumentation';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { useProviderSuite } from '../../helpers/provider-suite';
import { createTracing, expectAbandoned, llmSpans, onlyChildSpan } from '../../helpers/tracing';
import { chatResponse, chatStream, embeddingsResponse, embedResponse, FakeOllama, generateResponse, generateStream } from './fake-ollama';

const CHAT = { model: 'llama3.2', messages: [{ role: 'user', content: 'Weather in Paris?' }] };

describe('ollama (native client)', () => {
  const tracing = createTracing([new InfiniumSpanProcessor()]);
  let instrumentation: InfiniumInstrumentation;
  let ollama: typeof import('ollama');
  let server: FakeOllama;
  let client: OllamaType;

  const { onlySpan } = useProviderSuite(
    async (i) => {
      instrumentation = i;
      ollama = require('ollama');
      server = await new FakeOllama().start();
      client = new ollama.Ollama({ host: server.origin });
      return { server };
    },
    { tracing, resetConfig: true },
  );

  it('chat: one LLM span with provider ollama, options flattened into the parameters, eval counts as tokens', async () => {
    server.reply({ json: chatResponse() });
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const result = await tracing.inParent('agent', () => client.chat({ ...CHAT, tools, options: { temperature: 0.3, num_predict: 64 }, keep_alive: '5m' }));
    expect(result.message.content).to.equal('Hello from llama!');
    expect(server.requests.at(-1)!.path).to.equal('/api/chat');
    const span = await onlyChildSpan(tracing, 'chat llama3.2');
    const { 'llm.latency_ms': latency, ...rest } = span.attributes;
    expect(latency).to.be.a('number').and.greaterThan(0);
    expect(rest).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'ollama',
      'llm.system': 'ollama',
      'llm.model_name': 'llama3.2',
      'llm.model': 'llama3.2',
      'llm.temperature': 0.3,
      'llm.invocation_parameters': '{"model":"llama3.2","keep_alive":"5m","temperature":0.3,"num_predict":64}',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Weather in Paris?',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Hello from llama!',
      'llm.tools.0.tool.json_schema': JSON.stringify(tools[0]),
      'input.value': 'Weather in Paris?',
      'input.mime_type': 'text/plain',
      'output.value': 'Hello from llama!',
      'output.mime_type': 'text/plain',
      'llm.token_count.prompt': 26,
      'llm.token_count.completion': 9,
      'llm.token_count.total': 35,
      'llm.prompt_tokens': 26,
      'llm.completion_tokens': 9,
      'llm.finish_reason': 'stop',
    });
    expect((await tracing.spans()).find((s) => s.name === 'agent')!.attributes['infinium.llm_call_count']).to.equal(1);
  });

  it('chat: tool results in, tool calls (object arguments) out', async () => {
    server.reply({ json: chatResponse({ role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Lyon' } } }] }) });
    await client.chat({
      model: 'llama3.2',
      messages: [
        { role: 'user', content: 'And Lyon?' },
        { role: 'tool', content: '12°C', tool_name: 'get_weather' },
      ],
    });
    const a = (await onlySpan()).attributes;
    expect(a['llm.input_messages.1.message.role']).to.equal('tool');
    expect(a['llm.input_messages.1.message.name']).to.equal('get_weather');
    expect(a['llm.input_messages.1.message.content']).to.equal('12°C');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":"Lyon"}');
  });

  it('chat stream: the SDK object is kept, content and tool calls assembled, counts from the done line', async () => {
    server.reply({ ndjson: chatStream() });
    const stream = await client.chat({ ...CHAT, stream: true });
    expect(stream.constructor.name).to.equal('AbortableAsyncIterator');
    let text = '';
    for await (const part of stream) text += part.message.content;
    expect(text).to.equal('Let me check.');
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes).to.deep.include({
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Let me check.',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"city":"Paris"}',
      'llm.token_count.prompt': 26,
      'llm.token_count.completion': 9,
      'llm.token_count.total': 35,
      'llm.finish_reason': 'stop',
    });
  });

  it('generate, plain and streamed: prompt and system in, text out', async () => {
    server.reply({ json: generateResponse() });
    const plain = await client.generate({ model: 'qwen2.5-coder', prompt: 'def add', system: 'Write Python.', options: { temperature: 0 } });
    expect(plain.response).to.equal('def add(a, b):');
    server.reply({ ndjson: generateStream() });
    let text = '';
    for await (const part of await client.generate({ model: 'qwen2.5-coder', prompt: 'def add', stream: true })) text += part.response;
    expect(text).to.equal('def add(a, b):');
    const [first, second] = llmSpans(await tracing.spans());
    for (const span of [first, second]) {
      expect(span.name).to.equal('text_completion qwen2.5-coder');
      expect(span.attributes).to.deep.include({
        'llm.prompts': ['def add'],
        'input.value': 'def add',
        'llm.output_messages.0.message.content': 'def add(a, b):',
        'output.value': 'def add(a, b):',
        'llm.token_count.prompt': 26,
        'llm.token_count.completion': 9,
      });
    }
    expect(first.attributes['llm.input_messages.0.message.role']).to.equal('system');
    expect(first.attributes['llm.input_messages.0.message.content']).to.equal('Write Python.');
    expect(first.attributes['llm.temperature']).to.equal(0);
    expect(first.attributes['llm.finish_reason']).to.equal('stop');
    expect(second.attributes['llm.finish_reason']).to.equal('length');
  });

  it('embed: an EMBEDDING span with the texts, the vectors and the prompt count', async () => {
    server.reply({ json: embedResponse() });
    const result = await client.embed({ model: 'nomic-embed-text', input: ['alpha', 'beta'] });
    expect(result.embeddings).to.have.length(2);
    const span = await onlySpan();
    expect(span.name).to.equal('embeddings nomic-embed-text');
    expect(span.attributes).to.deep.include({
      'openinference.span.kind': 'EMBEDDING',
      'llm.provider': 'ollama',
      'embedding.model_name': 'nomic-embed-text',
      'embedding.embeddings.0.embedding.text': 'alpha',
      'embedding.embeddings.1.embedding.text': 'beta',
      'llm.token_count.prompt': 8,
    });
    expect(span.attributes['embedding.embeddings.0.embedding.vector']).to.deep.equal([0.25, -0.5]);
    expect(span.attributes['embedding.embeddings.1.embedding.vector']).to.deep.equal([0.125, 1]);
  });

  it('embeddings (legacy): an EMBEDDING span with the prompt as text and the one vector', async () => {
    server.reply({ json: embeddingsResponse() });
    const result = await tracing.inParent('agent', () => client.embeddings({ model: 'nomic-embed-text', prompt: 'alpha', options: { temperature: 0 }, keep_alive: '1m' }));
    expect(result).to.deep.equal(embeddingsResponse());
    expect(server.requests.at(-1)!.path).to.equal('/api/embeddings');
    const spans = await tracing.spans();
    const span = await onlySpan();
    expect(span.name).to.equal('embeddings nomic-embed-text');
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.parentSpanContext?.spanId).to.equal(spans.find((s) => s.name === 'agent')!.spanContext().spanId);
    const { 'llm.latency_ms': latency, ...rest } = span.attributes;
    expect(latency).to.be.a('number');
    expect(rest).to.deep.equal({
      'openinference.span.kind': 'EMBEDDING',
      'llm.provider': 'ollama',
      'llm.system': 'ollama',
      'embedding.model_name': 'nomic-embed-text',
      'llm.model': 'nomic-embed-text',
      'llm.temperature': 0,
      'llm.invocation_parameters': '{"model":"nomic-embed-text","keep_alive":"1m","temperature":0}',
      'embedding.embeddings.0.embedding.text': 'alpha',
      'embedding.embeddings.0.embedding.vector': [0.5, -0.25, 0.125],
      'input.value': 'alpha',
      'input.mime_type': 'text/plain',
    });
    expect(spans.find((s) => s.name === 'agent')!.attributes['infinium.llm_call_count']).to.equal(0);
  });

  it('break ends the span once, as abandoned, with what was read', async () => {
    server.reply({ ndjson: chatStream() });
    const stream = await client.chat({ ...CHAT, stream: true });
    for await (const _ of stream) break;
    const span = await onlySpan();
    expectAbandoned(span, 'Let me ');
  });

  for (const [how, abort] of [
    ['stream.abort()', (stream: { abort(): void }) => stream.abort()],
    ['client.abort()', () => client.abort()],
  ] as const) {
    it(`${how} mid-stream ends the span as abandoned; the SDK's AbortError reaches the app`, async () => {
      server.reply({ ndjson: chatStream(), holdAfter: 1 });
      const stream = await client.chat({ ...CHAT, stream: true });
      let caught: unknown;
      let text = '';
      try {
        for await (const part of stream) {
          text += part.message.content;
          abort(stream);
        }
      } catch (err) {
        caught = err;
      }
      expect((caught as Error)?.name).to.equal('AbortError');
      expect(text).to.equal('Let me ');
      const span = await onlySpan();
      expectAbandoned(span, 'Let me ');
    });
  }

  it('a connection dropped mid-stream ends the span as ERROR, partial output kept', async () => {
    server.reply({ ndjson: chatStream(), dropAfter: 2 });
    let caught: unknown;
    let text = '';
    try {
      for await (const part of await client.chat({ ...CHAT, stream: true })) text += part.message.content;
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(Error);
    expect(text).to.equal('Let me check.');
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).to.equal((caught as Error).constructor.name);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Let me check.');
  });

  for (const status of [400, 429]) {
    for (const stream of [false, true]) {
      it(`HTTP ${status}${stream ? ' (stream: true)' : ''}: ERROR with error.type ResponseError, the SDK's own error reaching the app`, async () => {
        server.reply({ status, json: { error: `model "nope" failed with ${status}` } });
        const promise = client.chat({ ...CHAT, model: 'nope', stream } as never) as Promise<unknown>;
        const caught = await promise.then(() => undefined, (err: unknown) => err);
        expect(caught).to.be.instanceOf(Error);
        expect((caught as Error).constructor.name).to.equal('ResponseError');
        expect((caught as { status_code?: number }).status_code).to.equal(status);
        expect((caught as Error).message).to.equal(`model "nope" failed with ${status}`);
        const span = await onlySpan();
        expect(span.status.code).to.equal(SpanStatusCode.ERROR);
        expect(span.attributes['error.type']).to.equal('ResponseError');
        expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
      });
    }
  }

  it('masking applies: hidden inputs, outputs and embedding texts never reach the span', async () => {
    instrumentation.setConfig({ hideInputs: true, hideOutputs: true, hideEmbeddingsText: true });
    server.reply({ json: chatResponse() });
    await client.chat(CHAT);
    server.reply({ json: embedResponse() });
    await client.embed({ model: 'nomic-embed-text', input: 'alpha' });
    const [chatSpan, embedSpan] = llmSpans(await tracing.spans());
    const text = JSON.stringify([chatSpan.attributes, embedSpan.attributes]);
    for (const content of ['Weather in Paris?', 'Hello from llama!', 'alpha']) expect(text).not.to.contain(content);
    expect(chatSpan.attributes['input.value']).to.equal('__REDACTED__');
    expect(chatSpan.attributes['llm.token_count.total']).to.equal(35);
  });

  it('the ESM build (its own copy of the class) is patched through its namespace', async () => {
    const ns = await import('ollama');
    expect((ns as unknown as Record<symbol, unknown>)[Symbol.toStringTag]).to.equal('Module');
    expect(ns.Ollama).to.not.equal(ollama.Ollama);
    instrumentation.manuallyInstrument(ns);
    server.reply({ json: chatResponse() });
    await new ns.Ollama({ host: server.origin }).chat(CHAT);
    expect((await onlySpan()).attributes['llm.provider']).to.equal('ollama');
  });
});
