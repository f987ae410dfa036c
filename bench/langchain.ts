/**
 * The `langchain` section of `npm run bench`: what tracing adds to an LCEL chain run and to a LangGraph
 * agent turn (bench/langchain-workload.ts), for no instrumentation, ours (content captured or not) and
 * Arize's LangChain + OpenAI instrumentations, measured as bench/sdk-bench.ts measures the SDK calls: one
 * process per variant (bench/langchain-variant.ts), fresh generations of them, rounds interleaved across
 * the variants in rotating order, and each instrumented process timing its batch with the instrumentation
 * switched off and on back to back (the paired overhead, AB/BA averaged; see docs/performance.md).
 */
import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { VARIANT_NODE_FLAGS } from './sdk-bench';
import { median, medianOfCrossovers, medianOverhead, rotate, round, table } from './stats';
import type { LangChainScenario, LangChainVariant } from './langchain-workload';
import type { LangChainResult, LangChainRunMessage } from './langchain-variant';

export interface LangChainBenchOptions {
  variants: readonly LangChainVariant[];
  rounds: number;
  /** Fresh processes per variant, the rounds spread over them. */
  generations: number;
  /** Runs per timed batch, and per warm-up, per scenario. */
  calls: Record<LangChainScenario, number>;
  warmupCalls: Record<LangChainScenario, number>;
}

export interface LangChainVariantFigures {
  /** CPU µs per run (chain run or agent turn), median over rounds. */
  usPerCall: number;
  wallUsPerCall: number;
  /** µs per run the instrumentation adds: on minus off in its own process (median of AB/BA averages). */
  overheadUs?: number;
  /** µs per run above the `none` process (median of the per-round differences). */
  overheadVsNoneUs?: number;
  spansPerCall: number;
  llmSpansPerCall: number;
  requestsPerCall: number;
  /** LLM spans per model request: 1 is one span per request, 2 the double span. */
  llmSpansPerRequest: number;
  gcUsPerCall: number;
  promotedBytesPerCall: number;
  allocatedBytesPerCall: number;
  /** Allocated bytes per run above the `none` process's. */
  allocatedBytesVsNone?: number;
  /** overheadUs ÷ Arize's; ratioVsNoneToArize: the same with the overheads over `none`. */
  ratioToArize?: number;
  ratioVsNoneToArize?: number;
  rounds: number[];
  pairedRounds?: number[];
}

export type LangChainFigures =
  | { skipped: string }
  | { scenarios: Partial<Record<LangChainScenario, { variants: Partial<Record<LangChainVariant, LangChainVariantFigures>> }>> };

const SCENARIOS: readonly LangChainScenario[] = ['chain', 'agent'];
const VARIANT_SCRIPT = path.join(__dirname, 'langchain-variant.ts');

class VariantProcess {
  private readonly child: ChildProcess;
  private waiting: ((message: LangChainResult) => void) | undefined;
  private failed: ((error: Error) => void) | undefined;
  readonly ready: Promise<void>;

  constructor(readonly variant: LangChainVariant) {
    this.child = fork(VARIANT_SCRIPT, [variant], { execArgv: [...VARIANT_NODE_FLAGS, '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.ready = new Promise((resolve, reject) => {
      this.child.once('message', () => resolve());
      this.child.once('exit', (code) => reject(new Error(`langchain/${variant} exited with ${code}`)));
    });
    this.ready.catch(() => undefined);
    this.child.on('message', (message: LangChainResult) => {
      if (message.type === 'result') this.waiting?.(message);
    });
    this.child.on('exit', (code) => this.failed?.(new Error(`langchain/${variant} exited with ${code}`)));
  }

  run(scenario: LangChainScenario, calls: number, instrumented = true): Promise<LangChainResult> {
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failed = reject;
      const message: LangChainRunMessage = { type: 'run', scenario, calls, instrumented };
      this.child.send(message);
    });
  }

  stop(): void {
    this.failed = undefined;
    if (this.child.connected) this.child.send({ type: 'exit' });
  }
}

/** Everything measured of one variant in one scenario, over all rounds. */
interface Samples {
  timings: number[];
  wall: number[];
  pairs: number[];
  calls: number;
  gcUs: number;
  promotedBytes: number;
  allocatedBytes: number;
  last?: LangChainResult;
}

export async function benchLangChain(options: LangChainBenchOptions, log: (line: string) => void): Promise<LangChainFigures> {
  const samples = new Map<string, Samples>();
  const of = (variant: LangChainVariant, scenario: LangChainScenario) => {
    const key = `${variant}/${scenario}`;
    return samples.get(key) ?? samples.set(key, { timings: [], wall: [], pairs: [], calls: 0, gcUs: 0, promotedBytes: 0, allocatedBytes: 0 }).get(key)!;
  };
  const generations = Math.max(1, Math.min(options.generations, options.rounds));
  let r = 0;
  for (let g = 0; g < generations; g++) {
    const processes = options.variants.map((v) => new VariantProcess(v));
    try {
      await Promise.all(processes.map((p) => p.ready));
      // Warm-ups are not timed, so the processes warm up side by side.
      await Promise.all(processes.map(async (p) => {
        for (const scenario of SCENARIOS) of(p.variant, scenario).last = await p.run(scenario, options.warmupCalls[scenario]);
      }));
      const last = Math.round((options.rounds * (g + 1)) / generations);
      for (; r < last; r++) {
        for (const scenario of SCENARIOS) {
          for (const p of rotate(processes, r)) {
            const s = of(p.variant, scenario);
            const paired = p.variant !== 'none';
            const offFirst = r % 2 === 0;
            const off = paired && offFirst ? await p.run(scenario, options.calls[scenario], false) : undefined;
            const on = await p.run(scenario, options.calls[scenario]);
            const offAfter = paired && !offFirst ? await p.run(scenario, options.calls[scenario], false) : off;
            if (offAfter) {
              s.pairs.push(on.usPerCall - offAfter.usPerCall);
              if (offAfter.spansPerCall !== 0) log(`  warning: langchain/${p.variant}/${scenario} made spans with its instrumentation off`);
            }
            s.timings.push(on.usPerCall);
            s.wall.push(on.wallUsPerCall);
            s.calls += options.calls[scenario];
            s.gcUs += on.gc.gcUs;
            s.promotedBytes += on.gc.promotedBytes;
            s.allocatedBytes += on.gc.allocatedBytes;
            s.last = on;
          }
        }
        log(`  langchain: round ${r + 1}/${options.rounds} (process generation ${g + 1}/${generations})`);
      }
    } catch (err) {
      return { skipped: `failed: ${(err as Error).message}` };
    } finally {
      for (const p of processes) p.stop();
    }
  }
  return { scenarios: figuresOf(options, of, log) };
}

function figuresOf(
  options: LangChainBenchOptions,
  of: (variant: LangChainVariant, scenario: LangChainScenario) => Samples,
  log: (line: string) => void,
): Extract<LangChainFigures, { scenarios: unknown }>['scenarios'] {
  const scenarios: Extract<LangChainFigures, { scenarios: unknown }>['scenarios'] = {};
  for (const scenario of SCENARIOS) {
    const none = of('none', scenario);
    const variants: Partial<Record<LangChainVariant, LangChainVariantFigures>> = {};
    for (const variant of options.variants) {
      const s = of(variant, scenario);
      const last = s.last!;
      variants[variant] = {
        usPerCall: round(median(s.timings)),
        wallUsPerCall: round(median(s.wall)),
        overheadUs: s.pairs.length > 0 ? round(medianOfCrossovers(s.pairs)) : undefined,
        overheadVsNoneUs: variant === 'none' ? undefined : round(medianOverhead(s.timings, none.timings)),
        spansPerCall: last.spansPerCall,
        llmSpansPerCall: last.llmSpansPerCall,
        requestsPerCall: last.requestsPerCall,
        llmSpansPerRequest: round(last.llmSpansPerCall / last.requestsPerCall, 2),
        gcUsPerCall: round(s.gcUs / s.calls),
        promotedBytesPerCall: Math.round(s.promotedBytes / s.calls),
        allocatedBytesPerCall: Math.round(s.allocatedBytes / s.calls),
        allocatedBytesVsNone: variant === 'none' ? undefined : Math.round(s.allocatedBytes / s.calls - none.allocatedBytes / none.calls),
        rounds: s.timings.map((v) => round(v)),
        pairedRounds: s.pairs.length > 0 ? s.pairs.map((v) => round(v)) : undefined,
      };
      if (variant === 'ours' && last.spansPerCall <= last.llmSpansPerCall) {
        log(`  warning: langchain/ours/${scenario} made LLM spans only: the LangChain floor is not in this build`);
      }
    }
    const arize = variants.arize;
    for (const v of Object.values(variants)) {
      if (!v || !arize || v === variants.none) continue;
      if (v.overheadUs !== undefined && arize.overheadUs) v.ratioToArize = round(v.overheadUs / arize.overheadUs, 2);
      if (v.overheadVsNoneUs !== undefined && arize.overheadVsNoneUs) v.ratioVsNoneToArize = round(v.overheadVsNoneUs / arize.overheadVsNoneUs, 2);
    }
    scenarios[scenario] = { variants };
  }
  return scenarios;
}

/** The section's lines in the printed report. */
export function reportLangChain(figures: LangChainFigures, rounds: number, generations: number): string[] {
  const out = [
    '',
    `== langchain: CPU µs per chain run (prompt | ChatOpenAI | parser) and per agent turn (createReactAgent: 2 model requests, 1 tool call); median of ${rounds} interleaved rounds over ${generations} processes per variant`,
    '+µs = on minus off in the variant\'s own process (AB/BA averaged); +µs vs none = over the uninstrumented process; ratio = +µs ÷ Arize\'s (LangChain + OpenAI instrumentations);',
    'spans and LLM spans per run; LLM/req = LLM spans per model request; allocated bytes per run, and above none\'s',
  ];
  if ('skipped' in figures) return [...out, `skipped: ${figures.skipped}`];
  const rows: Array<Array<string | number>> = [];
  for (const scenario of SCENARIOS) {
    for (const [variant, v] of Object.entries(figures.scenarios[scenario]?.variants ?? {})) {
      rows.push([
        variant, scenario, v.usPerCall, v.overheadUs ?? '-', v.overheadVsNoneUs ?? '-', v.ratioToArize ?? '-', v.ratioVsNoneToArize ?? '-',
        v.spansPerCall, v.llmSpansPerCall, v.llmSpansPerRequest, v.gcUsPerCall, v.allocatedBytesPerCall, v.allocatedBytesVsNone ?? '-',
      ]);
    }
  }
  out.push(table(['variant', 'run', 'µs', '+µs', '+µs vs none', 'ratio', 'ratio vs none', 'spans', 'LLM', 'LLM/req', 'GC µs', 'allocated B', '+B vs none'], rows));
  for (const scenario of SCENARIOS) {
    const v = figures.scenarios[scenario]?.variants;
    if (v?.ours && v.arize) {
      out.push(`${scenario}: ours/Arize = ${v.ours.ratioToArize ?? '-'} with content, ${v['ours-nocontent']?.ratioToArize ?? '-'} without; LLM spans per request: ours ${v.ours.llmSpansPerRequest}, Arize ${v.arize.llmSpansPerRequest}; target < 1`);
    }
  }
  return out;
}
