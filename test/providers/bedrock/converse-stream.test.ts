import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { STREAM_ABANDONED_EVENT } from '../../../lib/instrumentation/llm-call';
import { llmSpansAfterCollection } from '../../helpers/gc';
import { expectAbandoned, llmSpans, stable } from '../../helpers/tracing';
import { converseStreamEvents, NOVA } from './fixtures';
import { useConverseSuite } from './converse-suite';

/** `ConverseStreamCommand`: the assembled output, and a stream broken off, dropped, failed, aborted or left unread. */
describe('bedrock Converse and ConverseStream (HTTP/2, the default handler)', () => {
  const suite = useConverseSuite();

  it('ConverseStream: text and a streamed tool call assembled, usage and stop reason, span OK at the end', async () => {
    suite.server.answer({ events: converseStreamEvents() });
    const output = await suite.client.send(new suite.sdk.ConverseStreamCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'Weather?' }] }] }));
    const seen: string[] = [];
    for await (const event of output.stream!) seen.push(Object.keys(event).filter((k) => k !== '$unknown')[0]);
    expect(seen).to.deep.equal(converseStreamEvents().map((e) => e.type));
    const span = await suite.onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'aws',
      'llm.system': 'amazon',
      'llm.model_name': NOVA,
      'llm.model': NOVA,
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Weather?',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'Let me check.',
      'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'tooluse_2',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"city":"Paris"}',
      'input.value': 'Weather?',
      'input.mime_type': 'text/plain',
      'output.value': '[{"role":"assistant","content":"Let me check.","toolCalls":[{"id":"tooluse_2","name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}]}]',
      'output.mime_type': 'application/json',
      'llm.token_count.prompt': 30,
      'llm.token_count.completion': 9,
      'llm.token_count.total': 39,
      'llm.prompt_tokens': 30,
      'llm.completion_tokens': 9,
      // amazon.nova-lite-v1:0: 30 × 0.06 / 1e6, 9 × 0.24 / 1e6.
      'llm.cost.prompt': 0.0000018,
      'llm.cost.completion': 0.00000216,
      'llm.cost.total': 0.00000396,
      'llm.finish_reason': 'tool_use',
    });
    expect(suite.server.requests.at(-1)!.path).to.equal(`/model/${NOVA}/converse-stream`);
  });

  it('ConverseStream: break ends the span at once, abandoned, with the text read so far', async () => {
    suite.server.answer({ events: converseStreamEvents(), delayMs: 5 });
    const output = await suite.client.send(new suite.sdk.ConverseStreamCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'x' }] }] }));
    let n = 0;
    for await (const _ of output.stream!) if (++n === 2) break;
    const span = await suite.onlySpan();
    expectAbandoned(span, 'Let me ');
    expect(span.attributes['llm.finish_reason']).to.equal(undefined);
  });

  // The SDK (3.1164, NodeHttp2Handler) does not always report a cut connection to the app: its event stream
  // may just end early. Either way the span ends, keeps the partial output, and has no finish reason; when
  // the SDK does throw, the span is ERROR with that error's class and the app gets that same error.
  for (const drop of ['reset', 'stream'] as const) {
    it(`ConverseStream: a connection dropped mid-stream (${drop === 'reset' ? 'TCP reset' : 'HTTP/2 stream reset'}) ends the span, partial output kept`, async () => {
      suite.server.answer({ events: converseStreamEvents(), dropAfter: 3, drop });
      const output = await suite.client.send(new suite.sdk.ConverseStreamCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'x' }] }] }));
      let caught: unknown;
      let read = 0;
      try {
        for await (const _ of output.stream!) read++;
      } catch (e) {
        caught = e;
      }
      expect(read).to.equal(3);
      const span = await suite.onlySpan();
      expect(span.ended).to.equal(true);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Let me check.');
      expect(span.attributes['llm.finish_reason']).to.equal(undefined);
      if (caught === undefined) {
        expect(span.status.code).to.equal(SpanStatusCode.OK);
      } else {
        expect(span.status.code).to.equal(SpanStatusCode.ERROR);
        expect(span.attributes['error.type']).to.equal((caught as Error).constructor.name);
      }
    });
  }

  it('ConverseStream: an exception event ends the span ERROR with its SDK class', async () => {
    const events = converseStreamEvents().slice(0, 2);
    events.push({ type: 'throttlingException', exception: true, body: { message: 'Too many tokens, please wait' } });
    suite.server.answer({ events });
    const output = await suite.client.send(new suite.sdk.ConverseStreamCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'x' }] }] }));
    const caught = await (async () => {
      for await (const _ of output.stream!) void _;
    })().catch((e: unknown) => e);
    expect(caught).to.be.instanceOf(suite.sdk.ThrottlingException);
    const span = await suite.onlySpan();
    expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'Too many tokens, please wait' });
    expect(span.attributes['error.type']).to.equal('ThrottlingException');
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Let me ');
  });

  it('ConverseStream: aborting through the abortSignal ends the span', async () => {
    suite.server.answer({ events: converseStreamEvents(), holdAfter: 2 });
    const controller = new AbortController();
    const output = await suite.client.send(new suite.sdk.ConverseStreamCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'x' }] }] }), { abortSignal: controller.signal });
    const caught = await (async () => {
      let n = 0;
      for await (const _ of output.stream!) if (++n === 2) controller.abort();
    })().catch((e: unknown) => e);
    // The SDK ends the loop quietly on abort; the span ends then, as abandoned (not OK, not ERROR).
    expect(caught).to.equal(undefined);
    const span = await suite.onlySpan();
    expectAbandoned(span, 'Let me ');
  });

  it('ConverseStream dropped unread: the span ends as abandoned once the output is collected', async function () {
    if (typeof global.gc !== 'function') this.skip();
    suite.server.answer({ events: converseStreamEvents() });
    await sendAndDrop();
    const spans = await llmSpansAfterCollection(suite.tracing);
    expect(spans).to.have.length(1);
    expect(spans[0].status.code).to.equal(SpanStatusCode.UNSET);
    expect(spans[0].events.map((e) => e.name)).to.deep.equal([STREAM_ABANDONED_EVENT]);
    expect(spans[0].attributes['llm.model_name']).to.equal(NOVA);
  });

  /** In its own function so that no local of the test keeps the output reachable. */
  async function sendAndDrop(): Promise<void> {
    await suite.client.send(new suite.sdk.ConverseStreamCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'x' }] }] }));
    expect(llmSpans(await suite.tracing.spans())).to.have.length(0);
  }
});
