'use strict';
/**
 * One start-up of a CommonJS app (bench/startup.ts copies this file into an app directory of its own and
 * runs it once per variant and round): the README's quick start (a NodeSDK exporting over OTLP), with our
 * instrumentation and processor, the peer's instrumentation, none, or nothing but `--require
 * @infinium/otel/register` before it; then `openai` and `@anthropic-ai/sdk` are required, and one chat call
 * is made (answered in process). Prints one JSON line: the milliseconds since the process started at each
 * mark (wall clock, and CPU time, which other load on the machine disturbs less), the modules and the RSS
 * (after a forced GC) once the SDKs are required, and the first call's own time.
 * With STARTUP_STAGES=1 it collects garbage and reads the memory at every mark (slower; not for the times).
 *
 * Arguments: the variant (none, peer, ours, register), and where our installed package's dist/ is (to count
 * our modules).
 */
const [variant, dist] = process.argv.slice(2);
const stages = process.env.STARTUP_STAGES === '1';
const marks = [];

function memory() {
  global.gc();
  global.gc();
  const m = process.memoryUsage();
  return { rssMb: m.rss / 2 ** 20, heapMb: m.heapUsed / 2 ** 20, externalMb: m.external / 2 ** 20 };
}

function mark(name) {
  const cpu = process.cpuUsage();
  const entry = { name, ms: performance.now(), cpuMs: (cpu.user + cpu.system) / 1000 };
  if (stages) Object.assign(entry, memory());
  marks.push(entry);
}

// Node itself, and for `register` the preload, which has started its NodeSDK by now.
mark('node');
if (variant !== 'register') {
  const { NodeSDK } = require('@opentelemetry/sdk-node');
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
  mark('sdk loaded');
  const instrumentations = [];
  const spanProcessors = [];
  if (variant === 'peer') {
    const { OpenAIInstrumentation } = require('@opentelemetry/instrumentation-openai');
    instrumentations.push(new OpenAIInstrumentation());
  } else if (variant === 'ours') {
    const { InfiniumInstrumentation, InfiniumSpanProcessor } = require('@infinium/otel');
    instrumentations.push(new InfiniumInstrumentation());
    spanProcessors.push(new InfiniumSpanProcessor());
  }
  mark('instrumentation loaded');
  spanProcessors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter() }));
  new NodeSDK({ instrumentations, spanProcessors }).start();
  mark('sdk started');
}
const { OpenAI } = require('openai');
mark('openai');
require('@anthropic-ai/sdk');
mark('anthropic');

// Counted at the SDKs' mark: what the app loads to start. The first call's loads come after.
const modules = Object.keys(require.cache).length;
const ours = Object.keys(require.cache).filter((file) => file.startsWith(dist)).length;
const end = memory();

// Then the app's first chat call, answered in process (no network): what a cold start pays on top, the
// code and tables loaded at a first call (the price table, for us) included.
const answer = JSON.stringify({
  id: 'chatcmpl-startup', object: 'chat.completion', created: 0, model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 },
});
const client = new OpenAI({
  apiKey: 'sk-startup', maxRetries: 0,
  fetch: async () => new Response(answer, { headers: { 'content-type': 'application/json' } }),
});
const callCpu = process.cpuUsage();
const callStart = performance.now();
client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello.' }] }).then(() => {
  const cpu = process.cpuUsage(callCpu);
  const firstCall = { ms: performance.now() - callStart, cpuMs: (cpu.user + cpu.system) / 1000 };
  const result = { variant, marks, modules, ourModules: ours, end, firstCall };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  // The SDK's exporters and metric reader hold timers: the measurement is over, the process need not wait.
  process.exit(0);
}, (err) => {
  console.error(err);
  process.exit(1);
});
