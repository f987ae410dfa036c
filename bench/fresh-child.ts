/**
 * One fresh-process measurement (bench/fresh.ts): one variant, one scenario, in a process of its own with
 * Node's default V8 flags, as an app's process is. A warm-up, then a timed run; prints one JSON line.
 *
 *   node --import tsx bench/fresh-child.ts <variant> <chat|stream> [warmup=300] [calls=3000]
 *
 * The set-up is bench/variant.ts's (a real TracerProvider, a SimpleSpanProcessor whose exporter drops and
 * counts the LLM spans, the AsyncLocalStorage context manager entered once; our package from dist/, or
 * BENCH_DIST). Nothing here forces a GC or sizes the heap: garbage costs what it costs in an app.
 */
import { readFileSync } from 'node:fs';
import { setUp, type Scenario, type VariantKey } from './variant';

export interface FreshChildResult {
  /** Wall-clock µs per timed call. */
  wallUs: number;
  /** CPU µs per timed call (all threads of the process, GC included). */
  cpuUs: number;
  /**
   * The main thread's CPU µs per timed call (Linux: its schedstat), without V8's background threads and
   * without the time spent waiting for a core.
   */
  mainCpuUs?: number;
  /** LLM spans exported per timed call: 1 for an instrumented variant, 0 for `none`. */
  llmSpansPerCall: number;
}

async function main(): Promise<void> {
  const [variant, scenario, warmupArg, callsArg] = process.argv.slice(2) as [VariantKey, Scenario, string?, string?];
  const warmup = Number(warmupArg ?? 300);
  const n = Number(callsArg ?? 3000);
  const { calls, exporter } = setUp('openai', variant);
  const call = calls[scenario];
  for (let i = 0; i < warmup; i++) await call();
  const spansBefore = exporter.llmSpans;
  const mainCpu = mainThreadCpuNs();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) await call();
  const wallUs = ((performance.now() - start) * 1000) / n;
  const used = process.cpuUsage(cpu);
  const mainCpuEnd = mainThreadCpuNs();
  const result: FreshChildResult = {
    wallUs, cpuUs: (used.user + used.system) / n, llmSpansPerCall: (exporter.llmSpans - spansBefore) / n,
    mainCpuUs: mainCpu === undefined || mainCpuEnd === undefined ? undefined : (mainCpuEnd - mainCpu) / 1000 / n,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** The main thread's time on a CPU so far, in ns (the first field of its schedstat); `undefined` off Linux. */
function mainThreadCpuNs(): number | undefined {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return undefined;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
