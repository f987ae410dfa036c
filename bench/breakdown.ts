/**
 * Where one call's CPU time goes, from a CPU profile: `node --import tsx bench/breakdown.ts [variant] [scenario] [calls]`
 * (defaults: ours chat 15000). Not part of `npm run bench` (a profile takes a minute per variant).
 *
 * It runs bench/variant.ts standalone under `--cpu-prof`, keeps the samples of the timed calls only (the
 * last `calls × µs per call` of the profile, so start-up and module loading are left out), and sums the
 * self time per call of: the garbage collector; our code (dist/); the OpenTelemetry packages; the rest
 * (the LLM SDK, undici, Node's internals). Set BENCH_DIST to profile another build (e.g. an older commit's).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

type Group = 'gc' | 'own code' | 'opentelemetry' | 'sdk and runtime';

function groupOf(url: string, fn: string): Group | undefined {
  if (fn === '(garbage collector)') return 'gc';
  if (fn === '(idle)' || fn === '(program)') return undefined;
  if (url.includes('/@opentelemetry/')) return 'opentelemetry';
  if (url.includes('/dist/') && !url.includes('node_modules')) return 'own code';
  return 'sdk and runtime';
}

export function breakdown(variant: string, scenario: string, calls: number): Record<string, number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'infinium-prof-'));
  const out = execFileSync(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', path.join(__dirname, 'variant.ts'), 'openai', variant, scenario, String(calls)],
    { encoding: 'utf8' },
  );
  const usPerCall = Number(/([\d.]+) µs CPU\/call/.exec(out)?.[1]);
  // The main thread's profile is the largest (tsx's loader thread writes a small one).
  const file = fs
    .readdirSync(dir)
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  fs.rmSync(dir, { recursive: true, force: true });
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const window = calls * usPerCall;
  let elapsed = 0;
  const totals: Record<string, number> = { gc: 0, 'own code': 0, opentelemetry: 0, 'sdk and runtime': 0 };
  for (let i = profile.samples.length - 1; i >= 0 && elapsed < window; i--) {
    const delta = profile.timeDeltas[i];
    elapsed += delta;
    const node = byId.get(profile.samples[i])!;
    const group = groupOf(node.callFrame.url, node.callFrame.functionName);
    if (group) totals[group] += delta;
  }
  const result: Record<string, number> = { usPerCall };
  for (const [k, v] of Object.entries(totals)) result[k] = Math.round((v / calls) * 10) / 10;
  return result;
}

if (require.main === module) {
  const [variant = 'ours', scenario = 'chat', calls = '15000'] = process.argv.slice(2);
  console.log(JSON.stringify({ variant, scenario, ...breakdown(variant, scenario, Number(calls)) }));
}
