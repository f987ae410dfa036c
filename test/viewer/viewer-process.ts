import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { node22 } from '../compat/node-runtime';

/**
 * A viewer process as a user runs it (`infinium-otel view`), from the sources under Node 22 (node:sqlite;
 * the machine's Node 20 has none), on free ports, with its own data folder. The printed lines give the
 * URLs, as they give them to a user.
 */
export const CLI = path.resolve(__dirname, '..', '..', 'lib', 'viewer', 'cli.ts');
const ROOT = path.resolve(__dirname, '..', '..');

export interface ViewerProcess {
  child: ChildProcess;
  uiUrl: string;
  receiverUrl: string;
  /** host:port, or null when started with --grpc-port off. */
  grpcAddress: string | null;
  dataDir: string;
  output: () => string;
  /** SIGTERM and wait for the exit (or SIGKILL with `kill9`). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Viewers still running: killed when this process exits (mocha's `exit`, a script cut short), never left behind. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'infinium-viewer-test-'));
}

/** `cli`: the sources (under tsx) by default, or a built dist/viewer/cli.js. */
/** `env`: variables added to the child's bare environment (PATH and HOME only, so that the machine's own OTEL_* stay out). */
export async function startViewerProcess(args: string[] = [], dataDir = tempDataDir(), cli = CLI, env: Record<string, string> = {}): Promise<ViewerProcess> {
  const runtime = await node22();
  const child = spawn(
    runtime.node,
    [...(cli.endsWith('.ts') ? ['--import', 'tsx'] : []), cli, 'view', '--port', '0', '--ui-port', '0', '--grpc-port', '0', '--data', dataDir, ...args],
    { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const started = await Promise.race([
    new Promise<boolean>((resolve) => {
      const check = (): void => {
        if (/Ctrl-C to stop\.$/m.test(stdout)) resolve(true);
      };
      child.stdout!.on('data', check);
    }),
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 30_000)),
  ]);
  if (!started) {
    child.kill('SIGKILL');
    throw new Error(`the viewer did not start:\n${stdout}\n${stderr}`);
  }
  const line = (label: string): string => new RegExp(`^${label}: (.*)$`, 'm').exec(stdout)![1].trim();
  const grpc = line('OTLP/gRPC receiver');
  return {
    child,
    uiUrl: line('Infinium viewer'),
    receiverUrl: line('OTLP/HTTP receiver'),
    grpcAddress: grpc === 'off' ? null : grpc,
    dataDir,
    output: () => stdout + stderr,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
