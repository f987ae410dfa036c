/**
 * One benchmark variant in its own process: one SDK, at most one instrumentation (each patches the same
 * SDK prototypes, so they must never share a process). The parent (bench/run.ts) sends `run` messages and
 * gets µs per call back, so rounds of all variants interleave on the same machine state.
 *
 * Standalone, for profiling: `node --cpu-prof --import tsx bench/variant.ts openai ours stream 20000`.
 */
import path from 'node:path';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResult, ExportResultCode } from '@opentelemetry/core';
import { AlwaysOffSampler, ReadableSpan, SimpleSpanProcessor, SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import * as fx from './fixtures';
import { GcFigures, GcMeter } from './gc-meter';
import { MORE_SDK_CALLS, MoreProviderKey } from './more-sdks';
import { ANTHROPIC_CLOUDS_CALLS, CloudProviderKey } from './anthropic-clouds';
import { HUGGINGFACE_CALLS, HuggingFaceKey } from './huggingface';
import { VERTEX_REPLICATE_CALLS, VertexReplicateKey } from './vertex-replicate';
import type { Call, Scenario } from './scenario';

export type ProviderKey = 'openai' | 'anthropic' | 'google' | MoreProviderKey | CloudProviderKey | HuggingFaceKey | VertexReplicateKey;
export type VariantKey = 'none' | 'ours' | 'ours-nocontent' | 'otel' | 'otel-nologs' | 'openinference';
export type { Scenario } from './scenario';

export interface RunMessage {
  type: 'run';
  scenario: Scenario;
  calls: number;
  /**
   * false: the batch runs with the variant's instrumentation disabled (`disable()`, which unpatches the SDK),
   * the baseline of the paired measurement in bench/sdk-bench.ts. Default true.
   */
  instrumented?: boolean;
}
export interface ResultMessage {
  type: 'result';
  scenario: Scenario;
  /** CPU µs per call. */
  usPerCall: number;
  wallUsPerCall: number;
  /** Spans exported per call by an LLM instrumentation: 1 when the variant instruments, 0 when it does not. */
  llmSpansPerCall: number;
  /** GC pause µs in the batch (PerformanceObserver) and bytes promoted to old space (GCProfiler). */
  gcUs: number;
  promotedBytes: number;
  allocatedBytes: number;
  youngGcs: number;
  fullGcs: number;
}

/** The instrumentations compared (the Anthropic SDK's own span is in every variant and is not counted). */
const LLM_SCOPES = new Set(['@infinium/otel', '@opentelemetry/instrumentation-openai', '@arizeai/openinference-instrumentation-openai']);

/** Exports nothing, but counts the LLM spans so that a variant that silently instruments nothing is caught. */
class CountingDropExporter implements SpanExporter {
  llmSpans = 0;
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    for (const span of spans) if (LLM_SCOPES.has(span.instrumentationScope.name)) this.llmSpans++;
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** BENCH_DIST: another build to load (bench/breakdown.ts, to compare with an older commit's dist/). */
const DIST = process.env.BENCH_DIST ?? path.resolve(__dirname, '..', 'dist');

function setUpTracing(): CountingDropExporter {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // A traced app always has a context in use (its HTTP server span, …): entering one once turns on Node's
  // promise hooks for AsyncLocalStorage, which every variant then pays alike. Without this the baseline
  // would be an app that never uses OpenTelemetry context at all, and the first instrumentation to call
  // `context.with()` would be billed for switching the hooks on.
  context.with(context.active(), () => undefined);
  const exporter = new CountingDropExporter();
  // BENCH_SAMPLER=off (standalone runs only): every span unsampled, to see the cost of the wrapping alone.
  const sampler = process.env.BENCH_SAMPLER === 'off' ? new AlwaysOffSampler() : undefined;
  trace.setGlobalTracerProvider(new TracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
  return exporter;
}

/** The variant's instrumentation, switched off and on between batches for the paired measurement. */
interface Switchable {
  enable(): void;
  disable(): void;
  isEnabled(): boolean;
}
let installed: Switchable | undefined;

/** Installs the variant's instrumentation. Must run before the SDK is required, so the require hook patches it. */
function instrument(variant: VariantKey): void {
  const provider = trace.getTracerProvider();
  switch (variant) {
    case 'none':
      return;
    case 'ours':
    case 'ours-nocontent': {
      // The built package, as an app would load it.
      const { InfiniumInstrumentation } = require(path.join(DIST, 'index.js'));
      const instrumentation = new InfiniumInstrumentation({ captureContent: variant === 'ours' });
      instrumentation.setTracerProvider(provider);
      installed = instrumentation;
      return;
    }
    case 'otel':
    case 'otel-nologs': {
      const { OpenAIInstrumentation } = require('@opentelemetry/instrumentation-openai');
      const instrumentation = new OpenAIInstrumentation({ captureMessageContent: true });
      instrumentation.setTracerProvider(provider);
      installed = instrumentation;
      // This peer records content as log events, not on the span. Without a LoggerProvider they go to the
      // no-op logger and no content is recorded at all, so 'otel' gets a real logs pipeline (dropping, like
      // the span exporter), and 'otel-nologs' shows the peer without one.
      if (variant === 'otel') {
        const { LoggerProvider, SimpleLogRecordProcessor } = require('@opentelemetry/sdk-logs');
        const exporter = { export: (_logs: unknown, done: (r: ExportResult) => void) => done({ code: ExportResultCode.SUCCESS }), shutdown: () => Promise.resolve() };
        instrumentation.setLoggerProvider(new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] }));
      }
      // As registerInstrumentations() does: without it the peer's histogram fields stay unset (its class
      // fields overwrite what the base constructor created) and its stream wrapper throws.
      instrumentation.setMeterProvider(metrics.getMeterProvider());
      return;
    }
    case 'openinference': {
      const { OpenAIInstrumentation } = require('@arizeai/openinference-instrumentation-openai');
      installed = new OpenAIInstrumentation({ tracerProvider: provider });
      return;
    }
  }
}


function openaiCalls(): Record<Scenario, Call> {
  const { OpenAI } = require('openai');
  const json = () => Promise.resolve(fx.jsonResponse(fx.OPENAI_CHAT));
  const stream = () => Promise.resolve(fx.sseResponse(fx.OPENAI_STREAM));
  const chatClient = new OpenAI({ apiKey: 'sk-bench', fetch: json, maxRetries: 0 });
  const streamClient = new OpenAI({ apiKey: 'sk-bench', fetch: stream, maxRetries: 0 });
  return {
    async chat() {
      await chatClient.chat.completions.create({ model: 'gpt-4o-mini', temperature: 0.2, messages: fx.OPENAI_MESSAGES });
    },
    async stream() {
      const s = await streamClient.chat.completions.create({
        model: 'gpt-4o-mini',
        temperature: 0.2,
        messages: fx.OPENAI_MESSAGES,
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const _chunk of s);
    },
  };
}

function anthropicCalls(): Record<Scenario, Call> {
  const Anthropic = require('@anthropic-ai/sdk').default;
  const json = () => Promise.resolve(fx.jsonResponse(fx.ANTHROPIC_MESSAGE));
  const stream = () => Promise.resolve(fx.sseResponse(fx.ANTHROPIC_STREAM));
  const chatClient = new Anthropic({ apiKey: 'sk-ant-bench', fetch: json, maxRetries: 0 });
  const streamClient = new Anthropic({ apiKey: 'sk-ant-bench', fetch: stream, maxRetries: 0 });
  const request = { model: 'claude-sonnet-4-20250514', max_tokens: 256, system: 'Answer briefly.', messages: [{ role: 'user', content: 'Say hello.' }] };
  return {
    async chat() {
      await chatClient.messages.create(request);
    },
    async stream() {
      const s = await streamClient.messages.create({ ...request, stream: true });
      for await (const _event of s);
    },
  };
}

function googleCalls(): Record<Scenario, Call> {
  const { GoogleGenAI } = require('@google/genai');
  const json = () => Promise.resolve(fx.jsonResponse(fx.GEMINI_CONTENT));
  const stream = () => Promise.resolve(fx.sseResponse(fx.GEMINI_STREAM));
  const chatClient = new GoogleGenAI({ apiKey: 'test-key-bench', httpOptions: { fetch: json } });
  const streamClient = new GoogleGenAI({ apiKey: 'test-key-bench', httpOptions: { fetch: stream } });
  const request = { model: 'gemini-2.5-flash', contents: 'Say hello.', config: { temperature: 0.2, systemInstruction: 'Answer briefly.' } };
  return {
    async chat() {
      await chatClient.models.generateContent(request);
    },
    async stream() {
      for await (const _chunk of await streamClient.models.generateContentStream(request));
    },
  };
}

const CALLS: Record<ProviderKey, () => Record<Scenario, Call>> = {
  openai: openaiCalls, anthropic: anthropicCalls, google: googleCalls, ...MORE_SDK_CALLS, ...ANTHROPIC_CLOUDS_CALLS, ...HUGGINGFACE_CALLS,
  ...VERTEX_REPLICATE_CALLS,
};

export function setUp(providerKey: ProviderKey, variant: VariantKey): { calls: Record<Scenario, Call>; exporter: CountingDropExporter } {
  const exporter = setUpTracing();
  instrument(variant);
  return { calls: CALLS[providerKey](), exporter };
}

/** A scavenge now (the variant processes run with --expose-gc). */
function collectYoungGeneration(): void {
  (globalThis as { gc?: (options: { type: 'minor'; execution: 'sync' }) => void }).gc?.({ type: 'minor', execution: 'sync' });
}

/**
 * µs per call, as CPU time of this process (all its threads, GC included) and as wall time. The figures use
 * CPU time: the workload never waits on I/O, so on a quiet machine both agree, and on a shared machine the
 * CPU time is far less disturbed by other processes taking turns on the cores.
 */
async function timeCalls(call: Call, n: number): Promise<{ cpuUs: number; wallUs: number; gc: GcFigures }> {
  let cpuUs = 0;
  let wallUs = 0;
  // A batch starts with an empty young generation and ends by collecting it, so that it pays for the
  // garbage it made, and for nothing else. Without this, what a batch left in the young generation was
  // collected during the next batch: another variant's, or the other half of a pair. A variant that
  // allocates more then looked cheaper when its own baseline ran right after it (docs/performance.md).
  collectYoungGeneration();
  const gc = await meter.measure(async () => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < n; i++) await call();
    collectYoungGeneration();
    wallUs = ((performance.now() - start) * 1000) / n;
    const used = process.cpuUsage(cpu);
    cpuUs = (used.user + used.system) / n;
  });
  return { cpuUs, wallUs, gc };
}

const meter = new GcMeter();

async function main(): Promise<void> {
  const [providerKey, variant, scenarioArg, countArg] = process.argv.slice(2) as [ProviderKey, VariantKey, Scenario?, string?];
  const { calls, exporter } = setUp(providerKey, variant);
  if (!process.send) {
    // Standalone (profiling): one scenario, a fixed number of calls, and the figure on stdout.
    const scenario = scenarioArg ?? 'chat';
    const n = Number(countArg ?? 20000);
    await timeCalls(calls[scenario], Math.min(2000, n));
    const t = await timeCalls(calls[scenario], n);
    console.log(
      `${providerKey} ${variant} ${scenario}: ${t.cpuUs.toFixed(1)} µs CPU/call, ${t.wallUs.toFixed(1)} µs wall/call, ` +
        `GC ${(t.gc.gcUs / n).toFixed(1)} µs/call, promoted ${(t.gc.promotedBytes / n).toFixed(0)} B/call, ` +
        `allocated ${(t.gc.allocatedBytes / n).toFixed(0)} B/call ` +
        `(${t.gc.youngGcs} young, ${t.gc.fullGcs} full GCs)`,
    );
    return;
  }
  process.on('message', async (message: RunMessage | { type: 'exit' }) => {
    if (message.type === 'exit') process.exit(0);
    if (message.instrumented === false) installed?.disable();
    else if (installed && !installed.isEnabled()) installed.enable();
    const before = exporter.llmSpans;
    const t = await timeCalls(calls[message.scenario], message.calls);
    const reply: ResultMessage = {
      type: 'result',
      scenario: message.scenario,
      usPerCall: t.cpuUs,
      wallUsPerCall: t.wallUs,
      llmSpansPerCall: (exporter.llmSpans - before) / message.calls,
      gcUs: t.gc.gcUs,
      promotedBytes: t.gc.promotedBytes,
      allocatedBytes: t.gc.allocatedBytes,
      youngGcs: t.gc.youngGcs,
      fullGcs: t.gc.fullGcs,
    };
    process.send!(reply);
  });
  process.send({ type: 'ready' });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
