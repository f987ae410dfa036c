/**
 * Per-call overhead on the real SDKs: one child process per variant (bench/variant.ts), all alive at once
 * and idle except the one being timed, with the rounds interleaved across variants.
 */
import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { median, medianOverhead, rotate, round } from './stats';
import type { ProviderKey, ResultMessage, Scenario, VariantKey } from './variant';

export interface SdkBenchOptions {
  provider: ProviderKey;
  variants: VariantKey[];
  scenarios: Scenario[];
  rounds: number;
  /** Calls per timed batch, per scenario. */
  calls: Record<Scenario, number>;
  warmupCalls: Record<Scenario, number>;
}

export interface VariantFigures {
  /** CPU µs per call, median over rounds. */
  usPerCall: number;
  /** Wall-clock µs per call, median over rounds (shown for reference; disturbed by other load). */
  wallUsPerCall: number;
  /** µs per call above `none`: the median of the per-round differences. */
  overheadUs?: number;
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
  rounds: number[];
}

export interface ScenarioFigures {
  variants: Partial<Record<VariantKey, VariantFigures>>;
  /** The cheapest peer that records content. */
  bestPeer?: VariantKey;
  /** The cheapest peer configuration of all (content recorded or not). */
  bestPeerAny?: VariantKey;
  /** Our overhead (content on) divided by `bestPeer`'s. */
  ratioContentOn?: number;
  /** Our overhead (content off) divided by `bestPeerAny`'s. */
  ratioContentOff?: number;
}

export type SdkFigures = { skipped: string } | { scenarios: Partial<Record<Scenario, ScenarioFigures>> };

const VARIANT_SCRIPT = path.join(__dirname, 'variant.ts');
/** Peers that record message content (the bar for our content-on figure). */
const CONTENT_PEERS: readonly VariantKey[] = ['otel', 'openinference'];
/** Every peer configuration, content recorded or not (the bar for our content-off figure). */
const ALL_PEERS: readonly VariantKey[] = ['otel', 'otel-nologs', 'openinference'];
const INSTRUMENTED: readonly VariantKey[] = ['ours', 'ours-nocontent', 'otel', 'otel-nologs', 'openinference'];

class VariantProcess {
  private readonly child: ChildProcess;
  private waiting: ((message: ResultMessage) => void) | undefined;
  private failed: ((error: Error) => void) | undefined;
  readonly ready: Promise<void>;

  constructor(readonly provider: ProviderKey, readonly variant: VariantKey) {
    this.child = fork(VARIANT_SCRIPT, [provider, variant], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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

  run(scenario: Scenario, calls: number): Promise<ResultMessage> {
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failed = reject;
      this.child.send({ type: 'run', scenario, calls });
    });
  }

  stop(): void {
    this.failed = undefined;
    if (this.child.connected) this.child.send({ type: 'exit' });
  }
}

export async function benchSdk(options: SdkBenchOptions, log: (line: string) => void): Promise<SdkFigures> {
  const processes = options.variants.map((v) => new VariantProcess(options.provider, v));
  try {
    await Promise.all(processes.map((p) => p.ready));
    const spansPerCall = new Map<string, number>();
    for (const scenario of options.scenarios) {
      for (const p of processes) {
        const warm = await p.run(scenario, options.warmupCalls[scenario]);
        spansPerCall.set(`${p.variant}/${scenario}`, warm.llmSpansPerCall);
      }
    }
    const ours = spansPerCall.get(`ours/${options.scenarios[0]}`);
    if (options.variants.includes('ours') && ours === 0) {
      return { skipped: `@infinium/otel produced no ${options.provider} span (its adapter is not in this build yet)` };
    }
    const timings = new Map<string, number[]>();
    const wall = new Map<string, number[]>();
    const gc = new Map<string, { calls: number; gcUs: number; promotedBytes: number; allocatedBytes: number; youngGcs: number; fullGcs: number }>();
    for (let r = 0; r < options.rounds; r++) {
      for (const scenario of options.scenarios) {
        for (const p of rotate(processes, r)) {
          const result = await p.run(scenario, options.calls[scenario]);
          const key = `${p.variant}/${scenario}`;
          (timings.get(key) ?? timings.set(key, []).get(key)!).push(result.usPerCall);
          (wall.get(key) ?? wall.set(key, []).get(key)!).push(result.wallUsPerCall);
          const g = gc.get(key) ?? gc.set(key, { calls: 0, gcUs: 0, promotedBytes: 0, allocatedBytes: 0, youngGcs: 0, fullGcs: 0 }).get(key)!;
          g.calls += options.calls[scenario];
          g.gcUs += result.gcUs;
          g.promotedBytes += result.promotedBytes;
          g.allocatedBytes += result.allocatedBytes;
          g.youngGcs += result.youngGcs;
          g.fullGcs += result.fullGcs;
        }
      }
      log(`  ${options.provider}: round ${r + 1}/${options.rounds}`);
    }
    const scenarios: Partial<Record<Scenario, ScenarioFigures>> = {};
    for (const scenario of options.scenarios) {
      // Rounds are stored in run order; the per-round difference pairs each variant with `none` of the same round.
      const base = timings.get(`none/${scenario}`)!;
      const figures: ScenarioFigures = { variants: {} };
      for (const variant of options.variants) {
        const rounds = timings.get(`${variant}/${scenario}`)!;
        const g = gc.get(`${variant}/${scenario}`)!;
        figures.variants[variant] = {
          usPerCall: round(median(rounds)),
          wallUsPerCall: round(median(wall.get(`${variant}/${scenario}`)!)),
          overheadUs: variant === 'none' ? undefined : round(medianOverhead(rounds, base)),
          llmSpansPerCall: spansPerCall.get(`${variant}/${scenario}`)!,
          gcUsPerCall: round(g.gcUs / g.calls),
          promotedBytesPerCall: Math.round(g.promotedBytes / g.calls),
          allocatedBytesPerCall: Math.round(g.allocatedBytes / g.calls),
          youngGcs: g.youngGcs,
          fullGcs: g.fullGcs,
          rounds: rounds.map((v) => round(v)),
        };
        if (INSTRUMENTED.includes(variant) && figures.variants[variant]!.llmSpansPerCall !== 1) {
          log(`  warning: ${options.provider}/${variant}/${scenario} exported ${figures.variants[variant]!.llmSpansPerCall} LLM spans per call`);
        }
      }
      const best = (candidates: readonly VariantKey[]): VariantKey | undefined => {
        const present = candidates.filter((p) => figures.variants[p]?.overheadUs !== undefined);
        return present.length === 0 ? undefined : present.reduce((a, b) => (figures.variants[a]!.overheadUs! <= figures.variants[b]!.overheadUs! ? a : b));
      };
      const bestContent = best(CONTENT_PEERS);
      const bestAny = best(ALL_PEERS);
      if (bestContent) {
        for (const variant of INSTRUMENTED) {
          const v = figures.variants[variant];
          if (v) v.ratioToBestPeer = round(v.overheadUs! / figures.variants[bestContent]!.overheadUs!, 2);
        }
      }
      if (bestContent && figures.variants.ours) {
        figures.bestPeer = bestContent;
        figures.ratioContentOn = round(figures.variants.ours.overheadUs! / figures.variants[bestContent]!.overheadUs!, 2);
      }
      if (bestAny && figures.variants['ours-nocontent']) {
        figures.bestPeerAny = bestAny;
        figures.ratioContentOff = round(figures.variants['ours-nocontent'].overheadUs! / figures.variants[bestAny]!.overheadUs!, 2);
      }
      scenarios[scenario] = figures;
    }
    return { scenarios };
  } catch (err) {
    return { skipped: `failed: ${(err as Error).message}` };
  } finally {
    for (const p of processes) p.stop();
  }
}
