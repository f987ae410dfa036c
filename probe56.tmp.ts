import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { trace } from '@opentelemetry/api';
import * as ai from 'ai-v6';
import { createOpenAI } from 'ai-sdk-openai-v3';
import { z } from 'zod';
import { startFakeLlmServer } from './test/helpers/fake-llm-server';
import { chatCompletion, chatStream } from './test/providers/openai/fixtures';
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
trace.setGlobalTracerProvider(provider);
(async () => {
  const server = await startFakeLlmServer();
  const openai = createOpenAI({ apiKey: 'sk-test', baseURL: server.origin + '/v1' });
  let n = 0;
  server.handle(() => (n++ === 0 ? { json: chatCompletion({ choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] }, finish_reason: 'tool_calls' }] }) } : { json: chatCompletion() }));
  await ai.generateText({ model: openai.chat('gpt-4o-mini'), system: 'Be brief', prompt: 'Weather?', tools: { weather: ai.tool({ inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => ({ city, temp: 20 }) }) }, stopWhen: ai.stepCountIs(3), experimental_telemetry: { isEnabled: true, functionId: 'fn' } });
  server.reply({ sse: chatStream() });
  const s = ai.streamText({ model: openai.chat('gpt-4o-mini'), prompt: 'Hi', experimental_telemetry: { isEnabled: true } });
  for await (const t of s.textStream) {}
  server.reply({ json: { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }], model: 'text-embedding-3-small', usage: { prompt_tokens: 3, total_tokens: 3 } } });
  await ai.embed({ model: openai.embedding('text-embedding-3-small'), value: 'hello', experimental_telemetry: { isEnabled: true } });
  for (const sp of exporter.getFinishedSpans()) console.log(sp.name, sp.instrumentationScope.name, JSON.stringify(sp.attributes).slice(0, 1800), '\n');
  process.exit(0);
})();
