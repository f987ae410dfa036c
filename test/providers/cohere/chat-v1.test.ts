import { expect } from 'chai';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { STREAM_ABANDONED_EVENT } from '../../../lib/instrumentation/llm-call';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, onlyChildSpan, llmSpans, onlySpan as onlySpanOf, stable, useInstrumentation } from '../../helpers/tracing';
import { API_KEY, CohereSdk, V1_MODEL, v1ChatResponse, v1ChatStream, v1Client } from './fixtures';

const V1_TOOL = { name: 'get_weather', description: 'Weather by city', parameterDefinitions: { city: { type: 'str', description: 'The city', required: true } } };

describe('cohere-ai v1 chat (CohereClient.chat, chatStream)', () => {
  const tracing = createTracing();
  let server: FakeLlmServer;
  let sdk: CohereSdk;
  let client: any;

  before(async function () {
    // cohere-ai is ~730 files: its first require, through every require hook of a full test run, is slow.
    this.timeout(60_000);
    useInstrumentation(tracing);
    sdk = require('cohere-ai');
    server = await startFakeLlmServer();
    client = v1Client(sdk, server.origin);
  });
  after(() => server.stop());
  beforeEach(() => tracing.reset());

  const onlySpan = () => onlySpanOf(tracing);

  it('chat: one LLM span; preamble, history with tool calls and results, tools, the new message; billed tokens', async () => {
    server.reply({ json: v1ChatResponse() });
    const response: any = await tracing.inParent('agent', () =>
      client.chat({
        model: V1_MODEL,
        preamble: 'Be brief.',
        chatHistory: [
          { role: 'USER', message: 'Weather in Paris?' },
          { role: 'CHATBOT', message: '', toolCalls: [{ name: 'get_weather', parameters: { city: 'Paris' } }] },
          { role: 'TOOL', toolResults: [{ call: { name: 'get_weather', parameters: { city: 'Paris' } }, outputs: [{ sky: 'sunny' }] }] },
        ],
        message: 'And now?',
        tools: [V1_TOOL],
        temperature: 0.3,
        maxTokens: 100,
        conversationId: 'conv-1',
      }),
    );
    expect(response.text).to.equal('It is sunny in Paris.');
    expect(response.meta.billedUnits).to.deep.equal({ inputTokens: 19, outputTokens: 7 });
    expect(server.requests.at(-1)!.path).to.equal('/v1/chat');
    const span = await onlyChildSpan(tracing, `chat ${V1_MODEL}`);
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'cohere',
      'llm.system': 'cohere',
      'llm.model_name': V1_MODEL,
      'llm.model': V1_MODEL,
      'llm.temperature': 0.3,
      'llm.invocation_parameters': `{"model":"${V1_MODEL}","temperature":0.3,"maxTokens":100,"conversationId":"conv-1"}`,
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'Be brief.',
      'llm.input_messages.1.message.role': 'user',
      'llm.input_messages.1.message.content': 'Weather in Paris?',
      'llm.input_messages.2.message.role': 'assistant',
      'llm.input_messages.2.message.content': '',
      'llm.input_messages.2.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments': '{"city":"Paris"}',
      'llm.input_messages.3.message.role': 'tool',
      'llm.input_messages.3.message.name': 'get_weather',
      'llm.input_messages.3.message.content': '[{"sky":"sunny"}]',
      'llm.input_messages.4.message.role': 'user',
      'llm.input_messages.4.message.content': 'And now?',
      'llm.tools.0.tool.json_schema': JSON.stringify(V1_TOOL),
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'It is sunny in Paris.',
      'input.value':
        '[{"role":"system","content":"Be brief."},{"role":"user","content":"Weather in Paris?"},{"role":"assistant","content":"","toolCalls":[{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}]},{"role":"tool","name":"get_weather","content":"[{\\"sky\\":\\"sunny\\"}]"},{"role":"user","content":"And now?"}]',
      'input.mime_type': 'application/json',
      'output.value': 'It is sunny in Paris.',
      'output.mime_type': 'text/plain',
      'llm.token_count.prompt': 19,
      'llm.token_count.completion': 7,
      'llm.token_count.total': 26,
      'llm.prompt_tokens': 19,
      'llm.completion_tokens': 7,
      // command-r-plus-08-2024, per million: 2.50 input, 10.00 output. 19 × 2.5 / 1e6, 7 × 10 / 1e6.
      'llm.cost.prompt': 0.0000475,
      'llm.cost.completion': 0.00007,
      'llm.cost.total': 0.0001175,
      'llm.finish_reason': 'COMPLETE',
    });
    expect(JSON.stringify(span.attributes)).not.to.contain(API_KEY);
  });

  it('chat: tool calls in the answer (no ids in v1); a turn of tool results alone has no user message; used tokens when nothing is billed', async () => {
    server.reply({
      json: v1ChatResponse({ text: '', tool_calls: [{ name: 'get_weather', parameters: { city: 'Oslo' } }], finish_reason: 'COMPLETE', meta: { tokens: { input_tokens: 40, output_tokens: 5 } } }),
    });
    await client.chat({ model: V1_MODEL, message: '', toolResults: [{ call: { name: 'get_weather', parameters: { city: 'Oslo' } }, outputs: [{ sky: 'snow' }] }] });
    const a = (await onlySpan()).attributes;
    expect(Object.keys(a).filter((k) => k.startsWith('llm.input_messages.'))).to.deep.equal([
      'llm.input_messages.0.message.role',
      'llm.input_messages.0.message.name',
      'llm.input_messages.0.message.content',
    ]);
    expect(a).to.deep.include({
      'llm.input_messages.0.message.role': 'tool',
      'llm.input_messages.0.message.content': '[{"sky":"snow"}]',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"city":"Oslo"}',
      'llm.token_count.prompt': 40,
      'llm.token_count.completion': 5,
      'llm.token_count.total': 45,
    });
    expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.id']).to.equal(undefined);
  });

  it('chat error: ERROR with the SDK error class, the SDK error reaching the app', async () => {
    server.reply({ status: 429, json: { message: 'rate limited' } });
    const error = await client.chat({ model: V1_MODEL, message: 'x' }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(sdk.Cohere.TooManyRequestsError);
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).to.equal('TooManyRequestsError');
  });

  it('chatStream: the text as it came, then stream-end’s response, usage and finish reason; span OK at the end', async () => {
    server.reply({ raw: v1ChatStream(), contentType: 'application/stream+json' });
    const stream = await client.chatStream({ model: V1_MODEL, message: 'Weather?' });
    const types: string[] = [];
    for await (const event of stream) types.push(event.eventType);
    expect(types).to.deep.equal(['stream-start', 'text-generation', 'text-generation', 'stream-end']);
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'cohere',
      'llm.system': 'cohere',
      'llm.model_name': V1_MODEL,
      'llm.model': V1_MODEL,
      'llm.invocation_parameters': `{"model":"${V1_MODEL}"}`,
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Weather?',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'It is sunny.',
      'input.value': 'Weather?',
      'input.mime_type': 'text/plain',
      'output.value': 'It is sunny.',
      'output.mime_type': 'text/plain',
      'llm.token_count.prompt': 11,
      'llm.token_count.completion': 4,
      'llm.token_count.total': 15,
      'llm.prompt_tokens': 11,
      'llm.completion_tokens': 4,
      // command-r-plus-08-2024: 11 × 2.5 / 1e6, 4 × 10 / 1e6.
      'llm.cost.prompt': 0.0000275,
      'llm.cost.completion': 0.00004,
      'llm.cost.total': 0.0000675,
      'llm.finish_reason': 'COMPLETE',
    });
  });

  it('chatStream: break ends the span once, as abandoned, with the text read so far', async () => {
    server.reply({ raw: v1ChatStream(), contentType: 'application/stream+json' });
    let n = 0;
    for await (const _ of await client.chatStream({ model: V1_MODEL, message: 'Weather?' })) if (++n === 2) break;
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.UNSET);
    expect(span.events.map((e) => e.name)).to.deep.equal([STREAM_ABANDONED_EVENT]);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('It is ');
    expect(span.attributes['llm.token_count.prompt']).to.equal(undefined);
  });

  it('CohereClientV2 is unchanged: its chat is one v2 span, not a v1 one', async () => {
    server.reply({ json: { id: 'x', finish_reason: 'COMPLETE', message: { role: 'assistant', content: [{ type: 'text', text: 'Hi' }] }, usage: {} } });
    await new sdk.CohereClientV2({ token: API_KEY, environment: server.origin, maxRetries: 0 }).chat({ model: V1_MODEL, messages: [{ role: 'user', content: 'x' }] });
    const spans = llmSpans(await tracing.spans());
    expect(spans.map((s) => [s.name, s.attributes['llm.output_messages.0.message.content']])).to.deep.equal([[`chat ${V1_MODEL}`, 'Hi']]);
    expect(server.requests.at(-1)!.path).to.equal('/v2/chat');
  });
});
