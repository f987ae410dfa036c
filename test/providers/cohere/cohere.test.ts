import { expect } from 'chai';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { CohereClientV2 } from 'cohere-ai';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { useProviderSuite } from '../../helpers/provider-suite';
import { createTracing, onlyChildSpan, expectAbandoned, llmSpans, stable } from '../../helpers/tracing';
import { API_KEY, chatResponse, chatStreamEvents, CohereSdk, cohereClient, MODEL, toolCallStreamEvents, WEATHER_TOOL } from './fixtures';

describe('cohere-ai v2: chat and chatStream', () => {
  const tracing = createTracing();
  let server: FakeLlmServer;
  let sdk: CohereSdk;
  let client: CohereClientV2;

  // cohere-ai is ~730 files: its first require, through every require hook of a full test run, is slow.
  const { onlySpan } = useProviderSuite(
    async () => {
      sdk = require('cohere-ai');
      server = await startFakeLlmServer();
      client = cohereClient(sdk, server.origin);
      return { server };
    },
    { tracing, setUpTimeoutMs: 60_000 },
  );

  it('chat: one LLM span with exactly the expected attributes; billed tokens, not used tokens', async () => {
    server.reply({ json: chatResponse() });
    const response = await tracing.inParent('agent', () =>
      client.chat({
        model: MODEL,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'Weather in ' }, { type: 'text', text: 'Paris?' }] },
        ],
        tools: [WEATHER_TOOL],
        temperature: 0.3,
        maxTokens: 100,
      }),
    );
    expect(response.finishReason).to.equal('TOOL_CALL');
    const span = await onlyChildSpan(tracing, `chat ${MODEL}`);
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'cohere',
      'llm.system': 'cohere',
      'llm.model_name': MODEL,
      'llm.model': MODEL,
      'llm.temperature': 0.3,
      'llm.invocation_parameters': `{"model":"${MODEL}","temperature":0.3,"maxTokens":100}`,
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'Be brief.',
      'llm.input_messages.1.message.role': 'user',
      'llm.input_messages.1.message.content': 'Weather in Paris?',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'get_weather_1',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"city":"Paris"}',
      'llm.tools.0.tool.json_schema': JSON.stringify(WEATHER_TOOL),
      'input.value': '[{"role":"system","content":"Be brief."},{"role":"user","content":"Weather in Paris?"}]',
      'input.mime_type': 'application/json',
      'output.value': '[{"role":"assistant","toolCalls":[{"id":"get_weather_1","name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}]}]',
      'output.mime_type': 'application/json',
      'llm.token_count.prompt': 21,
      'llm.token_count.completion': 12,
      'llm.token_count.total': 33,
      'llm.token_count.prompt_details.cache_read': 0,
      'llm.prompt_tokens': 21,
      'llm.completion_tokens': 12,
      // command-a-03-2025, per million: 2.50 input, 10.00 output, on the billed units: 21 × 2.5 / 1e6, 12 × 10 / 1e6.
      'llm.cost.prompt': 0.0000525,
      'llm.cost.completion': 0.00012,
      'llm.cost.total': 0.0001725,
      'llm.finish_reason': 'TOOL_CALL',
    });
    expect(server.requests.at(-1)!.path).to.equal('/v2/chat');
    expect(server.requests.at(-1)!.headers.authorization).to.equal(`Bearer ${API_KEY}`);
    expect(JSON.stringify(span.attributes)).not.to.contain(API_KEY);
  });

  it('chat: tool results and images in the conversation; used tokens when nothing is billed', async () => {
    server.reply({ json: chatResponse({ finish_reason: 'COMPLETE', message: { role: 'assistant', content: [{ type: 'text', text: 'Sunny.' }] }, usage: { tokens: { input_tokens: 50, output_tokens: 3 } } }) });
    await client.chat({
      model: MODEL,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'See:' }, { type: 'image_url', imageUrl: { url: 'https://example.com/sky.png' } }] },
        { role: 'assistant', toolPlan: 'Look it up.', toolCalls: [{ id: 't1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', toolCallId: 't1', content: [{ type: 'document', document: { data: { sky: 'clear' } } }] },
      ],
    });
    expect((await onlySpan()).attributes).to.deep.include({
      'llm.input_messages.0.message.contents.0.message_content.type': 'text',
      'llm.input_messages.0.message.contents.0.message_content.text': 'See:',
      'llm.input_messages.0.message.contents.1.message_content.type': 'image',
      'llm.input_messages.0.message.contents.1.message_content.image.image.url': 'https://example.com/sky.png',
      'llm.input_messages.1.message.role': 'assistant',
      'llm.input_messages.1.message.tool_calls.0.tool_call.id': 't1',
      'llm.input_messages.2.message.role': 'tool',
      'llm.input_messages.2.message.tool_call_id': 't1',
      'llm.input_messages.2.message.contents.0.message_content.type': 'document',
      'llm.output_messages.0.message.content': 'Sunny.',
      'output.value': 'Sunny.',
      'llm.token_count.prompt': 50,
      'llm.token_count.completion': 3,
      'llm.finish_reason': 'COMPLETE',
    });
  });

  it('chat: withRawResponse() still works and the call is one span', async () => {
    server.reply({ json: chatResponse() });
    const { data, rawResponse } = await client.chat({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).withRawResponse();
    expect(data.finishReason).to.equal('TOOL_CALL');
    expect(rawResponse.status).to.equal(200);
    expect((await onlySpan()).attributes['llm.token_count.prompt']).to.equal(21);
  });

  it('chat error: ERROR with the SDK error class, the SDK error reaches the app', async () => {
    server.reply({ status: 429, json: { message: 'rate limited' } });
    const error = await client.chat({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(sdk.Cohere.TooManyRequestsError);
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).to.equal('TooManyRequestsError');
    expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
  });

  it('chatStream: text assembled, billed usage and finish reason, span OK at the end', async () => {
    server.reply({ sse: chatStreamEvents() });
    const stream = await client.chatStream({ model: MODEL, messages: [{ role: 'user', content: 'Say hello' }] });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).to.deep.equal(['message-start', 'content-start', 'content-delta', 'content-delta', 'content-end', 'message-end']);
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'cohere',
      'llm.system': 'cohere',
      'llm.model_name': MODEL,
      'llm.model': MODEL,
      'llm.invocation_parameters': `{"model":"${MODEL}"}`,
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Say hello',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Hello world',
      'input.value': 'Say hello',
      'input.mime_type': 'text/plain',
      'output.value': 'Hello world',
      'output.mime_type': 'text/plain',
      'llm.token_count.prompt': 5,
      'llm.token_count.completion': 2,
      'llm.token_count.total': 7,
      'llm.prompt_tokens': 5,
      'llm.completion_tokens': 2,
      // command-a-03-2025: 5 × 2.5 / 1e6, 2 × 10 / 1e6.
      'llm.cost.prompt': 0.0000125,
      'llm.cost.completion': 0.00002,
      'llm.cost.total': 0.0000325,
      'llm.finish_reason': 'COMPLETE',
    });
  });

  it('chatStream: a streamed tool call is assembled', async () => {
    server.reply({ sse: toolCallStreamEvents() });
    for await (const _ of await client.chatStream({ model: MODEL, messages: [{ role: 'user', content: 'Oslo?' }], tools: [WEATHER_TOOL] })) void _;
    expect((await onlySpan()).attributes).to.deep.include({
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'get_weather_2',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"city":"Oslo"}',
      'llm.token_count.prompt': 30,
      'llm.finish_reason': 'TOOL_CALL',
    });
  });

  it('chatStream through withRawResponse(): the stream is still watched', async () => {
    server.reply({ sse: chatStreamEvents() });
    const { data } = await client.chatStream({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).withRawResponse();
    for await (const _ of data) void _;
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hello world');
  });

  it('chatStream: break ends the span as abandoned with the partial text', async () => {
    server.reply({ sse: chatStreamEvents(), delayMs: 5 });
    const stream = await client.chatStream({ model: MODEL, messages: [{ role: 'user', content: 'x' }] });
    let n = 0;
    for await (const _ of stream) if (++n === 3) break;
    const span = await onlySpan();
    expectAbandoned(span, 'Hello');
  });

  it('chatStream: a dropped connection ends the span ERROR, partial output kept, the app gets the error', async () => {
    server.reply({ sse: chatStreamEvents(), dropAfter: 3 });
    const stream = await client.chatStream({ model: MODEL, messages: [{ role: 'user', content: 'x' }] });
    const caught = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect(caught).to.be.instanceOf(Error);
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).to.equal((caught as Error).constructor.name);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hello');
  });

  it('chatStream: an error reported in message-end ends the span ERROR (CohereStreamError)', async () => {
    const events = chatStreamEvents();
    events[5] = { event: 'message-end', data: { type: 'message-end', delta: { error: 'generation failed', finish_reason: 'ERROR' } } };
    server.reply({ sse: events });
    for await (const _ of await client.chatStream({ model: MODEL, messages: [{ role: 'user', content: 'x' }] })) void _;
    const span = await onlySpan();
    expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'generation failed' });
    expect(span.attributes['error.type']).to.equal('CohereStreamError');
    expect(span.attributes['llm.finish_reason']).to.equal('ERROR');
  });

  it('chatStream: aborting through abortSignal ends the span', async () => {
    server.reply({ sse: chatStreamEvents(), holdAfter: 3 });
    const controller = new AbortController();
    const stream = await client.chatStream({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }, { abortSignal: controller.signal });
    const caught = await (async () => {
      let n = 0;
      for await (const _ of stream) if (++n === 3) controller.abort();
    })().catch((e: unknown) => e);
    // The SDK throws its AbortError into the loop; the app asked for it, so the span is abandoned, not ERROR.
    expect((caught as Error).name).to.equal('AbortError');
    const span = await onlySpan();
    expectAbandoned(span, 'Hello');
  });
});
