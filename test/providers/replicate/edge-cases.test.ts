import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type ReplicateClass from 'replicate';
import type { FakeLlmServer } from '../../helpers/fake-llm-server';
import { llmSpans } from '../../helpers/tracing';
import { API_TOKEN, LLM, LLM_INPUT, prediction, running } from './fixtures';
import { useReplicateSuite } from './suite';

/** What an app can do around a Replicate call: its own callbacks, an abort while polling, a file model's stream. */
describe('replicate: callbacks, aborts and file streams', () => {
  const { suite, tracing, client } = useReplicateSuite();
  let server: FakeLlmServer;
  let Replicate: typeof ReplicateClass;
  before(() => ({ server, Replicate } = suite));

  it("run's progress callback runs in the app's context: a run it starts is a span of its own, with its own output", async () => {
    server.handle((req) => ({ json: prediction({ id: `p-${req.body.input.prompt}`, output: [`answer to ${req.body.input.prompt}`] }) }));
    const replicate = client();
    let nested: Promise<unknown> | undefined;
    await tracing.inParent('agent', () => replicate.run(LLM, { input: { prompt: 'outer' } }, () => void (nested ??= replicate.run(LLM, { input: { prompt: 'nested' } }))));
    await nested;
    const spans = await tracing.spans();
    const llm = llmSpans(spans);
    const agent = spans.find((s) => s.name === 'agent')!.spanContext().spanId;
    expect(llm.map((s) => [s.attributes['llm.input_messages.0.message.content'], s.attributes['output.value']])).to.have.deep.members([
      ['outer', 'answer to outer'],
      ['nested', 'answer to nested'],
    ]);
    expect(llm.map((s) => s.parentSpanContext?.spanId)).to.deep.equal([agent, agent]);
  });

  it("wait's stop callback runs in the app's context too: a run it makes is its own span, not read into the wait's", async () => {
    server.reply({ json: running('processing') });
    const replicate = client();
    const stop = async () => {
      server.reply({ json: prediction() });
      await replicate.run(LLM, { input: LLM_INPUT });
      return true;
    };
    const stopped = await replicate.wait(running('processing') as never, { interval: 5 }, stop);
    expect(stopped.status).to.equal('processing');
    // The run's span has its answer; the wait's (stopped while processing) has none.
    expect(llmSpans(await tracing.spans()).map((s) => s.attributes['output.value'])).to.deep.equal(['Hello there!', undefined]);
  });

  it('run with a signal aborted while polling: the SDK cancels, the span is OK with the canceled output and finish reason', async () => {
    const controller = new AbortController();
    let polls = 0;
    server.handle((req) => {
      if (req.path.endsWith('/cancel')) return { json: prediction({ status: 'canceled', output: ['Hel'], metrics: {} }) };
      if (req.method === 'POST') return { json: running('starting') };
      if (++polls === 2) controller.abort();
      return { json: running('processing') };
    });
    const output = await client().run(LLM, { input: LLM_INPUT, wait: { mode: 'poll', interval: 5 }, signal: controller.signal });
    expect(output).to.deep.equal(['Hel']);
    expect(server.requests.map((r) => r.method)).to.deep.equal(['POST', 'GET', 'GET', 'POST']);
    const span = await suite.onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect([span.attributes['llm.finish_reason'], span.attributes['output.value'], span.attributes['llm.token_count.total']]).to.deep.equal(['canceled', 'Hel', undefined]);
  });

  it('the constructor hook leaves a client as the SDK built it: own keys, their order, JSON, descriptors; a subclass works', async () => {
    suite.instrumentation.disable();
    const plain = client();
    suite.instrumentation.enable();
    const hooked = client();
    expect(Object.keys(hooked)).to.deep.equal(Object.keys(plain));
    expect(JSON.stringify(hooked)).to.equal(JSON.stringify(plain));
    const { value: _v, ...descriptor } = Object.getOwnPropertyDescriptor(hooked, 'predictions')!;
    expect(descriptor).to.deep.equal({ writable: true, enumerable: true, configurable: true });
    expect(Object.keys(hooked.predictions)).to.deep.equal(['create', 'get', 'cancel', 'list']);
    class Mine extends Replicate {
      readonly tag = 'mine';
      constructor() {
        super({ auth: API_TOKEN, baseUrl: `${server.origin}/v1` });
      }
    }
    const mine = new Mine();
    server.reply({ json: prediction() });
    await mine.predictions.create({ model: LLM, input: LLM_INPUT, wait: true });
    expect([mine.tag, mine instanceof Replicate, llmSpans(await tracing.spans()).length]).to.deep.equal(['mine', true, 1]);
  });

  it("credentials a model takes as inputs (cog's Secret: hf_token, an API key, a password) are never recorded", async () => {
    server.reply({ json: prediction() });
    const secrets = { hf_token: 'hf_abcdefghijklmnopqrstuvwxyz', openai_api_key: 'sk-proj-abcdefghijklmnop', replicate_api_token: 'r8_abcdefghijklmnop', password: 'hunter2hunter2', lora_source: 'r8_zyxwvutsrqponmlk' };
    await client().run(LLM, { input: { ...LLM_INPUT, ...secrets } });
    const a = (await suite.onlySpan()).attributes;
    expect(a['llm.invocation_parameters']).to.equal('{"max_tokens":64,"temperature":0.4}');
    const text = JSON.stringify(a);
    for (const value of Object.values(secrets)) expect(text).not.to.contain(value);
  });

  it('a file model with useFileOutput false: its URL events are image parts, never text', async () => {
    const url = 'https://replicate.delivery/xezq/fox.webp';
    server.handle((req) => (req.method === 'POST' ? { json: running('starting', server.origin) } : { sse: [{ event: 'output', data: url }, { event: 'done', data: {} }] }));
    const seen: string[] = [];
    for await (const event of client().stream('black-forest-labs/flux-schnell', { input: { prompt: 'A red fox' }, useFileOutput: false })) if (event.event === 'output') seen.push(event.data);
    expect(seen).to.deep.equal([url]);
    const a = (await suite.onlySpan()).attributes;
    expect(a['llm.output_messages.0.message.content']).to.equal(undefined);
    expect([a['llm.output_messages.0.message.contents.0.message_content.type'], a['llm.output_messages.0.message.contents.0.message_content.image.image.url']]).to.deep.equal(['image', url]);
  });
});
