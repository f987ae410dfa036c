import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { expectAbandoned, llmSpans } from '../../../helpers/tracing';
import { chunk } from '../../bedrock/fake-bedrock';
import { pick, readToFailure } from '../client';
import { streamWithErrorEvent, textStream, TOOL_USE_OUTPUT, TOOL_USE_TOKENS, toolUseStream } from '../fixtures';
import { bedrockEvents } from './fake-clouds';
import { CLOUDS, onlyErrorSpan, useCloudSuite } from './clouds';

for (const cloud of CLOUDS) {
  describe(`anthropic on ${cloud.name}: streams`, () => {
    const suite = useCloudSuite(cloud);
    const { tracing } = suite;
    const request = { model: cloud.requestModel, max_tokens: 256, messages: [{ role: 'user', content: 'Weather in Paris?' }] };

    it('create({stream:true}) read to the end: one span, deltas assembled, usage from message_start + message_delta', async () => {
      cloud.answerStream(suite.server, toolUseStream());
      const types: string[] = [];
      await tracing.inParent('agent', async () => {
        const stream = await suite.client.messages.create({ ...request, stream: true });
        for await (const event of stream) types.push(event.type);
      });
      expect(types).to.have.length(17);
      expect(suite.server.requests.at(-1)!.path).to.match(cloud.pathPattern);
      const spans = await tracing.spans();
      const [span, ...others] = llmSpans(spans);
      expect(others).to.have.length(0);
      expect(span.parentSpanContext?.spanId).to.equal(spans.find((s) => s.name === 'agent')!.spanContext().spanId);
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect([span.attributes['llm.provider'], span.attributes['llm.system']]).to.deep.equal([cloud.provider, 'anthropic']);
      expect(pick(span.attributes, 'llm.output_messages.')).to.deep.equal(TOOL_USE_OUTPUT);
      expect(pick(span.attributes, 'llm.token_count.')).to.deep.equal(TOOL_USE_TOKENS);
      expect(span.attributes['llm.finish_reason']).to.equal('tool_use');
    });

    it('messages.stream(): one span, finalMessage() and events unchanged', async () => {
      cloud.answerStream(suite.server, textStream());
      const texts: string[] = [];
      const stream = suite.client.messages.stream(request);
      stream.on('text', (delta: string) => texts.push(delta));
      const final = await stream.finalMessage();
      expect(texts).to.deep.equal(['Hi ', 'there']);
      expect(final.usage.output_tokens).to.equal(3);
      const [span, ...others] = llmSpans(await tracing.spans());
      expect(others).to.have.length(0);
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hi there');
      expect(pick(span.attributes, 'llm.token_count.')).to.deep.equal({ 'llm.token_count.prompt': 7, 'llm.token_count.completion': 3, 'llm.token_count.total': 10 });
      expect(span.attributes['llm.provider']).to.equal(cloud.provider);
    });

    it('break ends the span once, as abandoned, with what was read', async () => {
      // Bedrock: two frames more than read (see the next test for a break while the SDK waits for a frame).
      cloud.answerStream(suite.server, textStream(), { holdAfter: cloud.name === 'bedrock' ? 5 : 3 });
      const stream = await suite.client.messages.create({ ...request, stream: true });
      let n = 0;
      for await (const _ of stream) if (++n === 3) break;
      const [span, ...others] = llmSpans(await tracing.spans());
      expect(others).to.have.length(0);
      expectAbandoned(span, 'Hi ');
    });

    it('an error mid-stream ends the span as ERROR with the error the app gets, partial output kept', async () => {
      if (cloud.name === 'vertex') cloud.answerStream(suite.server, streamWithErrorEvent());
      else suite.server.eventStream({ events: [...bedrockEvents(textStream().slice(0, 4)), { type: 'modelStreamErrorException', exception: true, body: { message: 'Model overloaded' } }] });
      const caught = await readToFailure(suite.client.messages.create({ ...request, stream: true }));
      const span = await onlyErrorSpan(tracing, caught, 'APIError');
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hi there');
      expect(span.attributes['llm.token_count.prompt']).to.equal(7);
    });

    it('a connection dropped mid-stream ends the span as ERROR', async () => {
      cloud.answerStream(suite.server, textStream(), { dropAfter: 3 });
      const caught = await readToFailure(suite.client.messages.create({ ...request, stream: true }));
      expect(caught).to.be.instanceOf(Error);
      const [span, ...others] = llmSpans(await tracing.spans());
      expect(others).to.have.length(0);
      expect(span.status.code).to.equal(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).to.equal((caught as Error).constructor.name);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hi ');
    });
  });
}

/**
 * The Bedrock SDK's own stream `return()` (what `break` calls) waits until its event-stream transcoder gets
 * its next frame, with or without us: a server that holds the stream keeps the app's `break` waiting. Our
 * span must not wait with it.
 */
describe('anthropic on bedrock: break while the SDK waits for a frame', () => {
  const cloud = CLOUDS.find((c) => c.name === 'bedrock')!;
  const suite = useCloudSuite(cloud);

  it('the span ends as abandoned although the SDK return() has not settled', async () => {
    cloud.answerStream(suite.server, textStream(), { holdAfter: 3 });
    const stream = await suite.client.messages.create({ model: cloud.requestModel, max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }], stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    for (let i = 0; i < 3; i++) await iterator.next();
    void iterator.return();
    const [span, ...others] = llmSpans(await suite.tracing.spans());
    expect(others).to.have.length(0);
    expectAbandoned(span, 'Hi ');
  });
});

/** Bedrock's frames without a `type` (gateway keep-alives) are dropped by the SDK: the span is unchanged. */
describe('anthropic on bedrock: keep-alive frames', () => {
  const cloud = CLOUDS.find((c) => c.name === 'bedrock')!;
  const suite = useCloudSuite(cloud);

  it('a chunk without a type between events changes nothing', async () => {
    const events = bedrockEvents(textStream());
    suite.server.eventStream({ events: [events[0], chunk({ keepalive: true }), ...events.slice(1)] });
    const final = await suite.client.messages.stream({ model: cloud.requestModel, max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage();
    expect(final.content).to.deep.equal([{ type: 'text', text: 'Hi there' }]);
    const [span] = llmSpans(await suite.tracing.spans());
    expect([span.status.code, span.attributes['llm.token_count.total']]).to.deep.equal([SpanStatusCode.OK, 10]);
  });
});
