import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * One runner for the tests' child-process apps (an ESM app, a load-order app, a fixture under tsx): node runs
 * the script in the repository with this process's environment, less NODE_OPTIONS (so nothing of mocha's
 * loader leaks in), plus the test's variables; the app's last stdout line is its JSON report.
 */
const exec = promisify(execFile);
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Builds dist/ in place (tsc; never `npm run build`, which empties it under other runs) when `file` is missing. */
export async function ensureBuilt(file = path.join('dist', 'index.js')): Promise<void> {
  if (!existsSync(path.join(REPO_ROOT, file))) await exec('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT });
}

export interface ChildAppOptions {
  /** After the script (a scenario, a mode). */
  args?: string[];
  /** Before the script, e.g. `['--import', 'tsx']` for an app that loads the TypeScript sources. */
  nodeArgs?: string[];
  env?: Record<string, string>;
  /** Another node (e.g. Node 22's); this process's by default. */
  node?: string;
  cwd?: string;
  timeoutMs?: number;
}

export interface ChildAppResult<T> {
  report: T;
  stdout: string;
  stderr: string;
}

/** Runs `script` and parses its report; rejects (with the child's stderr) when it exits non-zero or times out. */
export async function runChildApp<T>(script: string, options: ChildAppOptions = {}): Promise<ChildAppResult<T>> {
  const { stdout, stderr } = await exec(options.node ?? process.execPath, [...(options.nodeArgs ?? []), script, ...(options.args ?? [])], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...options.env },
    timeout: options.timeoutMs ?? 90_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { report: JSON.parse(stdout.trim().split('\n').at(-1)!) as T, stdout, stderr };
}
