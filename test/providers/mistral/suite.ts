import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { InfiniumInstrumentation } from '../../../lib/instrumentation/instrumentation';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { useProviderSuite } from '../../helpers/provider-suite';
import { createTracing, expectAbandoned, onlyChildSpan } from '../../helpers/tracing';
import { chatResponse, chatStream, embeddingsResponse, errorBody, fimResponse } from './fixtures';
import type { MistralMajor } from './load';

const API_KEY = 'sk-test-secret-123';
const TOOL = {
  type: 'function',
  function: { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};
const MESSAGES = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Weather in Paris?' },
  { role: 'assistant', content: '', toolCalls: [{ id: 'call_0', function: { name: 'get_weather', arguments: { city: 'Paris' } } }] },
  { role: 'tool', toolCallId: 'call_0', name: 'get_weather', content: '18°C' },
];
const SHORT = { model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Weather in Paris?' }] };

/** The Mistral suite, run against 1.x here (mistral.test.ts) and against 2.x in a child process (v2.suite.ts). */
export function describeMistral(load: (instrumentation: InfiniumInstrumentation) => Promise<MistralMajor>): void {
  describe(`@mistralai/mistralai ${load.name === 'loadMistralV1' ? '1.x (CommonJS)' : '2.x (ESM)'}`, () => {
    const tracing = createTracing([new InfiniumSpanProcessor()]);
    let instrumentation: InfiniumInstrumentation;
    let major: MistralMajor;
    let server: FakeLlmServer;
    let client: any;

    const { onlySpan } = useProviderSuite(
      async (i) => {
        instrumentation = i;
        major = await load(instrumentation);
        server = await startFakeLlmServer();
        client = new major.Mistral({ apiKey: API_KEY, serverURL: server.origin });
        return { server };
      },
      { tracing, resetConfig: true },
    );

    it('chat.complete: one LLM span, messages with tool calls and results, tools, parameters and usage', async () => {
      server.reply({ json: chatResponse() });
      const result: any = await tracing.inParent('agent', () =>
        client.chat.complete({ model: 'mistral-small-latest', messages: MESSAGES, tools: [TOOL], temperature: 0.2, maxTokens: 64 }),
      );
      expect(result.choices[0].message.content).to.equal('Bonjour !');
      expect(server.requests.at(-1)!.path).to.equal('/v1/chat/completions');
      const span = await onlyChildSpan(tracing, 'chat mistral-small-latest');
      const { 'llm.latency_ms': latency, 'input.value': input, ...rest } = span.attributes;
      expect(latency).to.be.a('number').and.greaterThan(0);
      expect(JSON.parse(input as string)).to.deep.equal([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_0', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
        { role: 'tool', content: '18°C', name: 'get_weather', toolCallId: 'call_0' },
      ]);
      expect(rest).to.deep.equal({
        'openinference.span.kind': 'LLM',
        'llm.provider': 'mistralai',
        'llm.system': 'mistralai',
        'llm.model_name': 'mistral-small-latest',
        'llm.model': 'mistral-small-latest',
        'llm.temperature': 0.2,
        'llm.invocation_parameters': '{"model":"mistral-small-latest","temperature":0.2,"maxTokens":64}',
        'llm.input_messages.0.message.role': 'system',
        'llm.input_messages.0.message.content': 'Be brief.',
        'llm.input_messages.1.message.role': 'user',
        'llm.input_messages.1.message.content': 'Weather in Paris?',
        'llm.input_messages.2.message.role': 'assistant',
        'llm.input_messages.2.message.content': '',
        'llm.input_messages.2.message.tool_calls.0.tool_call.id': 'call_0',
        'llm.input_messages.2.message.tool_calls.0.tool_call.function.name': 'get_weather',
        'llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments': '{"city":"Paris"}',
        'llm.input_messages.3.message.role': 'tool',
        'llm.input_messages.3.message.name': 'get_weather',
        'llm.input_messages.3.message.tool_call_id': 'call_0',
        'llm.input_messages.3.message.content': '18°C',
        'llm.tools.0.tool.json_schema': JSON.stringify(TOOL),
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.content': 'Bonjour !',
        'output.value': 'Bonjour !',
        'output.mime_type': 'text/plain',
        'input.mime_type': 'application/json',
        'llm.token_count.prompt': 17,
        'llm.token_count.completion': 8,
        'llm.token_count.total': 25,
        'llm.prompt_tokens': 17,
        'llm.completion_tokens': 8,
        // mistral-small-latest at 0.10 input / 0.30 output per million: 17 × 0.1 / 1e6, 8 × 0.3 / 1e6.
        'llm.cost.prompt': 0.0000017,
        'llm.cost.completion': 0.0000024,
        'llm.cost.total': 0.0000041,
        'llm.finish_reason': 'stop',
      });
      expect((await tracing.spans()).find((s) => s.name === 'agent')!.attributes['infinium.llm_call_count']).to.equal(1);
    });

    it('chat.complete: a tool call in the response', async () => {
      server.reply({
        json: chatResponse({ role: 'assistant', content: '', tool_calls: [{ id: 'Tq3xYz9Ab', function: { name: 'get_weather', arguments: '{"city": "Lyon"}' } }] }, 'tool_calls'),
      });
      await client.chat.complete({ ...SHORT, tools: [TOOL] });
      const a = (await onlySpan()).attributes;
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.id']).to.equal('Tq3xYz9Ab');
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city": "Lyon"}');
      expect(a['llm.finish_reason']).to.equal('tool_calls');
    });

    it('chat.complete: content chunks in (text, image URL) and out (thinking, text)', async () => {
      server.reply({
        json: chatResponse({
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: [{ type: 'text', text: 'A red square.' }] },
            { type: 'text', text: 'It is red.' },
          ],
        }),
      });
      const image = 'data:image/png;base64,iVBORw0KGgo=';
      await client.chat.complete({
        model: 'mistral-small-latest',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'What colour?' }, { type: 'image_url', imageUrl: image }] }],
      });
      const a = (await onlySpan()).attributes;
      expect(a).to.deep.include({
        'llm.input_messages.0.message.contents.0.message_content.type': 'text',
        'llm.input_messages.0.message.contents.0.message_content.text': 'What colour?',
        'llm.input_messages.0.message.contents.1.message_content.type': 'image',
        'llm.input_messages.0.message.contents.1.message_content.image.image.url': image,
        'llm.output_messages.0.message.contents.0.message_content.type': 'thinking',
        'llm.output_messages.0.message.contents.0.message_content.text': 'A red square.',
        'llm.output_messages.0.message.contents.1.message_content.type': 'text',
        'llm.output_messages.0.message.contents.1.message_content.text': 'It is red.',
      });
    });

    it('chat.stream: the SDK EventStream is kept; content, tool call and usage assembled', async () => {
      server.reply({ sse: chatStream() });
      const stream = await client.chat.stream(SHORT);
      expect(stream).to.be.instanceOf(ReadableStream);
      let text = '';
      for await (const event of stream) text += event.data.choices[0]?.delta?.content ?? '';
      expect(text).to.equal('Let me check.');
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes).to.deep.include({
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.content': 'Let me check.',
        'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'Tq3xYz9Ab',
        'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
        'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"city": "Paris"}',
        'llm.finish_reason': 'tool_calls',
        'llm.token_count.prompt': 31,
        'llm.token_count.completion': 12,
        'llm.token_count.total': 43,
      });
    });

    it('chat.complete with n=2, GenAI conventions on: every choice\'s finish reason, each on its own output message', async () => {
      instrumentation.setConfig({ semconv: 'openinference,gen_ai' });
      const response = chatResponse();
      response.choices = [
        { index: 0, message: { role: 'assistant', content: 'Bonjour !', tool_calls: null }, finish_reason: 'stop' },
        { index: 1, message: { role: 'assistant', content: 'Il fait', tool_calls: null }, finish_reason: 'length' },
      ];
      server.reply({ json: response });
      await client.chat.complete({ ...SHORT, n: 2 });
      const a = (await onlySpan()).attributes;
      expect(a['gen_ai.response.finish_reasons']).to.deep.equal(['stop', 'length']);
      expect(a['llm.finish_reason']).to.equal('stop');
      expect(JSON.parse(a['gen_ai.output.messages'] as string)).to.deep.equal([
        { role: 'assistant', parts: [{ type: 'text', content: 'Bonjour !' }], finish_reason: 'stop' },
        { role: 'assistant', parts: [{ type: 'text', content: 'Il fait' }], finish_reason: 'length' },
      ]);
    });

    it('chat.stream with n=2, GenAI conventions on: the interleaved choices\' finish reasons in choice order', async () => {
      instrumentation.setConfig({ semconv: 'openinference,gen_ai' });
      const chunk = (index: number, delta: Record<string, unknown>, finish: string | null = null) => ({
        data: { id: 'cmpl-stream-2', object: 'chat.completion.chunk', created: 1764576000, model: 'mistral-small-latest', choices: [{ index, delta, finish_reason: finish }] },
      });
      server.reply({
        sse: [
          chunk(0, { role: 'assistant', content: 'Bon' }),
          chunk(1, { role: 'assistant', content: 'Il ' }),
          chunk(1, { content: 'fait' }, 'length'),
          chunk(0, { content: 'jour !' }, 'stop'),
          { data: '[DONE]' },
        ],
      });
      const stream = await client.chat.stream({ ...SHORT, n: 2 });
      for await (const _ of stream) void _;
      const a = (await onlySpan()).attributes;
      expect(a['gen_ai.response.finish_reasons']).to.deep.equal(['stop', 'length']);
      expect(a['llm.finish_reason']).to.equal('stop');
      expect(JSON.parse(a['gen_ai.output.messages'] as string)).to.deep.equal([
        { role: 'assistant', parts: [{ type: 'text', content: 'Bonjour !' }], finish_reason: 'stop' },
        { role: 'assistant', parts: [{ type: 'text', content: 'Il fait' }], finish_reason: 'length' },
      ]);
    });

    it('chat.stream: break ends the span once, as abandoned, with what was read', async () => {
      server.reply({ sse: chatStream() });
      const stream = await client.chat.stream(SHORT);
      let n = 0;
      for await (const _ of stream) if (++n === 2) break;
      const span = await onlySpan();
      expectAbandoned(span, 'Let me ');
    });

    it('chat.stream: a connection dropped mid-stream ends the span as ERROR, partial output kept', async () => {
      server.reply({ sse: chatStream(), dropAfter: 3 });
      let caught: unknown;
      let text = '';
      try {
        for await (const event of await client.chat.stream(SHORT)) text += event.data.choices[0]?.delta?.content ?? '';
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

    it('chat.stream: an abort through fetchOptions.signal ends the span as abandoned', async () => {
      server.reply({ sse: chatStream(), holdAfter: 1 });
      const controller = new AbortController();
      const stream = await client.chat.stream(SHORT, { fetchOptions: { signal: controller.signal } });
      let caught: unknown;
      try {
        for await (const _ of stream) controller.abort();
      } catch (err) {
        caught = err;
      }
      expect((caught as Error)?.name).to.equal('AbortError');
      const span = await onlySpan();
      expectAbandoned(span);
    });

    for (const status of [400, 429]) {
      for (const method of ['complete', 'stream'] as const) {
        it(`chat.${method}, HTTP ${status}: ERROR with error.type SDKError, the SDK's own error reaching the app`, async () => {
          server.reply({ status, json: errorBody(status) });
          const promise: Promise<unknown> = client.chat[method](SHORT);
          const caught = await promise.then(() => undefined, (err: unknown) => err);
          expect(caught).to.be.instanceOf(major.errors.SDKError);
          expect((caught as { statusCode: number }).statusCode).to.equal(status);
          expect(await promise.then(() => undefined, (err: unknown) => err)).to.equal(caught);
          const span = await onlySpan();
          expect(span.status.code).to.equal(SpanStatusCode.ERROR);
          expect(span.attributes['error.type']).to.equal('SDKError');
          expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
          expect(span.events[0].attributes?.['exception.message']).to.equal((caught as Error).message);
          expect(JSON.stringify([span.attributes, span.events])).not.to.contain(API_KEY);
        });
      }
    }

    it('fim.complete: a text_completion span with the prompt; the suffix is not recorded', async () => {
      server.reply({ json: fimResponse() });
      const result: any = await tracing.inParent('agent', () => client.fim.complete({ model: 'codestral-latest', prompt: 'def add(a, b):\n', suffix: 'print(add(1, 2))', temperature: 0 }));
      expect(result.choices[0].message.content).to.equal('    return a + b');
      expect(server.requests.at(-1)!.path).to.equal('/v1/fim/completions');
      const span = await onlySpan();
      expect(span.name).to.equal('text_completion codestral-latest');
      const { 'llm.latency_ms': _latency, ...rest } = span.attributes;
      expect(rest).to.deep.equal({
        'openinference.span.kind': 'LLM',
        'llm.provider': 'mistralai',
        'llm.system': 'mistralai',
        'llm.model_name': 'mistral-small-latest',
        'llm.model': 'mistral-small-latest',
        'llm.temperature': 0,
        'llm.invocation_parameters': '{"model":"codestral-latest","temperature":0}',
        'llm.prompts': ['def add(a, b):\n'],
        'input.value': 'def add(a, b):\n',
        'input.mime_type': 'text/plain',
        'llm.output_messages.0.message.role': 'assistant',
        'llm.output_messages.0.message.content': '    return a + b',
        'output.value': '    return a + b',
        'output.mime_type': 'text/plain',
        'llm.token_count.prompt': 17,
        'llm.token_count.completion': 8,
        'llm.token_count.total': 25,
        'llm.prompt_tokens': 17,
        'llm.completion_tokens': 8,
        // Priced as the model the response names (mistral-small-latest, 0.10 / 0.30 per million).
        'llm.cost.prompt': 0.0000017,
        'llm.cost.completion': 0.0000024,
        'llm.cost.total': 0.0000041,
        'llm.finish_reason': 'length',
      });
    });

    it('embeddings.create: an EMBEDDING span with texts, vectors and usage', async () => {
      server.reply({ json: embeddingsResponse() });
      const result: any = await tracing.inParent('agent', () => client.embeddings.create({ model: 'mistral-embed', inputs: ['alpha', 'beta'] }));
      expect(result.data).to.have.length(2);
      const span = await onlySpan();
      expect(span.name).to.equal('embeddings mistral-embed');
      const { 'llm.latency_ms': _latency, ...rest } = span.attributes;
      expect(rest).to.deep.equal({
        'openinference.span.kind': 'EMBEDDING',
        'llm.provider': 'mistralai',
        'llm.system': 'mistralai',
        'embedding.model_name': 'mistral-embed',
        'llm.model': 'mistral-embed',
        'llm.invocation_parameters': '{"model":"mistral-embed"}',
        'embedding.embeddings.0.embedding.text': 'alpha',
        'embedding.embeddings.0.embedding.vector': [0.5, -0.25],
        'embedding.embeddings.1.embedding.text': 'beta',
        'embedding.embeddings.1.embedding.vector': [0.125, 1],
        'input.value': '["alpha","beta"]',
        'input.mime_type': 'application/json',
        'llm.token_count.prompt': 6,
        'llm.token_count.completion': 0,
        'llm.token_count.total': 6,
        'llm.prompt_tokens': 6,
        'llm.completion_tokens': 0,
        // mistral-embed at 0.10 per million input tokens: 6 × 0.1 / 1e6; no completion.
        'llm.cost.prompt': 0.0000006,
        'llm.cost.completion': 0,
        'llm.cost.total': 0.0000006,
      });
    });

    it('masking applies: hidden inputs and outputs never reach the span', async () => {
      instrumentation.setConfig({ hideInputs: true, hideOutputs: true });
      server.reply({ json: chatResponse() });
      await client.chat.complete({ model: 'mistral-small-latest', messages: MESSAGES });
      const span = await onlySpan();
      const text = JSON.stringify(span.attributes);
      for (const content of ['Be brief.', 'Weather in Paris?', '18°C', 'Bonjour !']) expect(text).not.to.contain(content);
      expect(span.attributes['input.value']).to.equal('__REDACTED__');
      expect(span.attributes['output.value']).to.equal('__REDACTED__');
      expect(span.attributes['llm.token_count.total']).to.equal(25);
    });
  });
}
