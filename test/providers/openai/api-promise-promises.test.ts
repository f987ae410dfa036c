import { expect } from 'chai';
import { createHook } from 'node:async_hooks';
import { SpanStatusCode } from '@opentelemetry/api';
import { llmSpans } from '../../helpers/tracing';
import { useOpenAISuite } from './client';
import { chatCompletion } from './fixtures';

/**
 * Every promise costs a traced app microseconds while an AsyncLocalStorage context is in use (its hooks run for
 * each one), so a call makes as few of ours as its observation allows (docs/performance.md). Counted, not timed:
 * the promises made during one call, traced and with the instrumentation disabled, in the same process.
 */
describe('openai APIPromise: the promises a traced call makes', () => {
  const suite = useOpenAISuite();
  const request = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };
  // The answer comes from an in-process fetch (the client's own option): an HTTP round trip makes a number of
  // promises of its own that varies from call to call.
  const body = JSON.stringify(chatCompletion());
  const inProcessClient = () =>
    new suite.OpenAI({ apiKey: 'sk-test', maxRetries: 0, fetch: async () => new Response(body, { headers: { 'content-type': 'application/json' } }) });

  async function promisesMadeBy(call: () => Promise<unknown>): Promise<number> {
    let made = 0;
    const hook = createHook({
      init: (_id, type) => {
        if (type === 'PROMISE') made++;
      },
    });
    hook.enable();
    try {
      await call();
    } finally {
      hook.disable();
    }
    return made;
  }

  /** Promises a traced call makes beyond the same call untraced (the span's export included). */
  async function addedBy(call: () => Promise<unknown>): Promise<number> {
    await call(); // the first call of a kind loads code and fills caches
    const traced = await promisesMadeBy(call);
    suite.instrumentation.disable();
    try {
      return traced - (await promisesMadeBy(call));
    } finally {
      suite.instrumentation.enable();
    }
  }

  it('an awaited call reads its answer in the app\'s own reaction: one promise fewer than withResponse(), whose parse() gets a reaction of ours', async () => {
    const client = inProcessClient();
    const awaited = await addedBy(() => client.chat.completions.create(request));
    const withResponse = await addedBy(() => client.chat.completions.create(request).withResponse());
    expect(withResponse - awaited).to.equal(1);
    const spans = llmSpans(await suite.tracing.spans());
    // Two calls of each kind are traced (the first warms up); the awaited ones end OK with the output.
    expect(spans).to.have.length(4);
    for (const span of spans) {
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hello there!');
      expect(span.attributes['llm.token_count.total']).to.equal(29);
    }
  });

  it('the app\'s handler throwing: the span has ended OK with the answer, and the app\'s promise rejects with its own error', async () => {
    const client = inProcessClient();
    const own = new Error('the app\'s own');
    const apiPromise = client.chat.completions.create(request);
    const caught = await apiPromise.then(() => { throw own; }).then(() => undefined, (err: unknown) => err);
    expect(caught).to.equal(own);
    // Awaited again afterwards: the same answer, and still one span.
    expect((await apiPromise).choices[0].message.content).to.equal('Hello there!');
    const spans = llmSpans(await suite.tracing.spans());
    expect(spans).to.have.length(1);
    expect(spans[0].status.code).to.equal(SpanStatusCode.OK);
    expect(spans[0].attributes['llm.output_messages.0.message.content']).to.equal('Hello there!');
  });

  it('then() with no handlers passes the value and the error on, as the SDK\'s own does', async () => {
    const client = inProcessClient();
    const value = await client.chat.completions.create(request).then();
    expect(value.choices[0].message.content).to.equal('Hello there!');
    const failing = new suite.OpenAI({ apiKey: 'sk-test', maxRetries: 0, fetch: async () => new Response('{"error":{"message":"bad"}}', { status: 400, headers: { 'content-type': 'application/json' } }) });
    const error = await failing.chat.completions.create(request).then(undefined, undefined).then(() => undefined, (err: unknown) => err);
    expect((error as Error).constructor.name).to.equal('BadRequestError');
    const spans = llmSpans(await suite.tracing.spans());
    expect(spans.map((s) => s.status.code)).to.deep.equal([SpanStatusCode.OK, SpanStatusCode.ERROR]);
    expect(spans[1].attributes['error.type']).to.equal('BadRequestError');
  });
});
