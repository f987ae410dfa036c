/**
 * The fresh-process method (bench/fresh.ts) in apps as issue 27 measured them: a CommonJS app of each
 * OpenTelemetry JS line that starts a NodeSDK, with our packed package and the peers installed from the
 * registry: the 2.x line on Node 20 (sdk-trace-base 2.12, `@opentelemetry/instrumentation-openai` 0.21),
 * the 3.x line on Node 22 (sdk-trace 3.1, instrumentation-openai 0.22). bench/fresh.ts runs the variants
 * from this repository instead (tsx, the 3.x SDK on the running Node): handy for comparing builds, but not
 * the apps the target is set for, and the per-attribute cost of the two SDK lines differs (docs/performance.md).
 *
 *   npx tsc -p tsconfig.build.json && node --import tsx bench/fresh-lines.ts           # time, both lines
 *   node --import tsx bench/fresh-lines.ts count chat 3000 [none ours otel openinference ours@label=<dist>]  # instructions
 *
 * Also `BENCH_ONLY=fresh-lines npm run bench`. The apps are kept in FRESH_LINES_DIR (default
 * <tmp>/infinium-otel-fresh-lines) and installed again only when their pins change; our tarball is packed
 * and added on every run (FRESH_LINES_REUSE=1: not, the apps keep theirs). Environment: FRESH_LINES (`2.x,3.x`), and bench/fresh.ts's BENCH_FRESH_ROUNDS,
 * BENCH_FRESH_WARMUP, BENCH_FRESH_CALLS; FRESH_LINES_OUT (a file for the JSON of every round, standalone runs).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LINE_PINS, LLM_SDKS, OtelLine, packPackage } from '../test/compat/line-apps';
import { node22, NODE20, npm, Runtime } from '../test/compat/node-runtime';
import { instructionsPerCall } from './callgrind';
import * as fx from './fixtures';
import { benchFresh, FreshFigures, FreshVariant, reportFresh } from './fresh';
import type { FreshChildResult } from './fresh-child';
import type { Scenario, VariantKey } from './variant';

interface LineAppSpec {
  runtime(): Promise<Runtime>;
  /** How the app builds its span processors (the child's APP_TRACING). */
  tracing: 'sdk-trace-base' | 'sdk-trace';
  dependencies: Record<string, string>;
}

const PEERS = { '@arizeai/openinference-instrumentation-openai': '4.2.7', openai: LLM_SDKS.openai };
const LINES: Record<OtelLine, LineAppSpec> = {
  '2.x': {
    runtime: async () => NODE20,
    tracing: 'sdk-trace-base',
    dependencies: { ...LINE_PINS['2.x'], '@opentelemetry/sdk-logs': '0.223.0', '@opentelemetry/instrumentation-openai': '0.21.0', ...PEERS },
  },
  '3.x': {
    runtime: node22,
    tracing: 'sdk-trace',
    dependencies: { ...LINE_PINS['3.x'], '@opentelemetry/sdk-logs': '3.1.0', '@opentelemetry/instrumentation-openai': '0.22.0', ...PEERS },
  },
};
// `floor` (the child's own: a span started, made current and ended, nothing recorded) exists in these apps
// only: the share of each variant's cost that any span costs, whoever makes it. `floor-attrs`: the same span
// with the keys ours records for the call, stored by the SDK: the share that the vocabularies cost.
const VARIANTS: FreshVariant[] = ['none', 'floor', 'floor-attrs', 'ours', 'otel', 'openinference'].map((v) => ({ label: v, variant: v as VariantKey }));
const CHILD = 'fresh-line-child.cjs';
const APPS_DIR = process.env.FRESH_LINES_DIR ?? path.join(os.tmpdir(), 'infinium-otel-fresh-lines');

interface BuiltApp {
  line: OtelLine;
  dir: string;
  runtime: Runtime;
  env: Record<string, string>;
}

async function mustNpm(runtime: Runtime, args: string[], cwd: string): Promise<void> {
  const result = await npm(runtime, args, cwd);
  if (result.code !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${result.stderr}`);
}

/** The line's app, installed when missing or when its pins changed, with the tarball added. */
async function buildApp(line: OtelLine, tarball: string | undefined): Promise<BuiltApp> {
  const spec = LINES[line];
  const runtime = await spec.runtime();
  const dir = path.join(APPS_DIR, line);
  const manifest = { name: `fresh-${line}`, version: '1.0.0', private: true, dependencies: spec.dependencies };
  const manifestPath = path.join(dir, 'package.json');
  const installed = fs.existsSync(manifestPath) && fs.existsSync(path.join(dir, 'node_modules'))
    ? JSON.stringify((JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as typeof manifest).dependencies) : undefined;
  if (installed !== JSON.stringify(spec.dependencies)) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    await mustNpm(runtime, ['install'], dir);
  }
  // `--no-save`: the manifest keeps the pins alone, so that the next run's check still matches.
  if (tarball !== undefined) await mustNpm(runtime, ['install', '--no-save', tarball], dir);
  fs.copyFileSync(path.join(__dirname, CHILD), path.join(dir, CHILD));
  const decoder = new TextDecoder();
  const fixtures = { chat: decoder.decode(fx.OPENAI_CHAT), stream: decoder.decode(fx.OPENAI_STREAM), messages: fx.OPENAI_MESSAGES };
  fs.writeFileSync(path.join(dir, 'fresh-line-fixtures.json'), JSON.stringify(fixtures));
  // Only what the child needs: no NODE_OPTIONS with tsx, no OTEL_* of the caller; no exporters from the environment.
  const env = {
    PATH: `${path.dirname(runtime.node)}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? os.homedir(), APP_TRACING: spec.tracing,
    OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none',
  };
  return { line, dir, runtime, env };
}

async function buildApps(lines: OtelLine[]): Promise<BuiltApp[]> {
  fs.mkdirSync(APPS_DIR, { recursive: true });
  // FRESH_LINES_REUSE=1: the apps keep the build they have (another count may be running in them).
  const tarball = process.env.FRESH_LINES_REUSE === '1' ? undefined : await packPackage(NODE20, APPS_DIR);
  const apps: BuiltApp[] = [];
  for (const line of lines) apps.push(await buildApp(line, tarball));
  return apps;
}

function childArgs(v: FreshVariant, scenario: Scenario, warmup: number, calls: number): string[] {
  return [CHILD, v.variant, scenario, String(warmup), String(calls)];
}

/**
 * The child's environment for `v`: another build of ours (`ours@label=dist`) is copied into our installed
 * package's folder, where it finds the packages the installed one finds (those nested under it first), and
 * loaded from there.
 */
function childEnv(app: BuiltApp, v: FreshVariant): Record<string, string> {
  if (!v.dist) return app.env;
  const copy = path.join(app.dir, 'node_modules', '@infinium', 'otel', 'builds', v.label.replace(/\W/g, '_'), 'dist');
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(v.dist, copy, { recursive: true });
  return { ...app.env, OURS_DIST: path.join(copy, 'index.js') };
}

/** `none`, `floor`, `floor-attrs`, `ours`, `otel`, `openinference`, or `ours@label=/path/to/dist`. */
function parseVariant(spec: string): FreshVariant {
  const [label, dist] = spec.split('=');
  return dist ? { label, variant: 'ours', dist: path.resolve(dist) } : { label, variant: label as VariantKey };
}

function runIn(app: BuiltApp) {
  return (v: FreshVariant, scenario: Scenario, warmup: number, calls: number): FreshChildResult => {
    const out = execFileSync(app.runtime.node, childArgs(v, scenario, warmup, calls), {
      cwd: app.dir, env: childEnv(app, v), encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'],
    });
    return JSON.parse(out.trim().split('\n').pop() ?? '{}') as FreshChildResult;
  };
}

const appLabel = (app: BuiltApp) => `${app.line} app on ${app.runtime.label}`;

function wantedLines(): OtelLine[] {
  return (process.env.FRESH_LINES ?? '2.x,3.x').split(',').map((l) => l.trim() as OtelLine).filter((l) => l in LINES);
}

/** The time section: one bench/fresh.ts run per line app. */
export async function benchFreshLines(log: (line: string) => void): Promise<FreshFigures[]> {
  const out: FreshFigures[] = [];
  for (const app of await buildApps(wantedLines())) {
    log(`fresh-lines: ${appLabel(app)}`);
    const node = execFileSync(app.runtime.node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
    out.push(benchFresh(log, { runner: runIn(app), variants: VARIANTS, node, app: appLabel(app) }));
  }
  return out;
}

/** Instructions per call of the timed window (bench/fresh-instructions.ts's method), per line and variant. */
async function countLines(scenario: Scenario, calls: number, specs: string[]): Promise<void> {
  const warmup = 300;
  const variants = specs.length === 0 ? VARIANTS : specs.map(parseVariant);
  for (const app of await buildApps(wantedLines())) {
    const rows: Record<string, number> = {};
    for (const v of variants) {
      const env = childEnv(app, v);
      rows[v.label] = instructionsPerCall(calls, (timed) => childArgs(v, scenario, warmup, timed), env, { node: app.runtime.node, cwd: app.dir });
      process.stderr.write(`${appLabel(app)} ${scenario} ${v.label}: ${rows[v.label]} instructions per call\n`);
    }
    const added = (label: string) => (rows[label] === undefined || rows.none === undefined ? undefined : rows[label] - rows.none);
    const ratio = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : Math.round((a / b) * 100) / 100);
    const result = { app: appLabel(app), scenario, warmup, calls, perCall: rows, oursOverOtel: ratio(added('ours'), added('otel')), oursOverArize: ratio(added('ours'), added('openinference')) };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
}

if (require.main === module) {
  const [mode, scenario = 'chat', calls = '3000', ...labels] = process.argv.slice(2);
  const done = mode === 'count'
    ? countLines(scenario as Scenario, Number(calls), labels)
    : benchFreshLines((line) => process.stderr.write(`${line}\n`)).then((figures) => {
      for (const f of figures) process.stdout.write(`${reportFresh(f).join('\n')}\n\n`);
      // Every round's figures, for a look at the spread behind the medians.
      if (process.env.FRESH_LINES_OUT) fs.writeFileSync(process.env.FRESH_LINES_OUT, `${JSON.stringify(figures, null, 2)}\n`);
    });
  done.catch((err: unknown) => {
    process.stderr.write(`${String((err as Error).stack ?? err)}\n`);
    process.exit(1);
  });
}
