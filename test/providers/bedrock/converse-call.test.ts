import { expect } from 'chai';
import { context, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { isInsideLlmCall } from '../../../lib/instrumentation/call-context';
import { llmSpans, stable } from '../../helpers/tracing';
import { BedrockSdk, bedrockClient, converseResponse, converseStreamEvents, NOVA, SECRETS, WEATHER_TOOL } from './fixtures';
import { useConverseSuite } from './converse-suite';

const WEATHER_SCHEMA = JSON.stringify(WEATHER_TOOL.toolSpec);

/** `ConverseCommand` (and the aggregated client's converse()): the span of a call, errors, the callback form. */
describe('bedrock Converse and ConverseStream (HTTP/2, the default handler)', () => {
  const suite = useConverseSuite();

  it('Converse: one LLM span under the active span, with exactly the expected attributes', async () => {
    suite.server.answer({ json: converseResponse() });
    const output = await suite.tracing.inParent('agent', () =>
      suite.client.send(
        new suite.sdk.ConverseCommand({
          modelId: NOVA,
          system: [{ text: 'Be brief.' }, { cachePoint: { type: 'default' } }],
          messages: [{ role: 'user', content: [{ text: 'Weather in Paris?' }] }],
          inferenceConfig: { temperature: 0.3, maxTokens: 200 },
          toolConfig: { tools: [WEATHER_TOOL], toolChoice: { auto: {} } },
          requestMetadata: { tenant: 'not-a-parameter' },
        }),
      ),
    );
    expect(output.stopReason).to.equal('tool_use');
    const spans = await suite.tracing.spans();
    const [span] = llmSpans(spans);
    expect(span.name).to.equal(`chat ${NOVA}`);
    expect(span.kind).to.equal(SpanKind.CLIENT);
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.parentSpanContext?.spanId).to.equal(spans.find((s) => s.name === 'agent')!.spanContext().spanId);
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'aws',
      'llm.system': 'amazon',
      'llm.model_name': NOVA,
      'llm.model': NOVA,
      'llm.temperature': 0.3,
      'llm.invocation_parameters': '{"temperature":0.3,"maxTokens":200,"toolChoice":{"auto":{}}}',
      'llm.input_messages.0.message.role': 'system',
      'llm.input_messages.0.message.content': 'Be brief.',
      'llm.input_messages.1.message.role': 'user',
      'llm.input_messages.1.message.content': 'Weather in Paris?',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Let me check.',
      'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'tooluse_1',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"city":"Paris"}',
      'llm.tools.0.tool.json_schema': WEATHER_SCHEMA,
      'input.value': '[{"role":"system","content":"Be brief."},{"role":"user","content":"Weather in Paris?"}]',
      'input.mime_type': 'application/json',
      'output.value': '[{"role":"assistant","content":"Let me check.","toolCalls":[{"id":"tooluse_1","name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}]}]',
      'output.mime_type': 'application/json',
      // inputTokens leaves the cache out: 12 + 80 read + 20 written.
      'llm.token_count.prompt': 112,
      'llm.token_count.completion': 7,
      'llm.token_count.total': 119,
      'llm.token_count.prompt_details.cache_read': 80,
      'llm.token_count.prompt_details.cache_write': 20,
      'llm.prompt_tokens': 112,
      'llm.completion_tokens': 7,
      // amazon.nova-lite-v1:0, per million: 0.06 input, 0.015 cache read, 0.24 output; the table lists no
      // cache-write rate, so the writes are priced at the input rate.
      // (12 × 0.06 + 80 × 0.015 + 20 × 0.06) / 1e6 = (0.72 + 1.2 + 1.2) / 1e6; 7 × 0.24 / 1e6.
      'llm.cost.prompt': 0.00000312,
      'llm.cost.completion': 0.00000168,
      'llm.cost.total': 0.0000048,
      'llm.cost.prompt_details.cache_read': 0.0000012,
      'llm.cost.prompt_details.cache_write': 0.0000012,
      'llm.finish_reason': 'tool_use',
    });
    const request = suite.server.requests.at(-1)!;
    expect(request.path).to.equal(`/model/${NOVA}/converse`);
    expect(String(request.headers.authorization)).to.contain('AWS4-HMAC-SHA256');
  });

  it('never records credentials, the signature or headers', async () => {
    suite.server.answer({ json: converseResponse() });
    await suite.client.send(new suite.sdk.ConverseCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'x' }] }] }));
    const span = await suite.onlySpan();
    const exported = JSON.stringify([span.name, span.attributes, span.events, span.status]);
    for (const secret of SECRETS) expect(exported).not.to.contain(secret);
    expect(exported).not.to.contain('authorization');
    expect(String(suite.server.requests.at(-1)!.headers['x-amz-security-token'])).to.equal('bedrock-session-token-456');
  });

  it('reads tool results, images and reasoning in the conversation', async () => {
    suite.server.answer({ json: converseResponse({ output: { message: { role: 'assistant', content: [{ reasoningContent: { reasoningText: { text: 'Sunny, so…' } } }, { text: 'Sunny.' }] } }, stopReason: 'end_turn' }) });
    await suite.client.send(
      new suite.sdk.ConverseCommand({
        modelId: NOVA,
        messages: [
          { role: 'user', content: [{ text: 'Look:' }, { image: { format: 'png', source: { bytes: new Uint8Array([1, 2, 3]) } } }] },
          { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'get_weather', input: { city: 'Paris' } } }] },
          { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ json: { sky: 'clear' } }, { text: ' (today)' }] } }] },
        ],
      }),
    );
    const a = (await suite.onlySpan()).attributes;
    expect(a).to.deep.include({
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.contents.0.message_content.type': 'text',
      'llm.input_messages.0.message.contents.0.message_content.text': 'Look:',
      'llm.input_messages.0.message.contents.1.message_content.type': 'image',
      'llm.input_messages.0.message.contents.1.message_content.image.image.url': 'data:image/png;base64,AQID',
      'llm.input_messages.1.message.role': 'assistant',
      'llm.input_messages.1.message.tool_calls.0.tool_call.id': 't1',
      'llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments': '{"city":"Paris"}',
      'llm.input_messages.2.message.role': 'tool',
      'llm.input_messages.2.message.tool_call_id': 't1',
      'llm.input_messages.2.message.content': '{"sky":"clear"} (today)',
      'llm.output_messages.0.message.contents.0.message_content.type': 'thinking',
      'llm.output_messages.0.message.contents.0.message_content.text': 'Sunny, so…',
      'llm.output_messages.0.message.contents.1.message_content.text': 'Sunny.',
      'llm.finish_reason': 'end_turn',
    });
  });

  it('the aggregated BedrockRuntime client: converse() and converseStream() are one span each', async () => {
    const aggregated = bedrockClient(suite.sdk, suite.server.origin, true) as InstanceType<BedrockSdk['BedrockRuntime']>;
    suite.server.answer({ json: converseResponse() });
    await aggregated.converse({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
    suite.server.answer({ events: converseStreamEvents() });
    const { stream } = await aggregated.converseStream({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
    for await (const _ of stream!) void _;
    aggregated.destroy();
    const spans = llmSpans(await suite.tracing.spans());
    expect(spans.map((s) => [s.name, s.attributes['llm.token_count.completion']])).to.deep.equal([
      [`chat ${NOVA}`, 7],
      [`chat ${NOVA}`, 9],
    ]);
  });

  it('an HTTP error ends the span ERROR with the SDK error class, and the app gets the SDK error itself', async () => {
    suite.server.answer({ status: 400, json: { message: 'Malformed input request' }, errorType: 'ValidationException' });
    const error = await suite.client.send(new suite.sdk.ConverseCommand({ modelId: NOVA, messages: [] })).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(suite.sdk.ValidationException);
    expect((error as Error).message).to.equal('Malformed input request');
    const span = await suite.onlySpan();
    expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'Malformed input request' });
    expect(span.attributes['error.type']).to.equal('ValidationException');
    expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
  });

  it('a connection dropped before any answer ends the span ERROR', async () => {
    suite.server.answer({ hangUp: true });
    const error = await suite.client.send(new suite.sdk.ConverseCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'x' }] }] })).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(Error);
    const span = await suite.onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).to.equal((error as Error).constructor.name);
  });

  it('the callback form: one span, ended before the callback runs; errors too', async () => {
    suite.server.answer({ json: converseResponse() });
    const seen = await new Promise<[unknown, number, boolean]>((resolve) =>
      suite.client.send(new suite.sdk.ConverseCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'x' }] }] }), (error, output) => {
        // The callback runs in the app's context: a call made here is a call of its own, not nested in ours.
        const nested = isInsideLlmCall(context.active());
        void suite.tracing.spans().then((spans) => resolve([error ?? output?.stopReason, llmSpans(spans).length, nested]));
      }),
    );
    expect(seen).to.deep.equal(['tool_use', 1, false]);
    suite.server.answer({ status: 400, json: { message: 'bad' }, errorType: 'ValidationException' });
    const error = await new Promise((resolve) => suite.client.send(new suite.sdk.ConverseCommand({ modelId: NOVA, messages: [] }), {}, (e: unknown) => resolve(e)));
    expect(error).to.be.instanceOf(suite.sdk.ValidationException);
    const [ok, failed] = llmSpans(await suite.tracing.spans());
    expect(ok.attributes['llm.token_count.completion']).to.equal(7);
    expect([failed.status.code, failed.attributes['error.type']]).to.deep.equal([SpanStatusCode.ERROR, 'ValidationException']);
  });

  it('other commands pass through untraced', async () => {
    suite.server.answer({ json: { inputTokens: 5 } });
    await suite.client.send(new suite.sdk.CountTokensCommand({ modelId: NOVA, input: { converse: { messages: [{ role: 'user', content: [{ text: 'x' }] }] } } }));
    expect(llmSpans(await suite.tracing.spans())).to.deep.equal([]);
  });
});
