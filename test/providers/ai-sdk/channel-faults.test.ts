import { expect } from 'chai';
import diagnostics from 'node:diagnostics_channel';
import { AI_SDK_TELEMETRY_CHANNEL } from '../../../lib/providers/ai-sdk';
import { createTracing, useInstrumentation } from '../../helpers/tracing';

/**
 * Messages we did not expect on `ai:telemetry` (a future ai, another publisher): the operation's own
 * result reaches its caller unchanged, nothing is thrown at the publisher, spans still end.
 */
describe('ai:telemetry channel: malformed messages', () => {
  const tracing = createTracing();
  const channel = diagnostics.tracingChannel(AI_SDK_TELEMETRY_CHANNEL);
  before(() => useInstrumentation(tracing));
  beforeEach(() => tracing.reset());

  it('odd field types: the model call is traced with what can be read', async () => {
    const message = { type: 'languageModelCall', event: { provider: 42, modelId: 'm', messages: 'not a list', tools: { a: 1 }, temperature: 'hot' } };
    const value = await channel.tracePromise(async () => ({ content: 'x', usage: { inputTokens: 'many' } }), message);
    expect(value).to.deep.equal({ content: 'x', usage: { inputTokens: 'many' } });
    const spans = await tracing.spans();
    expect(spans.map((s) => s.name)).to.deep.equal(['chat m']);
    expect(spans[0].attributes).to.include({ 'llm.provider': 'unknown', 'openinference.span.kind': 'LLM' });
    expect(spans[0].attributes['llm.token_count.prompt']).to.equal(undefined);
  });

  it('a getter that throws, an unknown type, no event: the caller gets its value, no span is left open', async () => {
    const hostile = { type: 'generateText', event: { get messages(): never { throw new Error('boom'); }, callId: 'x' } };
    expect(await channel.tracePromise(async () => 1, hostile)).to.equal(1);
    expect(await channel.tracePromise(async () => 2, { type: 'somethingNew', event: {} })).to.equal(2);
    expect(await channel.tracePromise(async () => 3, { type: 'step' })).to.equal(3);
    const failure = new TypeError('app error');
    const error = await channel.tracePromise(async () => { throw failure; }, { type: 'embed', event: null }).catch((e: unknown) => e);
    expect(error).to.equal(failure);
    // Only the generateText is an operation we trace; its span ended although its messages could not be read.
    const spans = await tracing.spans();
    expect(spans.map((s) => s.name)).to.deep.equal(['ai.generateText']);
    expect(spans[0].attributes['input.value']).to.equal(undefined);
  });
});
