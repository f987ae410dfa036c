import { expect } from 'chai';
import type GroqType from 'groq-sdk';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, useInstrumentation } from '../helpers/tracing';
import type { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { loadMistralV1 } from '../providers/mistral/load';
import { bedrockClient, BedrockSdk, NOVA } from '../providers/bedrock/fixtures';
import type { FakeBedrock } from '../providers/bedrock/fake-bedrock';
import { createCallRecord, type CallRecord } from '../../lib/record/call-record';
import { renderCallRecord } from '../../lib/semconv/render';
import { resolveTraceConfig } from '../../lib/masking/trace-config';
import { groqChatCompletions } from '../../lib/providers/groq';
import { readMistralCompletion } from '../../lib/providers/mistral/messages';
import { sameWithAndWithout } from './harness';
import { KEPT, omitted, tokens } from './hostile-harness';
import { otlpBytes } from './sizes-helpers';

/**
 * Absurd answers (issue 30, defects 4 and 7) through the real SDKs: 100,000 choices in one answer cost the
 * reader what 128 do, because only the kept ones are read (it took ~0.75 s before); absurd token counts
 * are left out.
 */
const GROQ_CHOICES = 100_000;
/** Mistral's SDK validates each choice with zod (6 s for 100,000): fewer, as absurd for our reader. */
const MISTRAL_CHOICES = 10_000;

/** Our reader and renderer on such an answer: the event loop must never wait ~100 ms for our work. */
const MAX_READ_MS = 100;

/** One answer's choices, in the wire's shape (Groq's and Mistral's alike). */
function answer(count: number) {
  const choices = Array.from({ length: count }, (_, i) => ({ index: i, message: { role: 'assistant', content: `answer ${i}` }, finish_reason: 'stop' }));
  return { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices, usage: { prompt_tokens: 4e15, completion_tokens: 9, total_tokens: 4e15 + 9 } };
}

/**
 * The app's outcome with and without us (the number of choices it got), the one span, and how long our
 * reader and renderer take on the very answer the SDK gave the app: timed on its own, because the SDK's
 * parsing of the answer varies by more than our whole cost from run to run.
 */
async function absurdAnswer(
  instrumentation: InfiniumInstrumentation,
  tracing: ReturnType<typeof createTracing>,
  body: unknown,
  call: (server: FakeLlmServer) => Promise<unknown>,
  read: (record: CallRecord, value: unknown) => void,
) {
  let value: unknown;
  // A fresh server per run: a keep-alive socket left from a 9 MB answer is sometimes reset under the next.
  const { outcome, spans } = await sameWithAndWithout(instrumentation, tracing, async () => {
    const server = await startFakeLlmServer();
    server.reply({ json: body });
    try {
      value = await call(server);
    } finally {
      await server.stop();
    }
    return (value as { choices: unknown[] }).choices.length;
  });
  expect(spans).to.have.length(1);
  const record = createCallRecord('LLM', 'chat', 'groq', 'openai');
  const start = performance.now();
  read(record, value);
  renderCallRecord(record, resolveTraceConfig({}, {}));
  const readMs = performance.now() - start;
  if (process.env.HOSTILE_VERBOSE) console.log(`    our reader and renderer: ${readMs.toFixed(1)} ms`);
  return { outcome, span: spans[0], readMs };
}

describe('reliability: absurd answers cost what the caps keep (groq, mistral, bedrock)', function () {
  this.timeout(60_000);
  const tracing = createTracing();
  let instrumentation: InfiniumInstrumentation;
  before(() => {
    ({ instrumentation } = useInstrumentation(tracing));
  });

  it('groq-sdk: 100,000 choices and 4e15 prompt tokens in one answer', async () => {
    const Groq = require('groq-sdk').Groq as typeof GroqType;
    const create = (server: FakeLlmServer) =>
      new Groq({ apiKey: 'sk-test-secret-123', baseURL: 'https://api.groq.com', fetch: server.fetch, maxRetries: 0 }).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] });
    const { outcome, span, readMs } = await absurdAnswer(instrumentation, tracing, answer(GROQ_CHOICES), create, (r, v) => groqChatCompletions.readResponse(r, v));
    expect(outcome).to.deep.equal({ value: GROQ_CHOICES });
    expect(omitted(span)).to.deep.equal({ messages: GROQ_CHOICES - KEPT, parts: undefined, toolCalls: undefined });
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('answer 0');
    expect(tokens(span)).to.deep.equal({ 'llm.token_count.completion': 9, 'llm.completion_tokens': 9 });
    expect(otlpBytes([span])).to.be.below(1024 * 1024);
    expect(readMs, 'ms of our reader and renderer').to.be.below(MAX_READ_MS);
  });

  it('@mistralai/mistralai (1.x): 10,000 choices and 4e15 prompt tokens in one answer', async () => {
    const { Mistral } = await loadMistralV1(instrumentation);
    const complete = (server: FakeLlmServer) => new Mistral({ apiKey: 'sk-test-secret-123', serverURL: server.origin }).chat.complete({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] });
    const { outcome, span, readMs } = await absurdAnswer(instrumentation, tracing, answer(MISTRAL_CHOICES), complete, readMistralCompletion);
    expect(outcome).to.deep.equal({ value: MISTRAL_CHOICES });
    expect(omitted(span)).to.deep.equal({ messages: MISTRAL_CHOICES - KEPT, parts: undefined, toolCalls: undefined });
    expect(tokens(span)).to.deep.equal({ 'llm.token_count.completion': 9, 'llm.completion_tokens': 9 });
    expect(readMs, 'ms of our reader and renderer').to.be.below(MAX_READ_MS);
  });

  describe('@aws-sdk/client-bedrock-runtime Converse', () => {
    let bedrock: FakeBedrock;
    let sdk: BedrockSdk;
    let client: ReturnType<typeof bedrockClient>;
    before(async () => {
      sdk = require('@aws-sdk/client-bedrock-runtime');
      const { FakeBedrock: Fake } = require('../providers/bedrock/fake-bedrock') as typeof import('../providers/bedrock/fake-bedrock');
      bedrock = await new Fake().start();
      client = bedrockClient(sdk, bedrock.origin);
    });
    after(async () => {
      client.destroy();
      await bedrock.stop();
    });

    it('cache counts of 4e15 give no prompt count (not 8e15); sane ones add up', async () => {
      const answer = (usage: Record<string, number>) => ({
        output: { message: { role: 'assistant', content: [{ text: 'Hi' }] } },
        stopReason: 'end_turn',
        usage,
        metrics: { latencyMs: 1 },
      });
      const converse = () => client.send(new sdk.ConverseCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }));
      bedrock.answer({ json: answer({ inputTokens: 11, outputTokens: 5, totalTokens: 16, cacheReadInputTokens: 4e15, cacheWriteInputTokens: 4e15 }) });
      const absurd = await sameWithAndWithout(instrumentation, tracing, async () => (await converse()).usage);
      expect(tokens(absurd.spans[0])).to.deep.equal({ 'llm.token_count.completion': 5, 'llm.completion_tokens': 5 });
      bedrock.answer({ json: answer({ inputTokens: 11, outputTokens: 5, totalTokens: 16, cacheReadInputTokens: 20, cacheWriteInputTokens: 3 }) });
      const sane = await sameWithAndWithout(instrumentation, tracing, async () => (await converse()).usage);
      expect(tokens(sane.spans[0])).to.deep.equal({
        'llm.token_count.prompt': 34,
        'llm.token_count.completion': 5,
        'llm.token_count.total': 39,
        'llm.prompt_tokens': 34,
        'llm.completion_tokens': 5,
        'llm.token_count.prompt_details.cache_read': 20,
        'llm.token_count.prompt_details.cache_write': 3,
      });
    });
  });
});
