/**
 * Before/after figures for issue 10 (not a test; mocha does not load it). Run:
 *   node --expose-gc --import tsx test/reliability/measure-sizes.ts
 * Real openai SDK against local servers, a TracerProvider with the SDK's default span limits, our
 * processor in front. Prints one JSON object.
 */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { InfiniumSpanProcessor } from '../../lib/processor/span-processor';
import { startFakeLlmServer } from '../helpers/fake-llm-server';
import { chatCompletion } from '../providers/openai/fixtures';
import { EndlessChatStreamServer, heapAfterGc, otlpBytes } from './sizes-helpers';

const MB = 1024 * 1024;

async function main(): Promise<void> {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new InfiniumSpanProcessor(), new SimpleSpanProcessor({ exporter })] });
  const instrumentation = new InfiniumInstrumentation();
  instrumentation.setTracerProvider(provider);
  instrumentation.enable();
  const { OpenAI } = require('openai') as typeof import('openai');
  const server = await startFakeLlmServer();
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.origin}/v1`, maxRetries: 0 });
  const lastSpan = async () => {
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    exporter.reset();
    return spans[spans.length - 1];
  };
  const figures: Record<string, unknown> = {};

  // 1. A 200-message conversation.
  server.reply({ json: chatCompletion() });
  const messages = Array.from({ length: 200 }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user', content: `message ${i}` }));
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
  const long = await lastSpan();
  const a = long.attributes;
  figures.conversation200 = {
    attributes: Object.keys(a).length,
    dropped: long.droppedAttributesCount,
    promptTokens: a['llm.token_count.prompt'],
    latencyKept: a['llm.latency_ms'] !== undefined,
    outputKept: a['output.value'] !== undefined,
    omitted: a['infinium.input_messages.omitted'],
  };

  // 2. A 5 MB answer.
  server.reply({ json: chatCompletion({ choices: [{ index: 0, message: { role: 'assistant', content: 'y'.repeat(5 * MB) }, finish_reason: 'stop' }] }) });
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
  figures.answer5MBSpanBytes = otlpBytes([await lastSpan()]);

  // 3. 20,000 chunks of 100 characters (2 MB), streamed to the end.
  server.reply({ sse: [...Array.from({ length: 20_000 }, () => ({ data: { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: 'z'.repeat(100) }, finish_reason: null }] } })), { data: '[DONE]' }] });
  for await (const _ of await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true }));
  figures.stream20000ChunksSpanBytes = otlpBytes([await lastSpan()]);
  await server.stop();

  // 4. A stream that never ends: heap growth from chunk 1,000 to chunk 100,000, then `break`.
  const endless = await new EndlessChatStreamServer().start();
  const streaming = new OpenAI({ apiKey: 'sk-test', baseURL: `${endless.origin}/v1`, maxRetries: 0 });
  let n = 0;
  let heapAt1000 = 0;
  let heapAt100000 = 0;
  for await (const _ of await streaming.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true })) {
    n++;
    if (n === 1000) heapAt1000 = heapAfterGc();
    if (n === 100_000) {
      heapAt100000 = heapAfterGc();
      break;
    }
  }
  const started = performance.now();
  const abandoned = await lastSpan();
  figures.endless100000Chunks = {
    heapGrowthMB: Math.round(((heapAt100000 - heapAt1000) / MB) * 10) / 10,
    abandonedSpanBytes: otlpBytes([abandoned]),
    serializeMs: Math.round(performance.now() - started),
  };
  await endless.stop();
  console.log(JSON.stringify(figures, null, 2));
  process.exit(0);
}

void main();
