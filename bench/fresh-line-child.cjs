'use strict';
/**
 * The fresh-process child of bench/fresh-lines.ts, copied into an app of one OpenTelemetry JS line (2.x or
 * 3.x) that has our packed package and the peers installed from the registry: an app as a user has it, a
 * CommonJS program that starts a NodeSDK. Plain JavaScript, no tsx: nothing of the repository loads here.
 *
 *   node fresh-line-child.cjs <none|floor|floor-attrs|ours|otel|openinference> <chat|stream> [warmup=300] [calls=3000]
 *
 * Prints one JSON line: wall and CPU µs per timed call (the process's, and its main thread's alone), and the
 * LLM spans exported per timed call (1 for an
 * instrumentation, 0 for none: a variant that silently traced nothing would show).
 */
const fs = require('node:fs');
const path = require('node:path');
const { NodeSDK } = require('@opentelemetry/sdk-node');
// A 2.x app builds its processors from sdk-trace-base (positional exporter), a 3.x app from sdk-trace.
const simpleProcessor = process.env.APP_TRACING === 'sdk-trace-base'
  ? (exporter) => new (require('@opentelemetry/sdk-trace-base').SimpleSpanProcessor)(exporter)
  : (exporter) => new (require('@opentelemetry/sdk-trace').SimpleSpanProcessor)({ exporter });

const [variant, scenario, warmupArg, callsArg] = process.argv.slice(2);
const SUCCESS = { code: 0 };
const LLM_SCOPES = new Set(['@infinium/otel', '@opentelemetry/instrumentation-openai', '@arizeai/openinference-instrumentation-openai', 'floor']);

/** Exports nothing, counts the LLM spans. */
const exporter = {
  llmSpans: 0,
  export(spans, done) {
    for (const span of spans) if (LLM_SCOPES.has((span.instrumentationScope || span.instrumentationLibrary).name)) this.llmSpans++;
    done(SUCCESS);
  },
  shutdown: () => Promise.resolve(),
};

function instrumentation() {
  switch (variant) {
    case 'none':
    case 'floor':
    case 'floor-attrs':
      return [];
    case 'ours':
      // OURS_DIST: another build of ours, copied inside the app (bench/fresh-lines.ts `ours@label=dist`).
      return [new (require(process.env.OURS_DIST || '@infinium/otel').InfiniumInstrumentation)()];
    case 'otel':
      return [new (require('@opentelemetry/instrumentation-openai').OpenAIInstrumentation)({ captureMessageContent: true })];
    case 'openinference':
      return [new (require('@arizeai/openinference-instrumentation-openai').OpenAIInstrumentation)()];
    default:
      throw new Error(`unknown variant ${variant}`);
  }
}

/** The `otel` peer puts the content in log records: it gets a logs pipeline that drops them, as the spans are. */
function logRecordProcessors() {
  if (variant !== 'otel') return [];
  const { SimpleLogRecordProcessor } = require('@opentelemetry/sdk-logs');
  const dropping = { export: (_logs, done) => done(SUCCESS), shutdown: () => Promise.resolve() };
  return [new SimpleLogRecordProcessor({ exporter: dropping })];
}

// No resource detection: its attributes arrive through file reads, which the timed loop (in-process fetch,
// microtasks only) never yields to, and the SimpleSpanProcessor holds every span until they have: nothing
// would be exported while timed. An app's detection has long finished by its 300th call.
const sdk = new NodeSDK({
  autoDetectResources: false, spanProcessors: [simpleProcessor(exporter)], logRecordProcessors: logRecordProcessors(), instrumentations: instrumentation(),
});

/**
 * `floor-attrs`: `floor` plus the SDK storing the 27 keys our chat span carries for this call (OpenInference's
 * and Infinium's, values as ours records them), set one by one when the answer is read, as ours does.
 * Nothing is extracted or rendered: the cost of the vocabularies themselves, before any code of ours.
 */
const FLOOR_ATTRIBUTES = {
  'openinference.span.kind': 'LLM', 'llm.provider': 'openai', 'llm.system': 'openai',
  'llm.model_name': 'gpt-4o-mini-2024-07-18', 'llm.model': 'gpt-4o-mini-2024-07-18',
  'llm.token_count.prompt': 19, 'llm.token_count.completion': 10, 'llm.token_count.total': 29,
  'llm.prompt_tokens': 19, 'llm.completion_tokens': 10,
  'llm.cost.prompt': 0.00000285, 'llm.cost.completion': 0.000006, 'llm.cost.total': 0.00000885,
  'llm.finish_reason': 'stop', 'llm.latency_ms': 0.25, 'llm.temperature': 0.2,
  'llm.invocation_parameters': '{"model":"gpt-4o-mini","temperature":0.2}',
  'output.value': 'Hello there! How can I help you today?', 'output.mime_type': 'text/plain',
  'llm.output_messages.0.message.role': 'assistant', 'llm.output_messages.0.message.content': 'Hello there! How can I help you today?',
  'input.value': '[{"role":"system","content":"You are a helpful assistant. Answer briefly."},{"role":"user","content":"Say hello and offer help."}]',
  'input.mime_type': 'application/json',
  'llm.input_messages.0.message.role': 'system', 'llm.input_messages.0.message.content': 'You are a helpful assistant. Answer briefly.',
  'llm.input_messages.1.message.role': 'user', 'llm.input_messages.1.message.content': 'Say hello and offer help.',
};

sdk.start();
if (variant === 'floor' || variant === 'floor-attrs') installFloor(variant === 'floor-attrs' ? FLOOR_ATTRIBUTES : undefined);

/**
 * `floor`: the least that any instrumentation making one span per call does, and nothing more: start the
 * span, make it current for the SDK's work, end it when the answer has been read (a stream: its last
 * chunk). No attribute beyond the name, no content, no patching library. What every other variant pays
 * before it records anything: the yardstick for the share of a variant's cost that is its own.
 */
function installFloor(attributes) {
  const api = require('@opentelemetry/api');
  const { Completions } = require('openai/resources/chat/completions/completions');
  const tracer = api.trace.getTracer('floor');
  const create = Completions.prototype.create;
  Completions.prototype.create = function floorCreate(body, options) {
    const span = tracer.startSpan(`chat ${body.model}`, { kind: api.SpanKind.CLIENT });
    const result = api.context.with(api.trace.setSpan(api.context.active(), span), () => create.call(this, body, options));
    const end = () => {
      if (attributes) for (const key in attributes) span.setAttribute(key, attributes[key]);
      span.end();
    };
    if (!body.stream) result.then(end, end);
    else result.then((stream) => endAtLastChunk(stream, end), end);
    return result;
  };
}

function endAtLastChunk(stream, end) {
  const iterate = stream[Symbol.asyncIterator].bind(stream);
  stream[Symbol.asyncIterator] = () => {
    const it = iterate();
    return {
      next: () => it.next().then((r) => { if (r.done) end(); return r; }),
      return: (v) => { end(); return it.return ? it.return(v) : Promise.resolve({ done: true, value: v }); },
      [Symbol.asyncIterator]() { return this; },
    };
  };
}

const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, 'fresh-line-fixtures.json'), 'utf8'));
const { OpenAI } = require('openai');
const encoder = new TextEncoder();
const chatBody = encoder.encode(fixtures.chat);
const streamBody = encoder.encode(fixtures.stream);
const respond = (body, type) => () => Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': type } }));
const chatClient = new OpenAI({ apiKey: 'sk-bench', fetch: respond(chatBody, 'application/json'), maxRetries: 0 });
const streamClient = new OpenAI({ apiKey: 'sk-bench', fetch: respond(streamBody, 'text/event-stream'), maxRetries: 0 });

const calls = {
  async chat() {
    await chatClient.chat.completions.create({ model: 'gpt-4o-mini', temperature: 0.2, messages: fixtures.messages });
  },
  async stream() {
    const s = await streamClient.chat.completions.create({
      model: 'gpt-4o-mini', temperature: 0.2, messages: fixtures.messages, stream: true, stream_options: { include_usage: true },
    });
    for await (const _chunk of s);
  },
};

async function main() {
  const call = calls[scenario];
  const warmup = Number(warmupArg || 300);
  const n = Number(callsArg || 3000);
  // A traced app has a context in use (its server span): entering one turns on the promise hooks of the
  // AsyncLocalStorage context manager, which every variant then pays alike (as bench/variant.ts does).
  const { context } = require('@opentelemetry/api');
  context.with(context.active(), () => undefined);
  for (let i = 0; i < warmup; i++) await call();
  const spansBefore = exporter.llmSpans;
  const mainCpu = mainThreadCpuNs();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) await call();
  const wallUs = ((performance.now() - start) * 1000) / n;
  const used = process.cpuUsage(cpu);
  const mainCpuEnd = mainThreadCpuNs();
  const mainCpuUs = mainCpu === undefined || mainCpuEnd === undefined ? undefined : (mainCpuEnd - mainCpu) / 1000 / n;
  process.stdout.write(`${JSON.stringify({ wallUs, cpuUs: (used.user + used.system) / n, mainCpuUs, llmSpansPerCall: (exporter.llmSpans - spansBefore) / n })}\n`);
  await sdk.shutdown();
}

/**
 * The main thread's time on a CPU so far, in ns (the first field of its schedstat; Linux only): without V8's
 * background threads and the time spent waiting for a core.
 */
function mainThreadCpuNs() {
  try {
    return Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return undefined;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
