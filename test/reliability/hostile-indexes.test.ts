import { expect } from 'chai';
import type * as GenAI from '@google/genai';
import { truncationMarker } from '../../lib/config/text-cap';
import type { SseEvent } from '../helpers/fake-llm-server';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, useInstrumentation } from '../helpers/tracing';
import type { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { useAnthropicSuite } from '../providers/anthropic/client';
import { API_KEY as GEMINI_KEY, MODEL_VERSION, sse } from '../providers/google/fixtures';
import { HeapProbe, INDEXES, KEPT, omitted, PIECE, readAll, runHostile, tokens } from './hostile-harness';

/**
 * The other two index-keyed readers (issue 30, defect 2): Anthropic's content blocks and Gemini's
 * candidates, each hostile event at a new index with 2,000 characters, and an absurd prompt count.
 */
describe('reliability: hostile Anthropic blocks and Gemini candidates are held to the caps', function () {
  this.timeout(60_000);

  describe('@anthropic-ai/sdk messages.create({ stream: true })', () => {
    const suite = useAnthropicSuite();

    it('3,000 tool_use blocks then 3,000 text blocks of 2 KB; 4e15 input tokens', async () => {
      const event = (data: { type: string }): SseEvent => ({ event: data.type, data });
      const events: SseEvent[] = [
        event({ type: 'message_start', message: { id: 'msg_h', type: 'message', role: 'assistant', model: 'claude', content: [], usage: { input_tokens: 4e15, output_tokens: 1 } } } as never),
      ];
      for (let j = 0; j < INDEXES; j++) {
        events.push(event({ type: 'content_block_start', index: j, content_block: { type: 'tool_use', id: `toolu_${j}`, name: 'get_weather', input: {} } } as never));
        events.push(event({ type: 'content_block_delta', index: j, delta: { type: 'input_json_delta', partial_json: PIECE } } as never));
      }
      for (let i = INDEXES; i < 2 * INDEXES; i++) {
        events.push(event({ type: 'content_block_start', index: i, content_block: { type: 'text', text: '' } } as never));
        events.push(event({ type: 'content_block_delta', index: i, delta: { type: 'text_delta', text: PIECE } } as never));
      }
      events.push(event({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 7 } } as never));
      events.push(event({ type: 'message_stop' }));
      suite.server.reply({ sse: events });
      const { span } = await runHostile(suite.instrumentation, suite.tracing, async (probe: HeapProbe) => {
        const stream = await suite.client.messages.create({ model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }], stream: true });
        return readAll(stream, events.length, probe);
      });
      expect(omitted(span)).to.deep.equal({ messages: undefined, parts: INDEXES, toolCalls: INDEXES - KEPT });
      const a = span.attributes;
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.id']).to.equal('toolu_0');
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal(PIECE);
      expect(tokens(span)).to.deep.equal({ 'llm.token_count.completion': 7, 'llm.completion_tokens': 7 });
    });
  });

  describe('@google/genai generateContentStream', () => {
    const tracing = createTracing();
    let instrumentation: InfiniumInstrumentation;
    let server: FakeLlmServer;
    let ai: GenAI.GoogleGenAI;
    before(async () => {
      ({ instrumentation } = useInstrumentation(tracing));
      const genai = require('@google/genai') as typeof GenAI;
      server = await startFakeLlmServer();
      ai = new genai.GoogleGenAI({ apiKey: GEMINI_KEY, httpOptions: { baseUrl: server.origin } });
    });
    after(() => server.stop());

    it('3,000 candidates of 2 KB each, then 4e15 prompt tokens', async () => {
      const chunks: SseEvent[] = [];
      for (let i = 0; i < INDEXES; i++) chunks.push({ data: { candidates: [{ index: i, content: { parts: [{ text: PIECE }], role: 'model' } }], modelVersion: MODEL_VERSION } });
      const usage = { promptTokenCount: 4e15, candidatesTokenCount: 7, totalTokenCount: 4e15 + 7 };
      chunks.push({ data: { candidates: [{ index: 0, content: { parts: [{ text: '!' }], role: 'model' }, finishReason: 'STOP' }], modelVersion: MODEL_VERSION, usageMetadata: usage } });
      server.reply(sse(chunks));
      const { span } = await runHostile(instrumentation, tracing, async (probe: HeapProbe) => {
        const stream = await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Hi' });
        return readAll(stream, chunks.length, probe);
      });
      expect(omitted(span)).to.deep.equal({ messages: INDEXES - KEPT, parts: undefined, toolCalls: undefined });
      const a = span.attributes;
      // Candidate 0's text came first; its last piece came after the budget was spent.
      expect(a['llm.output_messages.0.message.content']).to.equal(PIECE + truncationMarker(PIECE.length + 1));
      expect(tokens(span)).to.deep.equal({ 'llm.token_count.completion': 7, 'llm.completion_tokens': 7 });
    });
  });
});
