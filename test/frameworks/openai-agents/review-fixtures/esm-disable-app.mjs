// An ESM app (the SDK's .mjs build, patched through the loader hook) that disables the instrumentation,
// runs, enables it again and runs: the run made while disabled has no span of ours and leaves the SDK as it
// was (its context storage, its processor and runner methods); the next run is traced again.
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { InfiniumInstrumentation } from '../../../../lib/instrumentation/instrumentation.ts';
import { startFakeLlmServer } from '../../../helpers/fake-llm-server.ts';
import { says, scripted } from '../fixtures.ts';
import { outline } from '../../langchain/e2e/tree.ts';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const instrumentation = new InfiniumInstrumentation();
instrumentation.setTracerProvider(provider);

const agents = await import('@openai/agents');
const core = await import('@openai/agents-core');
const { OpenAI } = await import('openai');
const server = await startFakeLlmServer();
server.handle(scripted([says('One.', 1), says('Two.', 2)]));
agents.setDefaultOpenAIClient(new OpenAI({ apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1', fetch: server.fetch, maxRetries: 0 }));
const tracer = provider.getTracer('app');
const inSpan = (name, fn) => tracer.startActiveSpan(name, async (span) => { try { return await fn(); } finally { span.end(); } });
const agent = new agents.Agent({ name: 'Agent', instructions: 'Answer.', model: 'gpt-4.1' });
const storageKey = Symbol.for('openai.agents.core.asyncLocalStorage');
const sdkState = () => ({
  storage: globalThis[storageKey]?.constructor?.name,
  processor: core.MultiTracingProcessor.prototype.onSpanStart.name,
  emit: core.Runner.prototype.emit.name,
});
const enabled = sdkState();
instrumentation.disable();
const disabled = sdkState();
await inSpan('disabled', () => agents.run(agent, 'Hi'));
instrumentation.enable();
const enabledAgain = sdkState();
await inSpan('enabled', () => agents.run(agent, 'Hi'));
await provider.forceFlush();
await server.stop();
console.log(JSON.stringify({ enabled, disabled, enabledAgain, tree: outline(exporter.getFinishedSpans()) }));
