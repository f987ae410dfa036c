import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LineApp } from './line-apps';
import { run } from './node-runtime';

/**
 * The viewer of the packed package in a line app, started as a user starts it: `npx infinium-otel view` in the
 * app's folder, on free ports (`--grpc-port off`: the default 4317 may be taken on a shared machine), with a
 * data folder of its own. The app's node comes first on PATH, so npx and the viewer run on it.
 */
const VIEW_ARGS = ['infinium-otel', 'view', '--port', '0', '--ui-port', '0', '--grpc-port', 'off'];

function npxEnv(app: LineApp): Record<string, string> {
  return { PATH: `${path.dirname(app.runtime.node)}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? os.homedir() };
}

/** Node 22: the viewer starts, takes the one trace a register-entry app exports to it, lists it, and is stopped. */
export async function expectViewerTakesATrace(app: LineApp, fakeEnv: Record<string, string>): Promise<void> {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'infinium-lines-viewer-'));
  // Its own process group: npx runs the bin through a shell, and the whole group is stopped at the end.
  const viewer = spawn('npx', [...VIEW_ARGS, '--data', data], { cwd: app.dir, env: npxEnv(app), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  viewer.stdout.on('data', (chunk) => (output += chunk));
  viewer.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => viewer.on('exit', (code, signal) => resolve({ code, signal })));
  const stop = () => {
    if (viewer.exitCode === null && viewer.signalCode === null && viewer.pid) process.kill(-viewer.pid, 'SIGTERM');
    return exited;
  };
  const viewerPid = () => processInGroup(viewer.pid!, /(\.bin\/infinium-otel|viewer\/cli\.js)$/);
  try {
    const started = await Promise.race([
      new Promise<boolean>((resolve) => viewer.stdout.on('data', () => /^OTLP\/HTTP receiver: .*\n/m.test(output) && /^Infinium viewer: .*\n/m.test(output) && resolve(true))),
      exited.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 60_000)),
    ]);
    expect(started, `the viewer did not start:\n${output}`).to.equal(true);
    const ui = /^Infinium viewer: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)![1];
    const receiver = /^OTLP\/HTTP receiver: (http:\/\/127\.0\.0\.1:\d+)\/v1\/traces$/m.exec(output)![1];
    const result = await run(app.runtime, ['--require', '@infinium/otel/register', 'clients/viewer-app.cjs'], app.dir, {
      ...fakeEnv, OTEL_SERVICE_NAME: 'lines-viewer', OTEL_EXPORTER_OTLP_ENDPOINT: receiver, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none',
    });
    expect([result.stderr, result.stdout, result.code]).to.deep.equal(['', 'answer: Hello from Together!\n', 0]);
    // The app flushed before it exited; the viewer stores on receipt, so the list has it now.
    const listed = (await (await fetch(`${ui}/api/traces`)).json()) as { traces: Array<Record<string, unknown>> };
    expect(listed.traces.map((t) => [t.rootName, t.service, t.status, t.spanCount, t.llmCount, t.totalTokens, t.models])).to.deep.equal([
      ['chat meta-llama/Llama-3.3-70B-Instruct-Turbo', 'lines-viewer', 'OK', 1, 1, 19, ['meta-llama/Llama-3.3-70B-Instruct-Turbo']],
    ]);
    // SIGTERM to the viewer (as Ctrl-C's signal reaches it): it closes its store and exits 0, and npx with its code.
    process.kill(viewerPid(), 'SIGTERM');
    expect(await exited, output).to.deep.equal({ code: 0, signal: null });
  } finally {
    await stop();
    fs.rmSync(data, { recursive: true, force: true });
  }
}

/** The process of process group `group` one of whose arguments matches `argument` (npx runs the bin as a grandchild). */
function processInGroup(group: number, argument: RegExp): number {
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // /proc/<pid>/stat: `pid (comm) state ppid pgrp …`; comm may hold spaces, so read after its closing parenthesis.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp === group && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((arg) => argument.test(arg))) return Number(pid);
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(`no process of group ${group} runs ${argument}`);
}

/** Node 20 (no node:sqlite): one line naming the Node it needs, exit code 1, nothing listening. */
export async function expectViewerNeedsNode22(app: LineApp): Promise<void> {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'infinium-lines-viewer-'));
  try {
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('npx', [...VIEW_ARGS, '--data', data], { cwd: app.dir, env: npxEnv(app), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    const node = (await run(app.runtime, ['-p', 'process.versions.node'], app.dir)).stdout.trim();
    expect([result.code, result.stdout, result.stderr.trim().split('\n')]).to.deep.equal([1, '', [
      `infinium-otel view needs Node.js 22.13 or newer (it keeps traces with node:sqlite); this is Node ${node}. Install Node 22 or later (e.g. nvm install 22) and run npx @infinium/otel view again.`,
    ]]);
  } finally {
    fs.rmSync(data, { recursive: true, force: true });
  }
}
