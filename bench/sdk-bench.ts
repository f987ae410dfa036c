/**
 * Per-call overhead on the real SDKs: one child process per variant (bench/variant.ts), all alive at once
 * and idle except the one being timed, with the rounds interleaved across variants.
 */
import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { median, medianOfCrossovers, medianOverhead, rotate, round } from './stats';
import type { ProviderKey, ResultMessage, RunMessage, Scenario, VariantKey } from './variant';

export interface SdkBenchOptions {
  provider: ProviderKey;
  variants: VariantKey[];
  scenarios: Scenario[];
  rounds: number;
  /** Fresh processes per variant, the rounds spread over them (see benchSdk). */
  generations: number;
  /** Calls per timed batch, per scenario. */
  calls: Record<Scenario, number>;
  warmupCalls: Record<Scenario, number>;
}

export interface VariantFigures {
  /** CPU µs per call, median over rounds. */
  usPerCall: number;
  /** Wall-clock µs per call, median over rounds (shown for reference; disturbed by other load). */
  wallUsPerCall: number;
  /**
   * µs per call that the instrumentation adds, measured in its own process: the median, over rounds, of the
   * batch with it on minus the batch with it switched off (`disable()`) just before or after.
   */
  overheadUs?: number;
  /** µs per call above the `none` process: the median of the per-round differences (across processes). */
  overheadVsNoneUs?: number;
  llmSpansPerCall: number;
  /** GC pause µs per call, over all timed rounds (PerformanceObserver on `gc`). */
  gcUsPerCall: number;
  /** Bytes promoted to old space per call, over all timed rounds (v8.GCProfiler; see gc-meter.ts). */
  promotedBytesPerCall: number;
  /** Bytes allocated in the young generation per call: independent of machine load. */
  allocatedBytesPerCall: number;
  /** Young-generation and full GCs over all timed rounds. */
  youngGcs: number;
  fullGcs: number;
  /** This variant's overhead ÷ the best content-recording peer's (`bestPeer`). */
  ratioToBestPeer?: number;
  /** The same with the overheads over the `none` process. */
  ratioVsNoneToBestPeer?: number;
  rounds: number[];
  /** Per round: on minus off, µs per call. */
  pairedRounds?: number[];
}

export interface RatioSummary {
  /** The cheapest peer that records content. */
  bestPeer?: VariantKey;
  /** The cheapest peer configuration of all (content recorded or not). */
  bestPeerAny?: VariantKey;
  /** Our overhead (content on) divided by `bestPeer`'s. */
  ratioContentOn?: number;
  /** Our overhead (content off) divided by `bestPeerAny`'s. */
  ratioContentOff?: number;
}

/** The ratios on the paired overheads (the headline), and `vsNone` on the overheads over the `none` process. */
export interface ScenarioFigures extends RatioSummary {
  variants: Partial<Record<VariantKey, VariantFigures>>;
  vsNone?: RatioSummary;
}

export type SdkFigures = { skipped: string } | { scenarios: Partial<Record<Scenario, ScenarioFigures>> };

const VARIANT_SCRIPT = path.join(__dirname, 'variant.ts');
/** Peers that record message content (the bar for our content-on figure). */
const CONTENT_PEERS: readonly VariantKey[] = ['otel', 'openinference'];
/** Every peer configuration, content recorded or not (the bar for our content-off figure). */
const ALL_PEERS: readonly VariantKey[] = ['otel', 'otel-nologs', 'openinference'];
const INSTRUMENTED: readonly VariantKey[] = ['ours', 'ours-nocontent', 'otel', 'otel-nologs', 'openinference'];

/**
 * Node flags of every variant process. `--expose-gc`: each batch starts and ends with a scavenge (variant.ts).
 * A fixed young generation (16 MB semi-spaces, the most V8 grows it to by default): V8 otherwise sizes it
 * per process from what survived so far, and processes of the same variant ended up scavenging 2 or 3
 * times per batch, which moved their GC time per call by more than the gaps measured here.
 */
export const VARIANT_NODE_FLAGS = ['--expose-gc', '--min-semi-space-size=16', '--max-semi-space-size=16'];

class VariantProcess {
  private readonly child: ChildProcess;
  private waiting: ((message: ResultMessage) => void) | undefined;
  private failed: ((error: Error) => void) | undefined;
  readonly ready: Promise<void>;

  constructor(readonly provider: ProviderKey, readonly variant: VariantKey) {
    this.child = fork(VARIANT_SCRIPT, [provider, variant], { execArgv: [...VARIANT_NODE_FLAGS, '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.ready = new Promise((resolve, reject) => {
      this.child.once('message', () => resolve());
      this.child.once('exit', (code) => reject(new Error(`${provider}/${variant} exited with ${code}`)));
    });
    this.ready.catch(() => undefined);
    this.child.on('message', (message: ResultMessage) => {
      if (message.type === 'result') this.waiting?.(message);
    });
    this.child.on('exit', (code) => this.failed?.(new Error(`${provider}/${variant} exited with ${code}`)));
  }

  run(scenario: Scenario, calls: number, instrumented = true): Promise<ResultMessage> {
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failed = reject;
      const message: RunMessage = { type: 'run', scenario, calls, instrumented };
      this.child.send(message);
    });
  }

  stop(): void {
    this.failed = undefined;
    if (this.child.connected) this.child.send({ type: 'exit' });
  }
}

export async function benchSdk(options: SdkBenchOptions, log: (line: string) => void): Promise<SdkFigures> {
  const timings = new Map<string, number[]>();
  const wall = new Map<string, number[]>();
  const gc = new Map<string, GcTotals>();
  const spansPerCall = new Map<string, number>();
  /** Per round: µs per call with the instrumentation on minus off, in the same process, back to back. */
  const pairs = new Map<string, number[]>();
  // Each process is a draw of its own: where V8 places the heap, what it inlines and when its code reaches
  // its optimized tier differ from one process to the next, by more than the differences measured here. So
  // the rounds are spread over several generations of fresh processes, each variant getting one process
  // per generation, and the medians are taken over all of them.
  const generations = Math.max(1, Math.min(options.generations, options.rounds));
  let round = 0;
  for (let g = 0; g < generations; g++) {
    const processes = options.variants.map((v) => new VariantProcess(options.provider, v));
    try {
      await Promise.all(processes.map((p) => p.ready));
      for (const scenario of options.scenarios) {
        for (const p of processes) {
          const warm = await p.run(scenario, options.warmupCalls[scenario]);
          spansPerCall.set(`${p.variant}/${scenario}`, warm.llmSpansPerCall);
        }
      }
      if (options.variants.includes('ours') && spansPerCall.get(`ours/${options.scenarios[0]}`) === 0) {
        return { skipped: `@infinium/otel produced no ${options.provider} span (its adapter is not in this build yet)` };
      }
      const last = Math.round((options.rounds * (g + 1)) / generations);
      for (; round < last; round++) {
        for (const scenario of options.scenarios) {
          for (const p of rotate(processes, round)) {
            const key = `${p.variant}/${scenario}`;
            const paired = INSTRUMENTED.includes(p.variant);
            // The paired baseline: the same process, its instrumentation switched off, just before or just
            // after (alternately, so that neither side is always the one that runs first).
            const offFirst = round % 2 === 0;
            const off = paired && offFirst ? await p.run(scenario, options.calls[scenario], false) : undefined;
            const result = await p.run(scenario, options.calls[scenario]);
            const offAfter = paired && !offFirst ? await p.run(scenario, options.calls[scenario], false) : off;
            if (offAfter) {
              (pairs.get(key) ?? pairs.set(key, []).get(key)!).push(result.usPerCall - offAfter.usPerCall);
              if (offAfter.llmSpansPerCall !== 0) log(`  warning: ${key} made LLM spans with its instrumentation disabled`);
            }
            (timings.get(key) ?? timings.set(key, []).get(key)!).push(result.usPerCall);
            (wall.get(key) ?? wall.set(key, []).get(key)!).push(result.wallUsPerCall);
            const f = gc.get(key) ?? gc.set(key, { calls: 0, gcUs: 0, promotedBytes: 0, allocatedBytes: 0, youngGcs: 0, fullGcs: 0 }).get(key)!;
            f.calls += options.calls[scenario];
            f.gcUs += result.gcUs;
            f.promotedBytes += result.promotedBytes;
            f.allocatedBytes += result.allocatedBytes;
            f.youngGcs += result.youngGcs;
            f.fullGcs += result.fullGcs;
          }
        }
        log(`  ${options.provider}: round ${round + 1}/${options.rounds} (process generation ${g + 1}/${generations})`);
      }
    } catch (err) {
      return { skipped: `failed: ${(err as Error).message}` };
    } finally {
      for (const p of processes) p.stop();
    }
  }
  return { scenarios: figuresOf(options, { timings, wall, gc, spansPerCall, pairs }, log) };
}

interface GcTotals {
  calls: number;
  gcUs: number;
  promotedBytes: number;
  allocatedBytes: number;
  youngGcs: number;
  fullGcs: number;
}

/** Medians, overheads and ratios from the rounds of every variant. */
interface Measured {
  timings: Map<string, number[]>;
  wall: Map<string, number[]>;
  gc: Map<string, GcTotals>;
  spansPerCall: Map<string, number>;
  pairs: Map<string, number[]>;
}

function figuresOf(options: SdkBenchOptions, m: Measured, log: (line: string) => void): Partial<Record<Scenario, ScenarioFigures>> {
  const { timings, wall, gc, spansPerCall, pairs } = m;
  const scenarios: Partial<Record<Scenario, ScenarioFigures>> = {};
  for (const scenario of options.scenarios) {
    // Rounds are stored in run order; the per-round difference pairs each variant with `none` of the same round.
    const base = timings.get(`none/${scenario}`)!;
    const figures: ScenarioFigures = { variants: {} };
    for (const variant of options.variants) {
      const key = `${variant}/${scenario}`;
      const rounds = timings.get(key)!;
      const g = gc.get(key)!;
      const paired = pairs.get(key);
      figures.variants[variant] = {
        usPerCall: round(median(rounds)),
        wallUsPerCall: round(median(wall.get(key)!)),
        overheadUs: paired ? round(medianOfCrossovers(paired)) : undefined,
        overheadVsNoneUs: variant === 'none' ? undefined : round(medianOverhead(rounds, base)),
        llmSpansPerCall: spansPerCall.get(key)!,
        gcUsPerCall: round(g.gcUs / g.calls),
        promotedBytesPerCall: Math.round(g.promotedBytes / g.calls),
        allocatedBytesPerCall: Math.round(g.allocatedBytes / g.calls),
        youngGcs: g.youngGcs,
        fullGcs: g.fullGcs,
        rounds: rounds.map((v) => round(v)),
        pairedRounds: paired?.map((v) => round(v)),
      };
      if (INSTRUMENTED.includes(variant) && figures.variants[variant]!.llmSpansPerCall !== 1) {
        log(`  warning: ${options.provider}/${variant}/${scenario} exported ${figures.variants[variant]!.llmSpansPerCall} LLM spans per call`);
      }
    }
    rate(figures, 'overheadUs');
    rate(figures, 'overheadVsNoneUs');
    scenarios[scenario] = figures;
  }
  return scenarios;
}

type OverheadKey = 'overheadUs' | 'overheadVsNoneUs';

/** Ratios to the best peer, for one of the two overhead measures. */
function rate(figures: ScenarioFigures, measure: OverheadKey): void {
  const of = (v: VariantKey) => figures.variants[v]?.[measure];
  const best = (candidates: readonly VariantKey[]): VariantKey | undefined => {
    const present = candidates.filter((p) => of(p) !== undefined);
    return present.length === 0 ? undefined : present.reduce((a, b) => (of(a)! <= of(b)! ? a : b));
  };
  const bestContent = best(CONTENT_PEERS);
  const bestAny = best(ALL_PEERS);
  const ratio = (v: VariantKey, peer: VariantKey | undefined) => (peer && of(v) !== undefined ? round(of(v)! / of(peer)!, 2) : undefined);
  const paired = measure === 'overheadUs';
  for (const variant of INSTRUMENTED) {
    const v = figures.variants[variant];
    if (v) v[paired ? 'ratioToBestPeer' : 'ratioVsNoneToBestPeer'] = ratio(variant, bestContent);
  }
  const summary: RatioSummary = { bestPeer: bestContent, ratioContentOn: ratio('ours', bestContent), bestPeerAny: bestAny, ratioContentOff: ratio('ours-nocontent', bestAny) };
  if (paired) Object.assign(figures, summary);
  else figures.vsNone = summary;
}
