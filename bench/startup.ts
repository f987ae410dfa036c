/**
 * Start-up (issue 27): what a CommonJS app pays to start a NodeSDK and load `openai` and
 * `@anthropic-ai/sdk`, in time and in memory, with no instrumentation, with the peer
 * (@opentelemetry/instrumentation-openai), with ours, and with `--require @infinium/otel/register` alone.
 *
 * Each start is a fresh process (bench/startup-app.cjs) run from an app directory of its own, whose
 * node_modules holds only what such an app installs: a copy of our build and links into this repository's
 * node_modules (what we find installed decides what we hook: `makeApp`). A round
 * starts every variant once, in an order that rotates from round to round; each figure is the median over
 * rounds of the variant's value minus `none`'s in the same round. Time: from the process's start to the
 * last SDK required. RSS: after a forced GC then (`--expose-gc`, the only flag). Then the app makes its first
 * chat call (answered in process), whose own time is reported beside: a cold start pays it too. Then a few
 * rounds with a GC and a memory reading at every step say where the memory goes.
 *
 * Environment: BENCH_STARTUP_ROUNDS (default 9), BENCH_STARTUP_STAGE_ROUNDS (3), BENCH_STARTUP_COMPARE
 * (`label=/path/to/dist,…`: our package from another build, as more variants), BENCH_DIST (default dist/).
 * Run alone: `BENCH_ONLY=startup npm run bench`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, medianOverhead, rotate, round, table } from './stats';

const ROOT = path.resolve(__dirname, '..');

/** What the app installs: the SDKs, the OTel SDK and exporter of the README's quick start, the peer. */
const APP_DEPENDENCIES = [
  'openai',
  '@anthropic-ai/sdk',
  '@opentelemetry/api',
  '@opentelemetry/sdk-node',
  '@opentelemetry/sdk-trace',
  '@opentelemetry/exporter-trace-otlp-proto',
  '@opentelemetry/instrumentation-openai',
];

type Kind = 'none' | 'peer' | 'ours' | 'register';

interface StartupVariant {
  label: string;
  kind: Kind;
  /** Our build's dist/ (ours and register). */
  dist: string;
  env?: Record<string, string>;
}

interface Mark {
  name: string;
  ms: number;
  cpuMs: number;
  rssMb?: number;
  heapMb?: number;
}

interface StartupRun {
  marks: Mark[];
  modules: number;
  ourModules: number;
  end: { rssMb: number; heapMb: number; externalMb: number };
  /** The app's first chat call once the SDKs are required (answered in process), wall and CPU ms. */
  firstCall: { ms: number; cpuMs: number };
}

export interface StartupVariantFigures {
  /** Wall-clock ms from the process's start to the last SDK required; CPU ms the same in CPU time. */
  ms: number;
  cpuMs: number;
  rssMb: number;
  heapMb: number;
  /** Over `none` (median of the per-round differences). */
  addedMs?: number;
  addedCpuMs?: number;
  addedRssMb?: number;
  addedHeapMb?: number;
  /**
   * The same over `none`, up to `openai` required (before `@anthropic-ai/sdk`): what an app that uses OpenAI
   * alone pays, against the peer, which instruments OpenAI only.
   */
  toOpenAiAddedMs?: number;
  toOpenAiAddedCpuMs?: number;
  /**
   * The first chat call's own time (in-process answer), wall and CPU ms: what a cold start pays after the
   * start-up above, whatever loads at a first call (the price table, for us) included. Not over `none`.
   */
  firstCallMs: number;
  firstCallCpuMs: number;
  modules: number;
  ourModules: number;
  msRounds: number[];
  rssRounds: number[];
}

export interface StartupFigures {
  settings: { rounds: number; stageRounds: number; node: string; sdks: string[] };
  loadAverage: { start: number[]; end: number[] };
  variants: Record<string, StartupVariantFigures>;
  /** Median ms and MB (RSS, heap) added by each step of the app over the step before it, per variant. */
  stages: Record<string, Array<{ step: string; ms: number; cpuMs: number; rssMb: number; heapMb: number }>>;
  oursOverPeer?: { ms?: number; cpuMs?: number; rssMb?: number; toOpenAiMs?: number; toOpenAiCpuMs?: number };
  durationS: number;
}

function variants(): StartupVariant[] {
  const dist = path.resolve(process.env.BENCH_DIST ?? path.join(ROOT, 'dist'));
  const list: StartupVariant[] = [
    { label: 'none', kind: 'none', dist },
    { label: 'peer (instrumentation-openai)', kind: 'peer', dist },
    { label: 'ours', kind: 'ours', dist },
    { label: 'register', kind: 'register', dist },
    // Where the ESM loader hook's memory goes: what an app with an ESM-only SDK installed (or an ESM app) pays.
    { label: 'ours + ESM hook', kind: 'ours', dist, env: { INFINIUM_ESM_HOOK: 'true' } },
    // An app that names its two SDKs: the other providers' and frameworks' definitions never load.
    { label: 'ours, SDKs named', kind: 'ours', dist, env: { INFINIUM_INSTRUMENTATIONS: 'openai,anthropic' } },
  ];
  for (const entry of process.env.BENCH_STARTUP_COMPARE?.split(',') ?? []) {
    const [label, other] = entry.split('=');
    list.push({ label: `ours@${label}`, kind: 'ours', dist: path.resolve(other) });
  }
  return list;
}

/** Our package's runtime dependencies, as an install puts them beside the app's. */
const OUR_DEPENDENCIES = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);

/**
 * An app directory as an install makes it: the child script, our package (a copy of the build, with its
 * package.json) and links to the packages the app and we depend on. Our package must not sit in this
 * repository, whose devDependencies hold every SDK: what it finds installed decides what it hooks (an MCP
 * SDK's CommonJS copies by absolute path, the ESM loader hook for an ESM-only SDK).
 */
function makeApp(dist: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infinium-startup-'));
  fs.copyFileSync(path.join(__dirname, 'startup-app.cjs'), path.join(dir, 'app.cjs'));
  for (const name of [...APP_DEPENDENCIES, ...OUR_DEPENDENCIES]) {
    const link = path.join(dir, 'node_modules', name);
    if (fs.existsSync(link)) continue;
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules', name), link, 'dir');
  }
  const ours = path.join(dir, 'node_modules', '@infinium', 'otel');
  fs.mkdirSync(ours, { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(ours, 'package.json'));
  fs.cpSync(dist, path.join(ours, 'dist'), { recursive: true });
  return dir;
}

function runApp(app: string, v: StartupVariant, stages: boolean): StartupRun {
  const installed = path.join(app, 'node_modules', '@infinium', 'otel', 'dist');
  const preload = v.kind === 'register' ? ['--require', '@infinium/otel/register'] : [];
  const out = execFileSync(process.execPath, ['--expose-gc', ...preload, 'app.cjs', v.kind, installed], {
    cwd: app,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      // Nothing is exported before the app exits; an endpoint nobody listens on keeps it so.
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
      OTEL_SERVICE_NAME: 'startup-bench',
      STARTUP_STAGES: stages ? '1' : '0',
      ...v.env,
    },
  });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as StartupRun;
}

const lastMs = (run: StartupRun) => run.marks[run.marks.length - 1].ms;
const lastCpuMs = (run: StartupRun) => run.marks[run.marks.length - 1].cpuMs;
const openAiMark = (run: StartupRun) => run.marks.find((m) => m.name === 'openai')!;

export function benchStartup(log: (line: string) => void): StartupFigures {
  const started = Date.now();
  const rounds = Number(process.env.BENCH_STARTUP_ROUNDS ?? 9);
  const stageRounds = Number(process.env.BENCH_STARTUP_STAGE_ROUNDS ?? 3);
  const list = variants();
  const loadStart = os.loadavg().map((v) => round(v, 2));
  // One app directory per build of ours (the compared builds have the same package name).
  const apps = new Map<string, string>();
  for (const v of list) if (!apps.has(v.dist)) apps.set(v.dist, makeApp(v.dist));
  const appOf = (v: StartupVariant) => apps.get(v.dist)!;
  try {
    const raw: Record<string, StartupRun[]> = {};
    for (let r = 0; r < rounds; r++) {
      for (const v of rotate(list, r)) (raw[v.label] ??= []).push(runApp(appOf(v), v, false));
      log(`  startup round ${r + 1}/${rounds} (load ${os.loadavg()[0].toFixed(1)})`);
    }
    const staged: Record<string, StartupRun[]> = {};
    for (let r = 0; r < stageRounds; r++) {
      for (const v of rotate(list, r)) (staged[v.label] ??= []).push(runApp(appOf(v), v, true));
    }
    const none = raw.none;
    const figures: StartupFigures = {
      settings: { rounds, stageRounds, node: process.version, sdks: ['openai', '@anthropic-ai/sdk'] },
      loadAverage: { start: loadStart, end: [] },
      variants: {},
      stages: {},
      durationS: 0,
    };
    for (const v of list) {
      const runs = raw[v.label];
      const ms = runs.map(lastMs);
      const cpu = runs.map(lastCpuMs);
      const rss = runs.map((x) => x.end.rssMb);
      const heap = runs.map((x) => x.end.heapMb);
      const isNone = v.label === 'none';
      figures.variants[v.label] = {
        ms: round(median(ms)),
        cpuMs: round(median(cpu)),
        rssMb: round(median(rss)),
        heapMb: round(median(heap)),
        addedMs: isNone ? undefined : round(medianOverhead(ms, none.map(lastMs))),
        addedCpuMs: isNone ? undefined : round(medianOverhead(cpu, none.map(lastCpuMs))),
        addedRssMb: isNone ? undefined : round(medianOverhead(rss, none.map((x) => x.end.rssMb))),
        addedHeapMb: isNone ? undefined : round(medianOverhead(heap, none.map((x) => x.end.heapMb))),
        toOpenAiAddedMs: isNone ? undefined : round(medianOverhead(runs.map((x) => openAiMark(x).ms), none.map((x) => openAiMark(x).ms))),
        toOpenAiAddedCpuMs: isNone ? undefined : round(medianOverhead(runs.map((x) => openAiMark(x).cpuMs), none.map((x) => openAiMark(x).cpuMs))),
        firstCallMs: round(median(runs.map((x) => x.firstCall.ms))),
        firstCallCpuMs: round(median(runs.map((x) => x.firstCall.cpuMs))),
        modules: median(runs.map((x) => x.modules)),
        ourModules: median(runs.map((x) => x.ourModules)),
        msRounds: ms.map((x) => round(x)),
        rssRounds: rss.map((x) => round(x)),
      };
      figures.stages[v.label] = stepsOf(staged[v.label]);
    }
    const ours = figures.variants.ours;
    const peer = figures.variants['peer (instrumentation-openai)'];
    const ratio = (a?: number, b?: number) => (a === undefined || b === undefined || b <= 0 ? undefined : round(a / b, 2));
    figures.oursOverPeer = {
      ms: ratio(ours.addedMs, peer.addedMs),
      cpuMs: ratio(ours.addedCpuMs, peer.addedCpuMs),
      rssMb: ratio(ours.addedRssMb, peer.addedRssMb),
      toOpenAiMs: ratio(ours.toOpenAiAddedMs, peer.toOpenAiAddedMs),
      toOpenAiCpuMs: ratio(ours.toOpenAiAddedCpuMs, peer.toOpenAiAddedCpuMs),
    };
    figures.loadAverage.end = os.loadavg().map((v) => round(v, 2));
    figures.durationS = round((Date.now() - started) / 1000);
    return figures;
  } finally {
    for (const app of apps.values()) fs.rmSync(app, { recursive: true, force: true });
  }
}

/** Each step's median time and memory over the step before it (the first step over zero). */
function stepsOf(runs: StartupRun[]): StartupFigures['stages'][string] {
  const names = runs[0].marks.map((m) => m.name);
  return names.map((step, i) => {
    const delta = (read: (m: Mark) => number) => median(runs.map((run) => read(run.marks[i]) - (i === 0 ? 0 : read(run.marks[i - 1]))));
    return { step, ms: round(delta((m) => m.ms)), cpuMs: round(delta((m) => m.cpuMs)), rssMb: round(delta((m) => m.rssMb ?? 0)), heapMb: round(delta((m) => m.heapMb ?? 0)) };
  });
}

/** The section's lines in the `npm run bench` report. */
export function reportStartup(f: StartupFigures | { skipped: string }): string[] {
  if ('skipped' in f) return ['== start-up: NodeSDK + openai + @anthropic-ai/sdk', `skipped: ${f.skipped}`];
  const lines = [
    `== start-up: a CommonJS app starts a NodeSDK and requires ${f.settings.sdks.join(' and ')} (fresh process per variant and round, ` +
      `median of ${f.settings.rounds} interleaved rounds; Node ${f.settings.node}; load average ${f.loadAverage.start.join(' ')} -> ${f.loadAverage.end.join(' ')})`,
    '+ms / +MB = over `none` in the same round (median of the differences); CPU = the same in CPU time; RSS and heap after a forced GC at the end',
  ];
  const rows = Object.entries(f.variants).map(([label, v]) => [
    label, v.ms, v.addedMs ?? '-', v.cpuMs, v.addedCpuMs ?? '-', v.toOpenAiAddedMs ?? '-', v.toOpenAiAddedCpuMs ?? '-', v.rssMb, v.addedRssMb ?? '-', v.heapMb, v.addedHeapMb ?? '-', v.modules, v.ourModules,
    `${v.firstCallMs} / ${v.firstCallCpuMs}`,
  ]);
  lines.push(table(['variant', 'ms', '+ms', 'CPU ms', 'CPU +ms', 'openai only +ms', 'openai only CPU +ms', 'RSS MB', '+MB', 'heap MB', '+heap MB', 'modules', 'ours', 'first call ms / CPU'], rows));
  const r = f.oursOverPeer;
  lines.push(`ours ÷ peer: time ${r?.ms ?? '-'}, CPU time ${r?.cpuMs ?? '-'}, RSS ${r?.rssMb ?? '-'} (targets: time <= 1, RSS <= 2)`);
  lines.push(`an app that requires openai alone (up to that mark; the peer instruments nothing else): ours ÷ peer, time ${r?.toOpenAiMs ?? '-'}, CPU time ${r?.toOpenAiCpuMs ?? '-'}`);
  const firstCall = (label: string) => f.variants[label]?.firstCallCpuMs ?? '-';
  lines.push(`then the first chat call (answered in process), its own CPU ms: none ${firstCall('none')}, peer ${firstCall('peer (instrumentation-openai)')}, ours ${firstCall('ours')}`);
  lines.push('', `where it goes (median of ${f.settings.stageRounds} rounds with a GC at every step; wall ms / CPU ms, then MB RSS / heap added by each step):`);
  const steps = [...new Set(Object.values(f.stages).flatMap((s) => s.map((x) => x.step)))];
  const stageRows = Object.entries(f.stages).map(([label, s]) => [
    label,
    ...steps.map((step) => {
      const x = s.find((y) => y.step === step);
      return x ? `${x.ms}/${x.cpuMs} ms ${x.rssMb}/${x.heapMb} MB` : '-';
    }),
  ]);
  lines.push(table(['variant', ...steps], stageRows));
  lines.push(`(${f.durationS} s)`);
  return lines;
}

if (require.main === module) {
  const figures = benchStartup((line) => process.stderr.write(`${line}\n`));
  console.log(reportStartup(figures).join('\n'));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
