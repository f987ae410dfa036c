/**
 * What the section benches that measure in fresh child processes (bench/vector-stores.ts, bench/mcp.ts, …)
 * share: the traced app a child stands in, loading the built instrumentation, running a child and reading its
 * report, and the parent-or-child entry of the script.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { CountingExporter, type Switchable } from './drop-exporter';
import { median, round } from './stats';

export const ROOT = path.resolve(__dirname, '..');
/** BENCH_DIST: another build to load (bench/breakdown.ts, to compare with an older commit's dist/). */
export const DIST = process.env.BENCH_DIST ?? path.join(ROOT, 'dist');

/**
 * The tracing pipeline of the app a child stands in, installed before any SDK is required, as an app has it;
 * the exporter counts the spans `counts` picks.
 */
export function setUpBenchTracing(counts: (span: ReadableSpan) => boolean): { exporter: CountingExporter; provider: TracerProvider } {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // Every variant pays the context's promise hooks alike (bench/variant.ts says why).
  context.with(context.active(), () => undefined);
  const exporter = new CountingExporter(counts);
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  trace.setGlobalTracerProvider(provider);
  return { exporter, provider };
}

/** Our instrumentation from the build (DIST), on `provider`. */
export function loadOurInstrumentation(provider: TracerProvider, config: Record<string, unknown>): Switchable {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { InfiniumInstrumentation } = require(path.join(DIST, 'index.js'));
  const instrumentation = new InfiniumInstrumentation(config);
  instrumentation.setTracerProvider(provider);
  return instrumentation;
}

/** Runs `script child …args` in a fresh process (tsx, GC exposed) and parses its report, the last stdout line. */
export function runBenchChild<T = Record<string, number>>(script: string, args: string[]): T {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script, 'child', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}

/**
 * Fresh child processes per variant, interleaved generation by generation (so that every variant meets the
 * machine's drift alike); the result gives a figure's median across a variant's processes.
 */
export function medianOfChildren<V extends string>(script: string, variants: readonly V[], generations: number, args: (variant: V) => string[]): (variant: V, key: string) => number {
  const runs = new Map<V, Array<Record<string, number>>>(variants.map((variant) => [variant, []]));
  for (let g = 0; g < generations; g++) for (const variant of variants) runs.get(variant)!.push(runBenchChild(script, args(variant)));
  return (variant, key) => round(median(runs.get(variant)!.map((r) => r[key]).filter((v) => v !== undefined)), 2);
}

/**
 * A section script run standalone: `child …args` prints the child's report and exits (an SDK's timers, a stdio
 * server child, must not keep a finished measurement alive); with no arguments it prints the parent's figures.
 */
export function runBenchScript(child: (args: string[]) => Promise<unknown>, parent: () => unknown): void {
  const main = async (): Promise<void> => {
    if (process.argv[2] === 'child') {
      console.log(JSON.stringify(await child(process.argv.slice(3))));
      process.exit(0);
    }
    console.log(JSON.stringify(parent()));
  };
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
