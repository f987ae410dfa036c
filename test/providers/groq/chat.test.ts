import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type GroqType from 'groq-sdk';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { useProviderSuite } from '../../helpers/provider-suite';
import { createTracing, expectAbandoned, llmSpans, onlyChildSpan } from '../../helpers/tracing';
import type { InfiniumInstrumentation } from '../../../lib/instrumentation/instrumentation';
import { groqCompletion, groqStream } from './fixtures';

const API_KEY = 'sk-test-secret-123';
const REQUEST = { model: 'llama-3.3-70b-versatile', messages: [{ role: 'user' as const, content: 'Weather in Paris?' }] };

describe('groq-sdk chat.completions.create', () => {
  const tracing = createTracing([new InfiniumSpanProcessor()]);
  let instrumentation: InfiniumInstrumentation;
  let Groq: typeof GroqType;
  let server: FakeLlmServer;
  let client: GroqType;

  useProviderSuite(
    async (i) => {
      instrumentation = i;
      Groq = require('groq-sdk').Groq;
      server = await startFakeLlmServer();
      client = new Groq({ apiKey: API_KEY, baseURL: 'https://api.groq.com', fetch: server.fetch, maxRetries: 0 });
      return { server };
    },
    { tracing, resetConfig: true },
  );

  it('records one LLM span with provider groq, usage and the invocation parameters, under the active span', async () => {
    server.reply({ json: groqCompletion() });
    const result = await tracing.inParent('agent', () => client.chat.completions.create({ ...REQUEST, temperature: 0.4, max_tokens: 64 }));
    expect(result.choices[0].message.content).to.equal('Hello from Groq!');
    expect(server.requests.at(-1)!.path).to.equal('/openai/v1/chat/completions');
    const span = await onlyChildSpan(tracing, 'chat llama-3.3-70b-versatile');
    const { 'llm.latency_ms': latency, ...rest } = span.attributes;
    expect(latency).to.be.a('number').and.greaterThan(0);
    expect(rest).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'groq',
      'llm.system': 'openai',
      'llm.model_name': 'llama-3.3-70b-versatile',
      'llm.model': 'llama-3.3-70b-versatile',
      'llm.temperature': 0.4,
      'llm.invocation_parameters': '{"model":"llama-3.3-70b-versatile","temperature":0.4,"max_tokens":64}',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Weather in Paris?',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Hello from Groq!',
      'input.value': 'Weather in Paris?',
      'input.mime_type': 'text/plain',
      'output.value': 'Hello from Groq!',
      'output.mime_type': 'text/plain',
      'llm.token_count.prompt': 21,
      'llm.token_count.completion': 6,
      'llm.token_count.total': 27,
      'llm.prompt_tokens': 21,
      'llm.completion_tokens': 6,
      // llama-3.3-70b-versatile on Groq, 0.59 input / 0.79 output per million: 21 × 0.59 / 1e6, 6 × 0.79 / 1e6.
      'llm.cost.prompt': 0.00001239,
      'llm.cost.completion': 0.00000474,
      'llm.cost.total': 0.00001713,
      'llm.finish_reason': 'stop',
    });
    expect((await tracing.spans()).find((s) => s.name === 'agent')!.attributes['infinium.llm_call_count']).to.equal(1);
  });

  it('streams: content and tool-call deltas assembled, usage from x_groq.usage on the last chunk', async () => {
    server.reply({ sse: groqStream() });
    const stream = await client.chat.completions.create({ ...REQUEST, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).to.equal('Let me check.');
    const [span] = llmSpans(await tracing.spans());
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes).to.deep.include({
      'llm.provider': 'groq',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Let me check.',
      'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'call_g1',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"city":"Paris"}',
      'llm.finish_reason': 'tool_calls',
      'llm.token_count.prompt': 33,
      'llm.token_count.completion': 14,
      'llm.token_count.total': 47,
      'llm.prompt_tokens': 33,
      'llm.completion_tokens': 14,
    });
  });

  it('break ends the span once, as abandoned, with what was read', async () => {
    server.reply({ sse: groqStream() });
    const stream = await client.chat.completions.create({ ...REQUEST, stream: true });
    let n = 0;
    for await (const _ of stream) if (++n === 2) break;
    const [span, ...others] = llmSpans(await tracing.spans());
    expect(others).to.have.length(0);
    expectAbandoned(span, 'Let me ');
    expect(span.attributes['llm.token_count.prompt']).to.equal(undefined);
  });

  it('a connection dropped mid-stream ends the span as ERROR, partial output kept, the error reaching the app', async () => {
    server.reply({ sse: groqStream(), dropAfter: 3 });
    let caught: unknown;
    let text = '';
    try {
      const stream = await client.chat.completions.create({ ...REQUEST, stream: true });
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(Error);
    expect(text).to.equal('Let me check.');
    const [span] = llmSpans(await tracing.spans());
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).to.equal((caught as Error).constructor.name);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Let me check.');
  });

  for (const [status, errorClass] of [
    [400, 'BadRequestError'],
    [429, 'RateLimitError'],
  ] as const) {
    it(`HTTP ${status}: ERROR with error.type ${errorClass}, the SDK's own error reaching the app`, async () => {
      server.reply({ status, json: { error: { message: `failed with ${status}`, type: 'invalid_request_error' } } });
      const promise = client.chat.completions.create(REQUEST);
      const caught = await promise.then(() => undefined, (err: unknown) => err);
      expect(caught).to.be.instanceOf((Groq as unknown as Record<string, new () => Error>)[errorClass]);
      expect(await promise.then(() => undefined, (err: unknown) => err)).to.equal(caught);
      const [span] = llmSpans(await tracing.spans());
      expect(span.status.code).to.equal(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).to.equal(errorClass);
      expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
      expect(span.events[0].attributes?.['exception.message']).to.equal((caught as Error).message);
    });
  }

  it('masking applies: hidden inputs and outputs are redacted, counts stay', async () => {
    instrumentation.setConfig({ hideInputs: true, hideOutputs: true });
    server.reply({ json: groqCompletion() });
    await client.chat.completions.create(REQUEST);
    const [span] = llmSpans(await tracing.spans());
    const text = JSON.stringify(span.attributes);
    expect(text).not.to.contain('Weather in Paris?');
    expect(text).not.to.contain('Hello from Groq!');
    expect(span.attributes['input.value']).to.equal('__REDACTED__');
    expect(span.attributes['output.value']).to.equal('__REDACTED__');
    expect(span.attributes['llm.token_count.total']).to.equal(27);
    expect(text).not.to.contain(API_KEY);
  });

  it('.withResponse() still gives the data and the raw response', async () => {
    server.reply({ json: groqCompletion() });
    const { data, response } = await client.chat.completions.create(REQUEST).withResponse();
    expect(data.id).to.equal('chatcmpl-groq-1');
    expect(response.status).to.equal(200);
    const [span] = llmSpans(await tracing.spans());
    expect(span.attributes['llm.token_count.total']).to.equal(27);
  });
});
