/**
 * The headline per-call figure (issue 27): what an app's process pays per OpenAI call, measured as an app
 * runs. Every variant runs in a fresh process with Node's default V8 flags (bench/fresh-child.ts): 300
 * warm-up calls, then 3,000 timed calls, wall clock. A round runs every variant once per scenario, one
 * process after the other, in an order that rotates from round to round; the figure is the median over
 * rounds of each variant's time minus `none`'s in the same round.
 *
 * Unlike the paired section (bench/sdk-bench.ts), nothing here flatters slow-to-optimize or allocation-heavy
 * code: no long warm-up, no fixed young generation, no forced scavenges, no disable()/enable() inside one
 * process. See docs/performance.md, "Two methods".
 *
 * Environment: BENCH_FRESH_ROUNDS (default 5), BENCH_FRESH_WARMUP (300), BENCH_FRESH_CALLS (3000),
 * BENCH_FRESH_COMPARE (`label=/path/to/dist,…`: our package from another build, as more variants), BENCH_DIST
 * (the build `ours` loads, default dist/).
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { FreshChildResult } from './fresh-child';
import { median, medianOverhead, rotate, round, table } from './stats';
import type { Scenario, VariantKey } from './variant';

/** One process kind: a variant of bench/variant.ts, with our package from `dist` when given. */
export interface FreshVariant {
  label: string;
  variant: VariantKey;
  dist?: string;
}

export interface FreshVariantFigures {
  /** Wall-clock µs per call, median over rounds. */
  wallUs: number;
  cpuUs: number;
  /** µs per call over `none`: the median of the per-round differences (wall clock). */
  addedUs?: number;
  /** The same in CPU time (less disturbed by other load on a shared machine). */
  addedCpuUs?: number;
  /** The main thread's CPU µs per call, and over `none` (Linux): neither V8's background threads nor the wait for a core count. */
  mainCpuUs?: number;
  addedMainCpuUs?: number;
  llmSpansPerCall: number;
  wallRounds: number[];
  cpuRounds: number[];
  mainCpuRounds?: number[];
}

export interface FreshScenarioFigures {
  variants: Record<string, FreshVariantFigures>;
  /** The peer with the smaller added time (wall). */
  bestPeer?: string;
  /** `ours` added ÷ the best peer's, ÷ Arize's; `ours-nocontent` ÷ the best peer's (wall, then CPU). */
  oursOverBestPeer?: number;
  oursOverArize?: number;
  noContentOverBestPeer?: number;
  oursOverBestPeerCpu?: number;
  oursOverArizeCpu?: number;
  /** `ours` ÷ the best peer in the main thread's CPU time (the peer with the smaller figure there). */
  oursOverBestPeerMainCpu?: number;
  /**
   * The floors ÷ the best peer (wall), in the line apps: `floor` (a bare span) and `floor-attrs` (a bare span
   * with the keys our span carries, stored by the SDK): what the vocabularies cost before any code of ours.
   */
  floorOverBestPeer?: number;
  floorAttrsOverBestPeer?: number;
}

export interface FreshFigures {
  settings: { rounds: number; warmupCalls: number; timedCalls: number; node: string; app?: string };
  loadAverage: { start: number[]; end: number[] };
  durationS: number;
  scenarios: Partial<Record<Scenario, FreshScenarioFigures>>;
}

const CHILD = path.join(__dirname, 'fresh-child.ts');
/** The peers: @opentelemetry/instrumentation-openai (content as log events) and Arize's OpenInference. */
const PEERS = ['otel', 'openinference'];
const BASE_VARIANTS: FreshVariant[] = ['none', 'ours', 'ours-nocontent', 'otel', 'openinference'].map((v) => ({ label: v, variant: v as VariantKey }));

function compareVariants(): FreshVariant[] {
  const spec = process.env.BENCH_FRESH_COMPARE;
  if (!spec) return [];
  return spec.split(',').map((entry) => {
    const [label, dist] = entry.split('=');
    return { label: `ours@${label}`, variant: 'ours' as VariantKey, dist: path.resolve(dist) };
  });
}

function runChild(v: FreshVariant, scenario: Scenario, warmup: number, calls: number): FreshChildResult {
  const env = { ...process.env };
  delete env.BENCH_SAMPLER;
  if (v.dist) env.BENCH_DIST = v.dist;
  // Default V8 flags: no --expose-gc, no heap sizing. tsx only compiles the bench's own files at load.
  const out = execFileSync(process.execPath, ['--import', 'tsx', CHILD, v.variant, scenario, String(warmup), String(calls)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as FreshChildResult;
}

/** Runs one fresh process of a variant and returns what it measured. */
export type FreshRunner = (v: FreshVariant, scenario: Scenario, warmup: number, calls: number) => FreshChildResult;

/**
 * The rounds of the fresh-process method. By default the variants run from this repository (tsx, our dist/);
 * bench/fresh-lines.ts passes a runner and variants of its own (apps of each OpenTelemetry line).
 */
export function benchFresh(
  log: (line: string) => void,
  how: { runner?: FreshRunner; variants?: FreshVariant[]; node?: string; app?: string } = {},
): FreshFigures {
  const started = Date.now();
  const rounds = Number(process.env.BENCH_FRESH_ROUNDS ?? 5);
  const warmup = Number(process.env.BENCH_FRESH_WARMUP ?? 300);
  const calls = Number(process.env.BENCH_FRESH_CALLS ?? 3000);
  const runner = how.runner ?? runChild;
  const variants = how.variants ?? [...BASE_VARIANTS, ...compareVariants()];
  const scenarios: Scenario[] = ['chat', 'stream'];
  const loadStart = os.loadavg().map((v) => round(v, 2));
  const raw: Record<string, Record<string, FreshChildResult[]>> = { chat: {}, stream: {} };
  for (let r = 0; r < rounds; r++) {
    for (const scenario of r % 2 === 0 ? scenarios : [...scenarios].reverse()) {
      for (const v of rotate(variants, r)) {
        const result = runner(v, scenario, warmup, calls);
        (raw[scenario][v.label] ??= []).push(result);
      }
    }
    log(`  fresh round ${r + 1}/${rounds} (load ${os.loadavg()[0].toFixed(1)})`);
  }
  const figures: FreshFigures = {
    settings: { rounds, warmupCalls: warmup, timedCalls: calls, node: how.node ?? process.version, app: how.app },
    loadAverage: { start: loadStart, end: os.loadavg().map((v) => round(v, 2)) },
    durationS: 0,
    scenarios: {},
  };
  for (const scenario of scenarios) figures.scenarios[scenario] = summarize(raw[scenario], variants);
  figures.durationS = round((Date.now() - started) / 1000);
  return figures;
}

function summarize(raw: Record<string, FreshChildResult[]>, variants: FreshVariant[]): FreshScenarioFigures {
  const noneWall = raw.none.map((x) => x.wallUs);
  const noneCpu = raw.none.map((x) => x.cpuUs);
  const noneMain = mainCpuRounds(raw.none);
  const out: FreshScenarioFigures = { variants: {} };
  for (const v of variants) {
    const wallRounds = raw[v.label].map((x) => x.wallUs);
    const cpuRounds = raw[v.label].map((x) => x.cpuUs);
    const mainRounds = mainCpuRounds(raw[v.label]);
    out.variants[v.label] = {
      wallUs: round(median(wallRounds)),
      cpuUs: round(median(cpuRounds)),
      addedUs: v.label === 'none' ? undefined : round(medianOverhead(wallRounds, noneWall)),
      addedCpuUs: v.label === 'none' ? undefined : round(medianOverhead(cpuRounds, noneCpu)),
      mainCpuUs: mainRounds && round(median(mainRounds)),
      addedMainCpuUs: v.label === 'none' || !mainRounds || !noneMain ? undefined : round(medianOverhead(mainRounds, noneMain)),
      llmSpansPerCall: median(raw[v.label].map((x) => x.llmSpansPerCall)),
      wallRounds: wallRounds.map((x) => round(x)),
      cpuRounds: cpuRounds.map((x) => round(x)),
      mainCpuRounds: mainRounds?.map((x) => round(x)),
    };
  }
  const added = (label: string, cpu: boolean | 'main' = false) =>
    cpu === 'main' ? out.variants[label]?.addedMainCpuUs : cpu ? out.variants[label]?.addedCpuUs : out.variants[label]?.addedUs;
  const ratio = (a?: number, b?: number) => (a === undefined || b === undefined || b <= 0 ? undefined : round(a / b, 2));
  const best = (cpu: boolean | 'main') => PEERS.reduce((a, b) => ((added(b, cpu) ?? Infinity) < (added(a, cpu) ?? Infinity) ? b : a));
  out.bestPeer = best(false);
  out.oursOverBestPeer = ratio(added('ours'), added(out.bestPeer));
  out.oursOverArize = ratio(added('ours'), added('openinference'));
  out.noContentOverBestPeer = ratio(added('ours-nocontent'), added(out.bestPeer));
  out.oursOverBestPeerCpu = ratio(added('ours', true), added(best(true), true));
  out.oursOverArizeCpu = ratio(added('ours', true), added('openinference', true));
  out.oursOverBestPeerMainCpu = ratio(added('ours', 'main'), added(best('main'), 'main'));
  out.floorOverBestPeer = ratio(added('floor'), added(out.bestPeer));
  out.floorAttrsOverBestPeer = ratio(added('floor-attrs'), added(out.bestPeer));
  return out;
}

/** Each round's main-thread CPU µs, or `undefined` when a process could not read it (not Linux). */
function mainCpuRounds(results: FreshChildResult[]): number[] | undefined {
  const rounds = results.map((x) => x.mainCpuUs);
  return rounds.every((x): x is number => typeof x === 'number' && Number.isFinite(x)) ? rounds : undefined;
}

/** The section's lines in the `npm run bench` report. */
export function reportFresh(f: FreshFigures | { skipped: string }): string[] {
  if ('skipped' in f) return ['== HEADLINE: openai per call, fresh processes', `skipped: ${f.skipped}`];
  const s = f.settings;
  const lines = [
    `== ${s.app ? `HEADLINE: openai per call, fresh processes, ${s.app}` : 'openai per call, fresh processes run from this repository (3.x SDK)'} (${s.warmupCalls} warm-up + ${s.timedCalls} timed calls per process, default V8 flags, ` +
      `median of ${s.rounds} interleaved rounds; Node ${s.node}; load average ${f.loadAverage.start.join(' ')} -> ${f.loadAverage.end.join(' ')})`,
    '+µs = wall-clock µs per call over `none` (median of per-round differences); CPU +µs the same in the CPU time of the whole process, main +µs in that of its main thread alone; ratio = ours ÷ peer',
  ];
  const rows: Array<Array<string | number>> = [];
  for (const scenario of ['chat', 'stream'] as const) {
    const sc = f.scenarios[scenario];
    if (!sc) continue;
    for (const [label, v] of Object.entries(sc.variants)) {
      rows.push([label, scenario, v.wallUs, v.addedUs ?? '-', v.cpuUs, v.addedCpuUs ?? '-', v.mainCpuUs ?? '-', v.addedMainCpuUs ?? '-', v.llmSpansPerCall]);
    }
  }
  lines.push(table(['variant', 'call', 'wall µs', '+µs', 'CPU µs', 'CPU +µs', 'main µs', 'main +µs', 'LLM spans/call'], rows));
  for (const scenario of ['chat', 'stream'] as const) {
    const sc = f.scenarios[scenario];
    if (!sc) continue;
    lines.push(
      `${scenario}: ours ÷ best peer (${sc.bestPeer}) = ${sc.oursOverBestPeer ?? '-'}, ÷ Arize = ${sc.oursOverArize ?? '-'}; ` +
        `content off ÷ best peer = ${sc.noContentOverBestPeer ?? '-'}; CPU: ${sc.oursOverBestPeerCpu ?? '-'} / ${sc.oursOverArizeCpu ?? '-'}; ` +
        `main thread: ${sc.oursOverBestPeerMainCpu ?? '-'} (target <= 1, then 0.5)`,
    );
    if (sc.floorAttrsOverBestPeer !== undefined) {
      lines.push(`${scenario}: floors ÷ best peer: a bare span ${sc.floorOverBestPeer ?? '-'}, a bare span with our span's keys ${sc.floorAttrsOverBestPeer}`);
    }
  }
  lines.push(`(${f.durationS} s)`);
  return lines;
}
