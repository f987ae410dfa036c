/**
 * One variant of the `langchain` bench section in its own process (bench/langchain.ts forks one per variant
 * and sends it interleaved rounds, as bench/sdk-bench.ts does with bench/variant.ts): LangChain with no
 * instrumentation, with ours (content captured or not), or with Arize's LangChain and OpenAI
 * instrumentations together, as an app that wants both its chains and its OpenAI calls traced runs them.
 *
 * Standalone, for one figure or a profile: `node --expose-gc --import tsx bench/langchain-variant.ts arize agent 500`.
 */
import path from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { CountingExporter, type Switchable } from './drop-exporter';
import { GcFigures, GcMeter } from './gc-meter';
import { awaitLangChainCallbacks, LangChainScenario, LangChainVariant, langChainWorkloads, served, Workload } from './langchain-workload';

export interface LangChainRunMessage {
  type: 'run';
  scenario: LangChainScenario;
  calls: number;
  /** false: the batch runs with the variant's instrumentation switched off (the paired baseline). */
  instrumented: boolean;
}

export interface LangChainResult {
  type: 'result';
  /** CPU µs per run (a chain run or an agent turn), GC included. */
  usPerCall: number;
  wallUsPerCall: number;
  /** Spans exported per run, of every kind, and the LLM spans among them (OpenInference span kind). */
  spansPerCall: number;
  llmSpansPerCall: number;
  /** Model requests the fake server answered per run. */
  requestsPerCall: number;
  gc: GcFigures;
}

/** BENCH_DIST: another build of ours to load, as in bench/variant.ts. */
const DIST = process.env.BENCH_DIST ?? path.resolve(__dirname, '..', 'dist');

function setUpTracing(): { provider: TracerProvider; exporter: CountingExporter } {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // As in bench/variant.ts: the context is entered once, as in any traced app, so that every variant pays
  // for Node's promise hooks alike.
  context.with(context.active(), () => undefined);
  const exporter = new CountingExporter((span) => span.attributes['openinference.span.kind'] === 'LLM');
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  trace.setGlobalTracerProvider(provider);
  return { provider, exporter };
}

/** Installs the variant's instrumentation. Runs before LangChain is required, so require hooks see it load. */
function instrument(variant: LangChainVariant, provider: TracerProvider): Switchable | undefined {
  switch (variant) {
    case 'none':
      return undefined;
    case 'ours':
    case 'ours-nocontent': {
      // The built package, as an app would load it; its LangChain floor is on by default.
      const { InfiniumInstrumentation } = require(path.join(DIST, 'index.js'));
      const instrumentation = new InfiniumInstrumentation({ captureContent: variant === 'ours' });
      instrumentation.setTracerProvider(provider);
      return instrumentation;
    }
    case 'arize': {
      const { OpenAIInstrumentation } = require('@arizeai/openinference-instrumentation-openai');
      const { LangChainInstrumentation } = require('@arizeai/openinference-instrumentation-langchain');
      const openai = new OpenAIInstrumentation({ tracerProvider: provider });
      const langchain = new LangChainInstrumentation({ tracerProvider: provider });
      // As its README says: the callback manager module is instrumented by hand.
      const callbackManager = require('@langchain/core/callbacks/manager');
      langchain.manuallyInstrument(callbackManager);
      return {
        enable() {
          openai.enable();
          langchain.manuallyInstrument(callbackManager);
        },
        disable() {
          openai.disable();
          // A manually instrumented module is not among those disable() unpatches.
          langchain.disable();
          langchain.unpatch(callbackManager);
        },
      };
    }
  }
}

function collectYoungGeneration(): void {
  (globalThis as { gc?: (options: { type: 'minor'; execution: 'sync' }) => void }).gc?.({ type: 'minor', execution: 'sync' });
}

/** Made on first use, so that only the variant's process observes its GC. */
let meter: GcMeter | undefined;

/**
 * CPU µs per run, as bench/variant.ts times SDK calls: the batch starts with an empty young generation and
 * ends by collecting it, so that it pays for its own garbage only; and it ends when LangChain's background
 * callbacks have run, so that it pays for all of its spans.
 */
async function timeRuns(run: Workload, n: number): Promise<{ cpuUs: number; wallUs: number; gc: GcFigures }> {
  let cpuUs = 0;
  let wallUs = 0;
  collectYoungGeneration();
  const gc = await (meter ??= new GcMeter()).measure(async () => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (let i = 0; i < n; i++) await run();
    await awaitLangChainCallbacks();
    collectYoungGeneration();
    wallUs = ((performance.now() - start) * 1000) / n;
    const used = process.cpuUsage(cpu);
    cpuUs = (used.user + used.system) / n;
  });
  return { cpuUs, wallUs, gc };
}

async function main(): Promise<void> {
  const [variant, scenarioArg, countArg] = process.argv.slice(2) as [LangChainVariant, LangChainScenario?, string?];
  const { provider, exporter } = setUpTracing();
  const installed = instrument(variant, provider);
  const workloads = langChainWorkloads();
  let enabled = true;
  const batch = async (scenario: LangChainScenario, calls: number): Promise<LangChainResult> => {
    const before = { spans: exporter.spans, llmSpans: exporter.counted, requests: served.requests };
    const t = await timeRuns(workloads[scenario], calls);
    return {
      type: 'result',
      usPerCall: t.cpuUs,
      wallUsPerCall: t.wallUs,
      spansPerCall: (exporter.spans - before.spans) / calls,
      llmSpansPerCall: (exporter.counted - before.llmSpans) / calls,
      requestsPerCall: (served.requests - before.requests) / calls,
      gc: t.gc,
    };
  };
  if (!process.send) {
    const scenario = scenarioArg ?? 'chain';
    const n = Number(countArg ?? 1000);
    await batch(scenario, Math.min(500, n));
    const r = await batch(scenario, n);
    console.log(
      `${variant} ${scenario}: ${r.usPerCall.toFixed(0)} µs CPU/run, ${r.wallUsPerCall.toFixed(0)} µs wall/run, ` +
        `${r.spansPerCall} spans/run (${r.llmSpansPerCall} LLM, ${r.requestsPerCall} requests), allocated ${(r.gc.allocatedBytes / n).toFixed(0)} B/run`,
    );
    return;
  }
  process.on('message', async (message: LangChainRunMessage | { type: 'exit' }) => {
    if (message.type === 'exit') process.exit(0);
    if (installed && message.instrumented !== enabled) {
      if (message.instrumented) installed.enable();
      else installed.disable();
      enabled = message.instrumented;
    }
    process.send!(await batch(message.scenario, message.calls));
  });
  process.send({ type: 'ready' });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
