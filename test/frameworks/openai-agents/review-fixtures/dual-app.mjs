// An app that loads both builds of the SDK (its ESM .mjs through `import`, its CommonJS .js through
// `require`, as a dependency of the app might), then runs one agent through each, one after the other and
// at once: each run is one tree, once, and each request one LLM span.
import { createRequire } from 'node:module';
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

const esm = await import('@openai/agents');
const require = createRequire(import.meta.url);
const cjs = require('@openai/agents');
const { OpenAI } = await import('openai');
const server = await startFakeLlmServer();
// Each agent's answer names its build (its instructions), whatever order the concurrent requests arrive in.
const answer = (n) => (request) => says(`From ${request.body.instructions}.`, n);
server.handle(scripted([answer(1), answer(2), answer(3), answer(4)]));
const client = new OpenAI({ apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1', fetch: server.fetch, maxRetries: 0 });
esm.setDefaultOpenAIClient(client);
cjs.setDefaultOpenAIClient(client);
const tracer = provider.getTracer('app');
const inSpan = (name, fn) => tracer.startActiveSpan(name, async (span) => { try { return await fn(); } finally { span.end(); } });
const agentOf = (sdk, name) => new sdk.Agent({ name: `${name} agent`, instructions: name, model: 'gpt-4.1' });
await inSpan('sequential', async () => {
  await esm.run(agentOf(esm, 'ESM'), 'Hi');
  await cjs.run(agentOf(cjs, 'CJS'), 'Hi');
});
await inSpan('concurrent', () => Promise.all([esm.run(agentOf(esm, 'ESM'), 'Hi'), cjs.run(agentOf(cjs, 'CJS'), 'Hi')]));
await provider.forceFlush();
await server.stop();
const cjsCoreLoaded = Object.keys(require.cache).some((file) => file.endsWith('/@openai/agents-core/dist/index.js'));
const spans = exporter.getFinishedSpans();
const agentsIo = spans.filter((s) => s.attributes['openinference.span.kind'] === 'AGENT').map((s) => `${s.name}: ${s.attributes['input.value']} -> ${s.attributes['output.value']}`);
console.log(JSON.stringify({ requests: server.requests.length, cjsCoreLoaded, distinctClasses: esm.Runner !== cjs.Runner, tree: outline(spans), agentsIo }));
