import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { InfiniumInstrumentation } from '../../../lib/instrumentation/instrumentation';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { llmSpansAfterCollection } from '../../helpers/gc';
import { createTracing, expectAbandoned, llmSpans, useInstrumentation } from '../../helpers/tracing';
import { RejectionLog, rejectionsOf as rejectionsWith, settle } from '../../helpers/rejections';
import { waitFor } from '../../helpers/wait';
import { responseObject } from '../openai/fixtures';
import { PARSED_ANSWER, parseableAnswer, STAINLESS_SDKS, StainlessSdk } from './sdks';

/**
 * A call the app never awaits (fire-and-forget logging, moderation, prefetch) is traced like an awaited one:
 * the APIPromise parses lazily, only when someone calls `then`, so the span must not wait for that. Each
 * Stainless SDK we patch, through the real SDK against the local fake: exactly one LLM span, ended once the
 * response arrived, with the output and usage; the same one span when the app awaits later, or asks for
 * `.withResponse()` / `.asResponse()` / `parse()`; and for a failure, the same unhandled rejections as the
 * SDK gives with no instrumentation at all (measured here with the instrumentation disabled).
 */
function openInferenceSpans(spans: ReadableSpan[]): ReadableSpan[] {
  return spans.filter((s) => s.attributes['openinference.span.kind'] !== undefined);
}

for (const sdk of STAINLESS_SDKS) describe(`un-awaited calls: ${sdk.label}`, () => {
  // The span processor is in the pipeline, so a second LLM span (Anthropic's own GenAI span) would show.
  const tracing = createTracing([new InfiniumSpanProcessor()]);
  let instrumentation: InfiniumInstrumentation;
  let server: FakeLlmServer;
  let client: any;
  const { expected } = sdk;

  before(async () => {
    ({ instrumentation } = useInstrumentation(tracing));
    const module = sdk.load(instrumentation);
    server = await startFakeLlmServer();
    client = sdk.client(module, server, tracing);
  });
  after(() => server.stop());
  beforeEach(() => {
    tracing.reset();
    server.requests.length = 0;
  });

  /** Waits (polling the exporter, bounded) for our span, then checks it is the only LLM span. */
  async function theSpan(): Promise<ReadableSpan> {
    await waitFor(async () => llmSpans(await tracing.spans()).length > 0, 'the LLM span');
    await settle();
    const spans = await tracing.spans();
    const ours = llmSpans(spans);
    expect(ours).to.have.length(1);
    expect(openInferenceSpans(spans)).to.deep.equal(ours);
    expect(server.requests).to.have.length(1);
    return ours[0];
  }

  function expectAnswered(span: ReadableSpan): void {
    const a = span.attributes;
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(a['llm.provider']).to.equal(expected.provider);
    expect(a['llm.model_name']).to.equal(expected.model);
    expect(a['llm.token_count.prompt']).to.equal(expected.prompt);
    expect(a['llm.token_count.completion']).to.equal(expected.completion);
    expect(a['llm.input_messages.0.message.content']).to.equal('Hi');
    expect(a['llm.output_messages.0.message.content']).to.equal(expected.output);
  }

  it('never awaited: one span, ended once the response arrived, with the output and usage', async () => {
    server.reply({ json: sdk.answer() });
    const started = performance.timeOrigin + performance.now();
    sdk.create(client);
    const span = await theSpan();
    expectAnswered(span);
    expect(span.endTime[0] * 1000 + span.endTime[1] / 1e6).to.be.above(started);
  });

  it('awaited after its span ended: the app gets the data; still one span', async () => {
    server.reply({ json: sdk.answer() });
    const promise = sdk.create(client);
    expectAnswered(await theSpan());
    const data = await promise;
    expect(data).to.deep.include({ id: (sdk.answer() as { id: string }).id });
    expect(llmSpans(await tracing.spans())).to.have.length(1);
  });

  it('.withResponse() after its span ended: data and response; still one span', async () => {
    server.reply({ json: sdk.answer() });
    const promise = sdk.create(client);
    expectAnswered(await theSpan());
    const { data, response } = await promise.withResponse();
    expect(data).to.deep.include({ id: (sdk.answer() as { id: string }).id });
    expect(response.status).to.equal(200);
    expect(llmSpans(await tracing.spans())).to.have.length(1);
  });

  it('.asResponse() after its span ended: the raw body is unread and whole; still one span', async () => {
    server.reply({ json: sdk.answer() });
    const promise = sdk.create(client);
    expectAnswered(await theSpan());
    const response = await promise.asResponse();
    expect(response.status).to.equal(200);
    expect(response.bodyUsed).to.equal(false);
    expect(await response.json()).to.deep.equal(sdk.answer());
    expect(llmSpans(await tracing.spans())).to.have.length(1);
  });

  if (sdk.parse) {
    it('parse() never awaited: one span with the output; awaited later, the parsed data', async () => {
      server.reply({ json: parseableAnswer() });
      const promise = sdk.parse!(client);
      const span = await theSpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal(JSON.stringify(PARSED_ANSWER));
      expect(span.attributes['llm.token_count.prompt']).to.equal(expected.prompt);
      const completion = await promise;
      expect(completion.choices[0].message.parsed).to.deep.equal(PARSED_ANSWER);
      expect(llmSpans(await tracing.spans())).to.have.length(1);
    });
  }

  if (sdk.responses) {
    it('responses.create never awaited: one span with the output and usage; awaited later, the SDK\'s output_text', async () => {
      server.reply({ json: responseObject() });
      const promise = sdk.responses!(client);
      const span = await theSpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes['llm.model_name']).to.equal('gpt-4.1-2025-04-14');
      expect(span.attributes['llm.token_count.total']).to.equal(123);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Checking the weather.');
      expect((await promise).output_text).to.equal('Checking the weather.');
      expect(llmSpans(await tracing.spans())).to.have.length(1);
    });
  }

  it('a stream never awaited: one span, ended once the app dropped it (abandoned, unread)', async () => {
    server.reply({ sse: sdk.stream() });
    sdk.create(client, { stream: true });
    await waitFor(() => server.requests.length === 1, 'the request');
    const spans = await llmSpansAfterCollection(tracing, 15_000);
    expect(spans).to.have.length(1);
    expect(spans[0].attributes['llm.provider']).to.equal(expected.provider);
    expectAbandoned(spans[0]);
    expect(spans[0].attributes).not.to.have.property('llm.output_messages.0.message.content');
    await settle();
    expect(openInferenceSpans(await tracing.spans())).to.deep.equal(spans);
  });

  it('a stream awaited after its response arrived: read to the end, one span with the output', async () => {
    server.reply({ sse: sdk.stream() });
    const promise = sdk.create(client, { stream: true, ...(expected.provider === 'openai' ? { stream_options: { include_usage: true } } : {}) });
    await promise.responsePromise;
    await settle();
    let chunks = 0;
    for await (const _ of await promise) chunks++;
    expect(chunks).to.equal(sdk.stream().length - (expected.provider === 'anthropic' ? 0 : 1));
    const span = await theSpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal(expected.streamOutput);
  });

  describe('failures: the process sees what it sees without us', () => {
    const rejectionsOf = (traced: boolean, scenario: (log: RejectionLog) => Promise<void>) => rejectionsWith(instrumentation, traced, scenario);

    /** A failing call, never awaited, or awaited once its rejection was reported as unhandled. */
    const failingCall = (late: boolean) => async (log: RejectionLog) => {
      const promise = sdk.create(client);
      await waitFor(() => log.events.length >= 1, 'the unhandled rejection');
      if (!late) return;
      const caught = await promise.then(() => undefined, (err: unknown) => err);
      expect((caught as Error).constructor.name).to.equal('RateLimitError');
      await waitFor(() => log.events.length >= 2, 'rejectionHandled');
    };

    it('HTTP 400 never awaited: the span ends ERROR; the same one unhandled rejection as the SDK alone', async () => {
      server.reply({ status: 400, json: { error: { message: 'bad model', type: 'invalid_request_error' } } });
      const plain = await rejectionsOf(false, failingCall(false));
      expect(llmSpans(await tracing.spans())).to.have.length(0);
      expect(plain).to.deep.equal(['unhandled BadRequestError']);
      expect(await rejectionsOf(true, failingCall(false))).to.deep.equal(plain);
      const spans = llmSpans(await tracing.spans());
      expect(spans).to.have.length(1);
      expect(spans[0].status.code).to.equal(SpanStatusCode.ERROR);
      expect(spans[0].attributes['error.type']).to.equal('BadRequestError');
      expect(server.requests).to.have.length(2);
    });

    it('HTTP 200 with a body that is not JSON, never awaited: no rejection at all, as the SDK alone; the span ends ERROR', async () => {
      server.reply({ raw: '{"id": "cut off', contentType: 'application/json' });
      const plain = await rejectionsOf(false, async () => {
        sdk.create(client);
        await waitFor(() => server.requests.length === 1, 'the request');
      });
      expect(plain).to.deep.equal([]);
      const traced = await rejectionsOf(true, async () => {
        sdk.create(client);
        await waitFor(async () => llmSpans(await tracing.spans()).length > 0, 'the LLM span');
      });
      expect(traced).to.deep.equal(plain);
      const spans = llmSpans(await tracing.spans());
      expect(spans).to.have.length(1);
      expect(spans[0].status.code).to.equal(SpanStatusCode.ERROR);
      expect(spans[0].attributes['error.type']).to.equal('SyntaxError');
    });

    it('disable() while the request is out, then awaited and handled: no unhandled rejection (the SDK alone has none)', async () => {
      let answer!: () => void;
      const answered = new Promise<void>((resolve) => (answer = resolve));
      server.handle(async () => {
        await answered;
        return { status: 400, json: { error: { message: 'bad model', type: 'invalid_request_error' } } };
      });
      const log = new RejectionLog().install();
      try {
        const promise = sdk.create(client);
        await waitFor(() => server.requests.length === 1, 'the request');
        instrumentation.disable();
        const caught = promise.then(() => undefined, (err: unknown) => err);
        answer();
        expect((await caught as Error).constructor.name).to.equal('BadRequestError');
        await settle();
        expect(log.events).to.deep.equal([]);
      } finally {
        log.restore();
        instrumentation.enable();
      }
      const spans = llmSpans(await tracing.spans());
      expect(spans.map((s) => [s.status.code, s.attributes['error.type']])).to.deep.equal([[SpanStatusCode.ERROR, 'BadRequestError']]);
    });

    it('HTTP 429 awaited after the rejection was reported: ERROR span; unhandled then handled, as the SDK alone', async () => {
      server.reply({ status: 429, json: { error: { message: 'slow down', type: 'rate_limit_error' } } });
      const plain = await rejectionsOf(false, failingCall(true));
      expect(plain).to.deep.equal(['unhandled RateLimitError', 'handled']);
      expect(llmSpans(await tracing.spans())).to.have.length(0);
      expect(await rejectionsOf(true, failingCall(true))).to.deep.equal(plain);
      const spans = llmSpans(await tracing.spans());
      expect(spans).to.have.length(1);
      expect(spans[0].status.code).to.equal(SpanStatusCode.ERROR);
      expect(spans[0].attributes['error.type']).to.equal('RateLimitError');
    });
  });
});

/**
 * openai 4 and groq-sdk 0 read responses through node-fetch by default on Node, whose `clone()` pipes the body
 * into two PassThroughs: a copy nobody reads stops the original after 16 KB. The unread copy we keep for a
 * later `asResponse()` must not do that: an answer of 300 KB, not awaited when it arrives, still ends its span
 * and reaches the app when it awaits (it hung forever), and a later `asResponse()` gets the whole body unread.
 */
const NODE_FETCH_SDKS: Record<string, (sdk: any, server: FakeLlmServer) => any> = {
  'openai 4 (openai-v4)': (sdk, server) => new sdk.OpenAI({ apiKey: 'sk-test-secret-123', baseURL: `${server.origin}/v1`, maxRetries: 0 }),
  'groq-sdk 0 (groq-v0)': (sdk, server) => new sdk.Groq({ apiKey: 'sk-test-secret-123', baseURL: server.origin, maxRetries: 0 }),
};

for (const sdk of STAINLESS_SDKS.filter((s) => s.label in NODE_FETCH_SDKS)) describe(`un-awaited calls, large answers through node-fetch: ${sdk.label}`, () => {
  const tracing = createTracing();
  let server: FakeLlmServer;
  let client: any;
  const LONG = 'x'.repeat(300_000);
  const answer = () => {
    const base = sdk.answer() as { choices: Array<{ message: Record<string, unknown> }> };
    return { ...base, choices: [{ ...base.choices[0], message: { ...base.choices[0].message, content: LONG } }] };
  };

  before(async () => {
    const { instrumentation } = useInstrumentation(tracing);
    const module = sdk.load(instrumentation);
    server = await startFakeLlmServer();
    client = NODE_FETCH_SDKS[sdk.label](module, server);
  });
  after(() => server.stop());
  beforeEach(() => {
    tracing.reset();
    server.reply({ json: answer() });
  });

  async function spanEnded(): Promise<ReadableSpan> {
    await waitFor(async () => llmSpans(await tracing.spans()).length > 0, 'the LLM span');
    const spans = llmSpans(await tracing.spans());
    expect(spans).to.have.length(1);
    expect(spans[0].status.code).to.equal(SpanStatusCode.OK);
    expect(spans[0].attributes['llm.token_count.prompt']).to.equal(sdk.expected.prompt);
    return spans[0];
  }

  it('awaited after it arrived: the span ends and the app gets the whole answer', async () => {
    const promise = sdk.create(client);
    await spanEnded();
    const data = await promise;
    expect(data.choices[0].message.content).to.equal(LONG);
    expect(llmSpans(await tracing.spans())).to.have.length(1);
  });

  it('.asResponse() after its span ended: the whole body, unread, with the status, headers and URL', async () => {
    const promise = sdk.create(client);
    await spanEnded();
    const response = await promise.asResponse();
    expect(response.bodyUsed).to.equal(false);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('application/json');
    expect(response.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/.*chat\/completions$/);
    expect(await response.json()).to.deep.equal(answer());
  });
});
