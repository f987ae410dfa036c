import { expect } from 'chai';
import type { CohereClientV2 } from 'cohere-ai';
import type { Ollama as OllamaType } from 'ollama';
import { truncationMarker } from '../../lib/config/text-cap';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, useInstrumentation } from '../helpers/tracing';
import type { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import type { FakeBedrock, StreamEvent } from '../providers/bedrock/fake-bedrock';
import { BedrockSdk, bedrockClient, NOVA } from '../providers/bedrock/fixtures';
import { cohereClient, MODEL as COHERE_MODEL } from '../providers/cohere/fixtures';
import { FakeOllama } from '../providers/ollama/fake-ollama';
import { HeapProbe, INDEXES, KEPT, omitted, PIECE, readAll, runHostile, tokens } from './hostile-harness';

/**
 * Hostile block-shaped streams (issue 30, defects 2, 3 and 4) through the real SDKs: Bedrock's
 * `contentBlockIndex`, Cohere's `index`, Ollama's whole tool calls in every line. Each opens a new block
 * or tool call per event with 2,000 characters; the usage is absurd.
 */
describe('reliability: hostile block streams are held to the caps (bedrock, cohere, ollama)', function () {
  this.timeout(60_000);

  describe('@aws-sdk/client-bedrock-runtime ConverseStream', () => {
    const tracing = createTracing();
    let instrumentation: InfiniumInstrumentation;
    let server: FakeBedrock;
    let client: ReturnType<typeof bedrockClient>;
    let sdk: BedrockSdk;
    before(async () => {
      ({ instrumentation } = useInstrumentation(tracing));
      sdk = require('@aws-sdk/client-bedrock-runtime');
      const { FakeBedrock: Fake } = require('../providers/bedrock/fake-bedrock') as typeof import('../providers/bedrock/fake-bedrock');
      server = await new Fake().start();
      client = bedrockClient(sdk, server.origin);
    });
    after(async () => {
      client.destroy();
      await server.stop();
    });

    it('3,000 tool-use blocks then 3,000 text blocks of 2 KB; cache counts of -11 and 4e15', async () => {
      const events: StreamEvent[] = [{ type: 'messageStart', body: { role: 'assistant' } }];
      for (let j = 0; j < INDEXES; j++) {
        events.push({ type: 'contentBlockStart', body: { contentBlockIndex: j, start: { toolUse: { toolUseId: `tooluse_${j}`, name: 'get_weather' } } } });
        events.push({ type: 'contentBlockDelta', body: { contentBlockIndex: j, delta: { toolUse: { input: PIECE } } } });
      }
      for (let i = INDEXES; i < 2 * INDEXES; i++) events.push({ type: 'contentBlockDelta', body: { contentBlockIndex: i, delta: { text: PIECE } } });
      events.push({ type: 'messageStop', body: { stopReason: 'tool_use' } });
      const usage = { inputTokens: 11, outputTokens: 7, totalTokens: 18, cacheReadInputTokens: -11, cacheWriteInputTokens: 4e15 };
      events.push({ type: 'metadata', body: { usage, metrics: { latencyMs: 1 } } });
      server.answer({ events });
      const { span } = await runHostile(instrumentation, tracing, async (probe: HeapProbe) => {
        const output = await client.send(new sdk.ConverseStreamCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'Hi' }] }] }));
        return readAll(output.stream!, events.length, probe);
      });
      expect(omitted(span)).to.deep.equal({ messages: undefined, parts: INDEXES, toolCalls: INDEXES - KEPT });
      const a = span.attributes;
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.id']).to.equal('tooluse_0');
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal(PIECE);
      // 11 + -11 is no prompt count (not 0), and neither cache count is one.
      expect(tokens(span)).to.deep.equal({ 'llm.token_count.completion': 7, 'llm.completion_tokens': 7 });
    });
  });

  describe('cohere-ai chatStream', () => {
    const tracing = createTracing();
    let instrumentation: InfiniumInstrumentation;
    let server: FakeLlmServer;
    let client: CohereClientV2;
    before(async function () {
      this.timeout(60_000);
      ({ instrumentation } = useInstrumentation(tracing));
      server = await startFakeLlmServer();
      client = cohereClient(require('cohere-ai'), server.origin);
    });
    after(() => server.stop());

    it('3,000 content parts and 3,000 tool calls of 2 KB; 4e15 billed input tokens', async () => {
      const data: unknown[] = [{ id: 'h', type: 'message-start', delta: { message: { role: 'assistant' } } }];
      for (let i = 0; i < INDEXES; i++) data.push({ type: 'content-delta', index: i, delta: { message: { content: { text: PIECE } } } });
      for (let j = 0; j < INDEXES; j++) {
        const call = { id: `call_${j}`, type: 'function', function: { name: 'get_weather', arguments: PIECE } };
        data.push({ type: 'tool-call-start', index: j, delta: { message: { tool_calls: call } } });
      }
      data.push({ type: 'message-end', delta: { finish_reason: 'TOOL_CALL', usage: { billed_units: { input_tokens: 4e15, output_tokens: 7 } } } });
      server.reply({ sse: [...data.map((d) => ({ event: (d as { type: string }).type, data: d })), { data: '[DONE]' }] });
      // instrumentation.disable() leaves cohere-ai's chatStream patched (a defect of its own): the app's
      // outcome is checked against what it must be instead of an untraced run.
      const { span } = await runHostile(instrumentation, tracing, async (probe: HeapProbe) => {
        const stream = await client.chatStream({ model: COHERE_MODEL, messages: [{ role: 'user', content: 'Hi' }] });
        return readAll(stream, data.length, probe);
      }, { expected: data.length });
      expect(omitted(span)).to.deep.equal({ messages: undefined, parts: INDEXES - KEPT, toolCalls: INDEXES - KEPT });
      const a = span.attributes;
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.id']).to.equal('call_0');
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
      // The 128 parts' text spent the call's text budget: the arguments show only their length.
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal(truncationMarker(PIECE.length));
      expect(tokens(span)).to.deep.equal({ 'llm.token_count.completion': 7, 'llm.completion_tokens': 7 });
    });
  });

  describe('ollama chat stream', () => {
    const tracing = createTracing();
    let instrumentation: InfiniumInstrumentation;
    let server: FakeOllama;
    let client: OllamaType;
    before(async () => {
      ({ instrumentation } = useInstrumentation(tracing));
      server = await new FakeOllama().start();
      client = new (require('ollama') as typeof import('ollama')).Ollama({ host: server.origin });
    });
    after(() => server.stop());

    it('3,000 lines, each with 2 KB of text and a tool call with 2 KB of arguments; 4e15 prompt tokens', async () => {
      const line = { model: 'llama3.2', created_at: '2026-12-01T10:00:00Z', message: { role: 'assistant', content: PIECE, tool_calls: [{ function: { name: 'get_weather', arguments: { city: PIECE } } }] }, done: false };
      const done = { model: 'llama3.2', created_at: '2026-12-01T10:00:01Z', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 4e15, eval_count: 7 };
      const lines = [...Array<unknown>(INDEXES).fill(line), done];
      server.reply({ ndjson: lines });
      const { span } = await runHostile(instrumentation, tracing, async (probe: HeapProbe) => {
        const stream = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }], stream: true });
        return readAll(stream, lines.length, probe);
      });
      expect(omitted(span)).to.deep.equal({ messages: undefined, parts: undefined, toolCalls: INDEXES - KEPT });
      const a = span.attributes;
      const total = INDEXES * PIECE.length;
      expect(a['llm.output_messages.0.message.content']).to.equal(PIECE.repeat(16).slice(0, 32_000 - truncationMarker(total).length) + truncationMarker(total));
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal(JSON.stringify({ city: PIECE }));
      expect(tokens(span)).to.deep.equal({ 'llm.token_count.completion': 7, 'llm.completion_tokens': 7 });
    });
  });
});
