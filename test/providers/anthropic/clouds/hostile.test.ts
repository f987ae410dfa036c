import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { createTracing, llmSpans } from '../../../helpers/tracing';
import { waitFor } from '../../../helpers/wait';
import { RejectionLog, rejectionsOf } from '../../../helpers/rejections';
import { InfiniumSpanProcessor } from '../../../../lib/processor/span-processor';
import { chunk } from '../../bedrock/fake-bedrock';
import { pick, readToFailure } from '../client';
import { apiError, textStream } from '../fixtures';
import { AWS_KEYS, bedrockEvents } from './fake-clouds';
import { CLOUDS, sdkSpansOf, useCloudSuite } from './clouds';

/**
 * Answers a careful user would not expect from a healthy cloud, and the span processor in the pipeline:
 * the app gets exactly what the SDK gives it, the span ends once with what the answer really said (no
 * invented tokens), and the root's call count counts each request once.
 */
for (const cloud of CLOUDS) {
  describe(`anthropic on ${cloud.name}: hostile answers, the processor on`, () => {
    const suite = useCloudSuite(cloud, createTracing([new InfiniumSpanProcessor()]));
    const { tracing } = suite;
    const ask = (extra: Record<string, unknown> = {}) => ({ model: cloud.requestModel, max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }], ...extra });

    it('create, create({stream}), stream() under one root: four LLM spans, infinium.llm_call_count 4, the SDK spans children', async () => {
      await tracing.inParent('agent', async () => {
        suite.server.reply({ json: cloud.message() });
        await suite.client.messages.create(ask());
        await suite.client.beta.messages.create(ask());
        cloud.answerStream(suite.server, textStream());
        for await (const _ of await suite.client.messages.create(ask({ stream: true }))) void _;
        cloud.answerStream(suite.server, textStream());
        await suite.client.messages.stream(ask()).finalMessage();
      });
      const spans = await tracing.spans();
      const ours = llmSpans(spans);
      expect(ours.map((s) => s.attributes['llm.token_count.total'])).to.deep.equal([321, 321, 10, 10]);
      expect(spans.find((s) => s.name === 'agent')!.attributes['infinium.llm_call_count']).to.equal(4);
      const sdk = sdkSpansOf(cloud, spans);
      expect(sdk).to.have.length(4);
      expect(sdk.map((s) => s.attributes['openinference.span.kind'])).to.deep.equal([undefined, undefined, undefined, undefined]);
      const ids = new Set(ours.map((s) => s.spanContext().spanId));
      expect(sdk.every((s) => ids.has(s.parentSpanContext!.spanId))).to.equal(true);
    });

    it('a response without usage: OK, the text, no token counts invented', async () => {
      const { usage: _, ...withoutUsage } = cloud.message();
      suite.server.reply({ json: withoutUsage });
      const result: any = await suite.client.messages.create(ask());
      expect(result.usage).to.equal(undefined);
      const [span, ...others] = llmSpans(await tracing.spans());
      expect(others).to.have.length(0);
      expect([span.status.code, span.attributes['llm.output_messages.0.message.content']]).to.deep.equal([SpanStatusCode.OK, 'Hello there!']);
      expect(pick(span.attributes, 'llm.token_count.')).to.deep.equal({});
    });

    it('a non-JSON error body (a gateway 502 page): ERROR with the error the app gets', async () => {
      suite.server.reply({ status: 502, raw: '<html><body>Bad Gateway</body></html>', contentType: 'text/html' });
      let caught: any;
      await suite.client.messages.create(ask()).catch((err: unknown) => (caught = err));
      expect(caught.status).to.equal(502);
      const [span, ...others] = llmSpans(await tracing.spans());
      expect(others).to.have.length(0);
      expect([span.status.code, span.status.message, span.attributes['error.type']]).to.deep.equal([SpanStatusCode.ERROR, caught.message, caught.constructor.name]);
      // The error carries the response headers, and the request was signed: none of it in any exported span.
      const exported = JSON.stringify((await tracing.spans()).map((s) => [s.name, s.attributes, s.events, s.status]));
      for (const secret of ['ya29.test-vertex-token', AWS_KEYS.awsAccessKey, AWS_KEYS.awsSecretKey, 'Signature=', 'authorization']) expect(exported).not.to.contain(secret);
    });

    it('a stream whose message_start has no usage and which ends without message_delta: OK, no tokens invented', async () => {
      const events = textStream()
        .filter((e: any) => e.data.type !== 'message_delta')
        .map((e: any) => (e.data.type === 'message_start' ? { ...e, data: { ...e.data, message: { ...e.data.message, usage: undefined } } } : e));
      cloud.answerStream(suite.server, events);
      const types: string[] = [];
      for await (const event of await suite.client.messages.create(ask({ stream: true }))) types.push(event.type);
      expect(types.at(-1)).to.equal('message_stop');
      const [span, ...others] = llmSpans(await tracing.spans());
      expect(others).to.have.length(0);
      expect([span.status.code, span.attributes['llm.output_messages.0.message.content']]).to.deep.equal([SpanStatusCode.OK, 'Hi there']);
      expect(pick(span.attributes, 'llm.token_count.')).to.deep.equal({});
    });

    it('an un-awaited create still ends its span, with the answer', async () => {
      suite.server.reply({ json: cloud.message() });
      void suite.client.messages.create(ask());
      await waitFor(async () => llmSpans(await tracing.spans()).length > 0, 'the LLM span');
      const [span] = llmSpans(await tracing.spans());
      expect([span.status.code, span.attributes['llm.token_count.total']]).to.deep.equal([SpanStatusCode.OK, 321]);
    });
  });
}

describe('anthropic on bedrock: odd event-stream frames', () => {
  const cloud = CLOUDS.find((c) => c.name === 'bedrock')!;
  const suite = useCloudSuite(cloud);
  const ask = { model: cloud.requestModel, max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }], stream: true };

  it('an event type the reader does not know, between the events: passed to the app, the span unchanged', async () => {
    const events = bedrockEvents(textStream());
    suite.server.eventStream({ events: [events[0], chunk({ type: 'future_event', detail: 1 }), ...events.slice(1)] });
    const types: string[] = [];
    for await (const event of await suite.client.messages.create(ask)) types.push(event.type);
    expect(types).to.include('future_event');
    const [span] = llmSpans(await suite.tracing.spans());
    expect([span.status.code, span.attributes['llm.output_messages.0.message.content'], span.attributes['llm.token_count.total']]).to.deep.equal([SpanStatusCode.OK, 'Hi there', 10]);
  });

  it('a chunk whose bytes are not JSON: the app gets the SDK error, the span ends as ERROR with it', async () => {
    const events = bedrockEvents(textStream());
    const broken = { type: 'chunk', body: { bytes: Buffer.from('{not json').toString('base64') } };
    suite.server.eventStream({ events: [events[0], events[1], broken, ...events.slice(2)] });
    const caught = await readToFailure(suite.client.messages.create(ask));
    expect(caught).to.be.instanceOf(Error);
    const [span, ...others] = llmSpans(await suite.tracing.spans());
    expect(others).to.have.length(0);
    expect([span.status.code, span.status.message, span.attributes['error.type']]).to.deep.equal([SpanStatusCode.ERROR, (caught as Error).message, (caught as Error).constructor.name]);
  });
});

/**
 * The SDK's own span can carry the messages too (its content mode `content`): hidden content stays hidden
 * there, through the span processor's masking, as in ours.
 */
for (const cloud of CLOUDS) {
  describe(`anthropic on ${cloud.name}: the SDK span in content mode, inputs and outputs hidden`, () => {
    const hidden = { hideInputs: true, hideOutputs: true };
    const tracing = createTracing([new InfiniumSpanProcessor(hidden)]);
    const suite = useCloudSuite(cloud, tracing);

    it('neither the question nor the answer is exported, in any span; the tokens are', async () => {
      suite.instrumentation.setConfig(hidden);
      const Sdk = suite.Sdk;
      const client = cloud.client(class extends Sdk {}, suite.server, tracing);
      const withContent = cloud.client(
        class extends Sdk {
          constructor(options: Record<string, any>) {
            super({ ...options, openTelemetry: { ...options.openTelemetry, traces: { contentMode: 'content' } } });
          }
        },
        suite.server,
        tracing,
      );
      for (const c of [client, withContent]) {
        suite.server.reply({ json: cloud.message() });
        await c.messages.create({ model: cloud.requestModel, max_tokens: 8, messages: [{ role: 'user', content: 'Tell me about zebras' }] });
      }
      const spans = await tracing.spans();
      const exported = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events]));
      expect(exported).not.to.contain('zebras');
      expect(exported).not.to.contain('Hello there!');
      expect(llmSpans(spans).map((s) => s.attributes['llm.token_count.total'])).to.deep.equal([321, 321]);
      expect(sdkSpansOf(cloud, spans)).to.have.length(2);
    });
  });
}

/**
 * A failing call the app never awaits, and a failing `stream()` helper nobody listens to: the process sees
 * the same rejection events as with the SDK alone (the instrumentation disabled), and the span ends ERROR.
 */
for (const cloud of CLOUDS) {
  describe(`anthropic on ${cloud.name}: failures nobody awaits`, () => {
    const suite = useCloudSuite(cloud);
    const ask = { model: cloud.requestModel, max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] };
    const calls: Record<string, () => unknown> = {
      // The SDK alone reports one unhandled RateLimitError for each (stream(): its MessageStream's own promise).
      'create()': () => suite.client.messages.create(ask),
      'stream()': () => suite.client.messages.stream(ask),
    };

    for (const [method, call] of Object.entries(calls)) {
      it(`${method} on an HTTP 429, never awaited: the SDK's own rejection events, one ERROR span`, async () => {
        suite.server.reply({ status: 429, json: apiError('rate_limit_error', 'slow down') });
        const scenario = async (log: RejectionLog) => {
          const sent = suite.server.requests.length;
          call();
          await waitFor(() => suite.server.requests.length > sent, 'the request');
          await waitFor(() => log.events.length >= 1, 'the unhandled rejection');
        };
        const plain = await rejectionsOf(suite.instrumentation, false, scenario);
        expect(plain).to.deep.equal(['unhandled RateLimitError']);
        expect(llmSpans(await suite.tracing.spans())).to.have.length(0);
        expect(await rejectionsOf(suite.instrumentation, true, scenario)).to.deep.equal(plain);
        await waitFor(async () => llmSpans(await suite.tracing.spans()).length > 0, 'the LLM span');
        const [span, ...others] = llmSpans(await suite.tracing.spans());
        expect(others).to.have.length(0);
        expect([span.status.code, span.attributes['error.type']]).to.deep.equal([SpanStatusCode.ERROR, 'RateLimitError']);
      });
    }
  });
}
