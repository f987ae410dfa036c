/**
 * The standalone figures every per-SDK bench file prints (`node --import tsx bench/<sdk>.ts`, after
 * `npx tsc -p tsconfig.build.json`): µs of CPU per call with the built package's instrumentation disabled
 * (`none`: its require hooks stay registered, as in any app that loads instrumentations) and enabled
 * (`ours`), alternating in rotated rounds (round -1 warms up), the median overhead, and our spans per call.
 * One loop for every file, so that their figures are measured the same way.
 */
import path from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { CountingExporter } from './drop-exporter';
import type { Call } from './scenario';
import { median, medianOverhead, rotate, round, table } from './stats';

/**
 * `tables`: per SDK, its calls by name; `providers`: the instrumentation's `providers` option; `calls`:
 * which of each table's calls are timed (most tables have `chat` and `stream` only). Env: `BENCH_ROUNDS`
 * (default 9), `BENCH_SCALE` (calls per round, default 300 × 1).
 */
export async function printOverheadTable(
  tables: Record<string, () => Record<string, Call>>,
  providers: string[],
  calls: readonly string[] = ['chat', 'stream'],
): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
  const perRound = Math.max(50, Math.round(300 * Number(process.env.BENCH_SCALE ?? 1)));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  // The SDKs' own spans (Anthropic 1.x emits one per call, with or without us) are not counted.
  const exporter = new CountingExporter((span) => span.instrumentationScope.name === '@infinium/otel');
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const { InfiniumInstrumentation } = require(path.resolve(__dirname, '..', 'dist', 'index.js'));
  const instrumentation = new InfiniumInstrumentation({ providers });
  instrumentation.setTracerProvider(provider);
  trace.setGlobalTracerProvider(provider);
  const rows: Array<Array<string | number>> = [];
  for (const [name, make] of Object.entries(tables)) {
    for (const scenario of calls) {
      const samples: Record<'none' | 'ours', number[]> = { none: [], ours: [] };
      let spansPerCall = 0;
      for (let r = -1; r < rounds; r++) {
        for (const variant of rotate(['none', 'ours'] as const, r)) {
          if (variant === 'none') instrumentation.disable();
          else instrumentation.enable();
          const call = make()[scenario];
          const [spans, cpu] = [exporter.counted, process.cpuUsage()];
          for (let i = 0; i < perRound; i++) await call();
          const used = process.cpuUsage(cpu);
          if (variant === 'ours') spansPerCall = (exporter.counted - spans) / perRound;
          if (r >= 0) samples[variant].push((used.user + used.system) / perRound);
        }
      }
      rows.push([name, scenario, round(median(samples.none)), round(median(samples.ours)), round(medianOverhead(samples.ours, samples.none)), spansPerCall]);
    }
  }
  console.log(table(['sdk', 'call', 'none µs', 'ours µs', 'overhead µs', 'spans/call'], rows));
}
