/**
 * Instructions per call, counted by valgrind's callgrind, for the fresh-process method (bench/fresh.ts): the
 * one per-call figure that a busy shared machine does not disturb. Not part of `npm run bench` (minutes per
 * process under valgrind); used to compare builds and variants (docs/performance.md, "Where the µs go").
 *
 *   node --import tsx bench/fresh-instructions.ts [chat|stream] [calls=1000] [variant[=dist] …]
 *   e.g. node --import tsx bench/fresh-instructions.ts chat 1000 none ours otel ours=/tmp/old/dist
 *
 * Each variant runs twice in bench/fresh-child.ts under callgrind: 300 warm-up calls and `calls` timed ones,
 * then the warm-up alone; the difference over `calls` is what one call of the timed window executes, start-up
 * and module loading cancelled out. V8 runs with `--single-threaded`: its compiler then works on the main
 * thread, where callgrind counts it, at the same point of every run, so two runs of one build agree to about
 * 0.1% (with background compilation, when a function reaches its optimized tier depends on the machine's
 * load, and totals moved by 10%). Tier-up points therefore differ a little from a default process's.
 */
import path from 'node:path';
import { instructionsPerCall } from './callgrind';

const [scenario = 'chat', callsArg = '1000', ...specs] = process.argv.slice(2);
const calls = Number(callsArg);
const WARMUP = 300;
const CHILD = path.join(__dirname, 'fresh-child.ts');


const rows: Record<string, number> = {};
for (const spec of specs.length > 0 ? specs : ['none', 'ours', 'otel']) {
  const [variant, dist] = spec.split('=');
  const env = { ...process.env, ...(dist ? { BENCH_DIST: path.resolve(dist) } : {}) };
  rows[spec] = instructionsPerCall(calls, (timed) => ['--import', 'tsx', CHILD, variant, scenario, String(WARMUP), String(timed)], env);
  process.stderr.write(`${spec}: ${rows[spec]} instructions per call\n`);
}
const none = rows.none;
const added = (spec: string) => (none === undefined || spec === 'none' ? undefined : rows[spec] - none);
const out = Object.keys(rows).map((spec) => ({ variant: spec, perCall: rows[spec], added: added(spec) }));
process.stdout.write(`${JSON.stringify({ scenario, warmup: WARMUP, calls, node: process.version, variants: out })}\n`);
