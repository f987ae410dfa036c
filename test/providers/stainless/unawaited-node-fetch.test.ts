import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, llmSpans, useInstrumentation } from '../../helpers/tracing';
import { waitFor } from '../../helpers/wait';
import { STAINLESS_SDKS } from './sdks';

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
