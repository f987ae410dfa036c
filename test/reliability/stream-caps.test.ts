import { expect } from 'chai';
import type * as GenAI from '@google/genai';
import { truncationMarker } from '../../lib/config/text-cap';
import type { SseEvent } from '../helpers/fake-llm-server';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, llmSpans, useInstrumentation } from '../helpers/tracing';
import { useOpenAISuite } from '../providers/openai/client';
import { textStream as anthropicTextStream } from '../providers/anthropic/fixtures';
import { useAnthropicSuite } from '../providers/anthropic/client';
import { API_KEY as GEMINI_KEY, MODEL_VERSION, sse } from '../providers/google/fixtures';

/** 300 pieces of 10 characters, under a 200-character cap: what a stream reader keeps, with the marker. */
const PIECE = 'abcdefghij';
const PIECES = 300;
const CAP = 200;
const capped = PIECE.repeat(PIECES).slice(0, CAP - truncationMarker(PIECES * PIECE.length).length) + truncationMarker(PIECES * PIECE.length);

describe('reliability: stream buffers are held to the text cap (maxAttributeLength: 200)', () => {
  describe('openai chat: text and tool-call arguments', () => {
    const suite = useOpenAISuite();
    before(() => suite.instrumentation.setConfig({ maxAttributeLength: CAP }));
    after(() => suite.instrumentation.setConfig({}));

    it('keeps the head of each and the full length in the marker', async () => {
      const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
        data: { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] },
      });
      const events: SseEvent[] = [
        ...Array.from({ length: PIECES }, () => chunk({ content: PIECE })),
        chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }] }),
        ...Array.from({ length: PIECES }, () => chunk({ tool_calls: [{ index: 0, function: { arguments: PIECE } }] })),
        chunk({}, 'tool_calls'),
        { data: '[DONE]' },
      ];
      suite.server.reply({ sse: events });
      for await (const _ of await suite.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true }));
      const [span] = llmSpans(await suite.tracing.spans());
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal(capped);
      expect(span.attributes['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal(capped);
    });
  });

  describe('anthropic messages', () => {
    const suite = useAnthropicSuite();
    let instrumentation: ReturnType<typeof useInstrumentation>['instrumentation'];
    before(() => {
      instrumentation = useInstrumentation(suite.tracing).instrumentation;
      instrumentation.setConfig({ maxAttributeLength: CAP });
    });
    after(() => instrumentation.setConfig({}));

    it('keeps the head of a text block and the full length in the marker', async () => {
      const [start, blockStart, , , ...end] = anthropicTextStream();
      const delta: SseEvent = { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: PIECE } } };
      suite.server.reply({ sse: [start, blockStart, ...Array<SseEvent>(PIECES).fill(delta), ...end] });
      for await (const _ of await suite.client.messages.create({ model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }], stream: true }));
      const [span] = llmSpans(await suite.tracing.spans());
      expect(span.attributes['output.value']).to.equal(capped);
    });
  });

  describe('google generateContentStream', () => {
    const tracing = createTracing();
    let instrumentation: ReturnType<typeof useInstrumentation>['instrumentation'];
    let server: FakeLlmServer;
    let ai: GenAI.GoogleGenAI;
    before(async () => {
      instrumentation = useInstrumentation(tracing).instrumentation;
      instrumentation.setConfig({ maxAttributeLength: CAP });
      const genai = require('@google/genai') as typeof GenAI;
      server = await startFakeLlmServer();
      ai = new genai.GoogleGenAI({ apiKey: GEMINI_KEY, httpOptions: { baseUrl: server.origin } });
    });
    after(async () => {
      instrumentation.setConfig({});
      await server.stop();
    });

    it('joins the text parts, before and after a function call, into one bounded text', async () => {
      const chunk = (part: unknown) => ({ data: { candidates: [{ content: { parts: [part], role: 'model' }, index: 0 }], modelVersion: MODEL_VERSION } });
      const text = Array.from({ length: PIECES }, () => chunk({ text: PIECE }));
      server.reply(sse([...text, chunk({ functionCall: { name: 'f', args: {} } }), ...text]));
      for await (const _ of await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Hi' }));
      const [span] = llmSpans(await tracing.spans());
      const a = span.attributes;
      const total = 2 * PIECES * PIECE.length;
      expect(a['llm.output_messages.0.message.content']).to.equal(PIECE.repeat(2 * PIECES).slice(0, CAP - truncationMarker(total).length) + truncationMarker(total));
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('f');
    });
  });
});
