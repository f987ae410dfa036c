import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The instructions a Node process runs, counted by valgrind's callgrind: repeatable on a busy machine, where
 * wall and CPU time are not. `nodeArgs` follow `node --predictable`: V8's compiler and GC threads off (it implies
 * `--single-threaded`) and its hash and random seeds fixed, so that two runs of one build agree to 0.05%, also
 * across sessions (with `--single-threaded` alone they agreed within a session but moved by ±3% between sessions).
 */
export function countInstructions(nodeArgs: readonly string[], env: NodeJS.ProcessEnv = process.env, options: { node?: string; cwd?: string } = {}): number {
  const log = path.join(os.tmpdir(), `callgrind-${process.pid}.log`);
  const args = ['--tool=callgrind', '--smc-check=all-non-file', '--callgrind-out-file=/dev/null', `--log-file=${log}`];
  args.push(options.node ?? process.execPath, '--predictable', ...nodeArgs);
  execFileSync('valgrind', args, { env, cwd: options.cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  const text = fs.readFileSync(log, 'utf8');
  fs.rmSync(log, { force: true });
  const match = /Collected : (\d+)/.exec(text);
  if (!match) throw new Error(`callgrind reported no instruction count for node ${nodeArgs.join(' ')}`);
  return Number(match[1]);
}

/**
 * What one call of a timed window executes: the process run with `calls` more calls (`nodeArgsFor(calls)`)
 * minus the same process without them (`nodeArgsFor(0)`), over `calls`, so that start-up, module loading and
 * the warm-up cancel out.
 */
export function instructionsPerCall(
  calls: number, nodeArgsFor: (extraCalls: number) => readonly string[], env: NodeJS.ProcessEnv = process.env, options: { node?: string; cwd?: string } = {},
): number {
  return Math.round((countInstructions(nodeArgsFor(calls), env, options) - countInstructions(nodeArgsFor(0), env, options)) / calls);
}
