import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/** The repository root: children run there, so `@infinium/otel/register` resolves to this package (self-reference). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const FIXTURES = path.join(__dirname, 'fixtures');

export interface NodeRun {
  child: ChildProcess;
  /** Resolves when the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }>;
  /** What the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves once stdout contains `text`. */
  waitForStdout(text: string, timeoutMs?: number): Promise<void>;
}

/**
 * Starts `node <args>` with only the given variables (plus PATH): nothing of the mocha process's
 * environment (OTEL_*, NODE_OPTIONS with tsx) leaks into the app under test.
 */
export function runNode(args: string[], env: Record<string, string>, cwd: string = REPO_ROOT): NodeRun {
  const started = Date.now();
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const stdoutListeners: Array<() => void> = [];
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
    for (const listener of stdoutListeners) listener();
  });
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started })),
  );
  return {
    child,
    exited,
    stderr: () => stderr,
    // Generous: a child loading the SDKs on a busy machine can take many seconds to print anything.
    waitForStdout(text, timeoutMs = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (stdout.includes(text)) {
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => reject(new Error(`stdout never contained ${JSON.stringify(text)}: ${stdout}\n${stderr}`)), timeoutMs);
        stdoutListeners.push(check);
        check();
      });
    },
  };
}

/** A localhost port nothing listens on (bound, then closed): connecting to it is refused at once. */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
