import { expect } from 'chai';
import type GroqType from 'groq-sdk';
import { truncationMarker } from '../../lib/config/text-cap';
import type { SseEvent } from '../helpers/fake-llm-server';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, useInstrumentation } from '../helpers/tracing';
import type { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { useOpenAISuite } from '../providers/openai/client';
import { loadMistralV1 } from '../providers/mistral/load';
import { HeapProbe, INDEXES, KEPT, omitted, PIECE, readAll, runHostile, tokens } from './hostile-harness';

/**
 * Hostile OpenAI-shaped streams (issue 30, defects 2, 3 and 4) through the real SDKs: every chunk opens a
 * new choice or a new tool call with 2,000 characters, a tool name comes in 2,000-character pieces, and the
 * usage claims 4e15 prompt tokens. The reader keeps 128 choices and 128 tool calls within the span's text
 * budget, counts the rest in the markers, and leaves the absurd count out.
 */
const NAME_PIECES = 300;
const fullName = 'get_weather' + PIECE.repeat(NAME_PIECES);
const cappedName = fullName.slice(0, 1024 - truncationMarker(fullName.length).length) + truncationMarker(fullName.length);

/** The chunks, in OpenAI's wire shape; `extra` is added to the last one (Groq puts its usage in `x_groq`). */
function hostileChunks(last: Record<string, unknown>, indexes = INDEXES): Record<string, unknown>[] {
  const chunk = (choices: unknown[], more: Record<string, unknown> = {}) => ({ id: 'chatcmpl-h', object: 'chat.completion.chunk', created: 1, model: 'm', choices, ...more });
  const chunks = [];
  for (let i = 0; i < indexes; i++) chunks.push(chunk([{ index: i, delta: { role: 'assistant', content: PIECE }, finish_reason: null }]));
  for (let j = 0; j < indexes; j++) {
    const call = { index: j, id: `call_${j}`, type: 'function', function: { name: 'get_weather', arguments: PIECE } };
    chunks.push(chunk([{ index: 0, delta: { tool_calls: [call] }, finish_reason: null }]));
  }
  for (let k = 0; k < NAME_PIECES; k++) chunks.push(chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { name: PIECE, arguments: '' } }] }, finish_reason: null }]));
  chunks.push(chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }], last));
  return chunks;
}

const ABSURD_USAGE = { prompt_tokens: 4e15, completion_tokens: 7, total_tokens: 4e15 + 7 };

function sse(chunks: unknown[]): SseEvent[] {
  return [...chunks.map((data) => ({ data })), { data: '[DONE]' }];
}

/** What each of these streams must give: the caps' counts, the first choice and call as sent, sane tokens. */
function expectBounded(span: Parameters<typeof omitted>[0], indexes = INDEXES): void {
  expect(omitted(span)).to.deep.equal({ messages: indexes - KEPT, parts: undefined, toolCalls: indexes - KEPT });
  const a = span.attributes;
  expect(a['llm.output_messages.0.message.content']).to.equal(PIECE);
  expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.id']).to.equal('call_0');
  expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal(cappedName);
  // The 128 choices' text spent the call's text budget (8 x 32,000): what came after shows only its length.
  expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal(truncationMarker(PIECE.length));
  expect(tokens(span)).to.deep.equal({ 'llm.token_count.completion': 7, 'llm.completion_tokens': 7 });
}

const chunkCount = (indexes = INDEXES) => indexes * 2 + NAME_PIECES + 1;

/** Mistral's SDK validates every chunk with zod (3x slower): half the indexes, still 6 MB kept without the caps. */
const MISTRAL_INDEXES = INDEXES / 2;

describe('reliability: hostile OpenAI-shaped streams are held to the caps (groq, openai, mistral)', function () {
  this.timeout(60_000);

  describe('groq-sdk', () => {
    const tracing = createTracing();
    let instrumentation: InfiniumInstrumentation;
    let server: FakeLlmServer;
    let client: GroqType;
    before(async () => {
      ({ instrumentation } = useInstrumentation(tracing));
      server = await startFakeLlmServer();
      client = new (require('groq-sdk').Groq as typeof GroqType)({ apiKey: 'sk-test-secret-123', baseURL: 'https://api.groq.com', fetch: server.fetch, maxRetries: 0 });
    });
    after(() => server.stop());

    it('3,000 choices and 3,000 tool calls of 2 KB, a 600 KB tool name, 4e15 prompt tokens', async () => {
      server.reply({ sse: sse(hostileChunks({ x_groq: { id: 'req_1', usage: ABSURD_USAGE } })) });
      const { span } = await runHostile(instrumentation, tracing, async (probe: HeapProbe) => {
        const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: true });
        return readAll(stream, chunkCount(), probe);
      });
      expectBounded(span);
    });
  });

  describe('openai', () => {
    const suite = useOpenAISuite();

    it('the same stream, with the usage chunk of stream_options.include_usage', async () => {
      suite.server.reply({ sse: sse(hostileChunks({ usage: ABSURD_USAGE })) });
      const { span } = await runHostile(suite.instrumentation, suite.tracing, async (probe: HeapProbe) => {
        const stream = await suite.client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
        return readAll(stream, chunkCount(), probe);
      });
      expectBounded(span);
    });
  });

  describe('@mistralai/mistralai (1.x; the 2.x build runs the same reader)', () => {
    const tracing = createTracing();
    let instrumentation: InfiniumInstrumentation;
    let server: FakeLlmServer;
    let client: any;
    before(async () => {
      ({ instrumentation } = useInstrumentation(tracing));
      const major = await loadMistralV1(instrumentation);
      server = await startFakeLlmServer();
      client = new major.Mistral({ apiKey: 'sk-test-secret-123', serverURL: server.origin });
    });
    after(() => server.stop());

    it('1,500 choices and 1,500 tool calls, usage on the last chunk', async () => {
      server.reply({ sse: sse(hostileChunks({ usage: ABSURD_USAGE }, MISTRAL_INDEXES)) });
      const { span } = await runHostile(instrumentation, tracing, async (probe: HeapProbe) => {
        const stream = await client.chat.stream({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] });
        return readAll(stream, chunkCount(MISTRAL_INDEXES), probe);
      });
      expectBounded(span, MISTRAL_INDEXES);
    });
  });
});
