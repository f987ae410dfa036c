import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { node22 } from '../compat/node-runtime';
import { agentTurn, appTracing, exporterFor } from './otel-app';
import { getJson, jsonRequest, post, protobufRequest, traceId } from './otlp-requests';
import { CLI, startViewerProcess, tempDataDir } from './viewer-process';

const run = promisify(execFile);

/** What the store keeps: across a restart, through a kill -9 mid-ingest, and what retention drops. */
describe('viewer: the store across restarts, crashes and retention', function () {
  this.timeout(90_000);

  const listed = async (uiUrl: string, query = ''): Promise<any[]> => (await getJson(`${uiUrl}/api/traces?limit=500&${query}`)).body.traces;

  /** `PRAGMA integrity_check` of the data folder's database, run by Node 22's node:sqlite. */
  const integrity = async (dataDir: string): Promise<string> => {
    const script = `const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(${JSON.stringify(path.join(dataDir, 'traces.db'))});
      console.log(db.prepare('PRAGMA integrity_check').get().integrity_check);`;
    return (await run((await node22()).node, ['--no-warnings', '-e', script])).stdout.trim();
  };

  it('keeps the traces across a restart', async () => {
    const first = await startViewerProcess(['--grpc-port', 'off']);
    const provider = appTracing(exporterFor('http/protobuf', first.receiverUrl), 'restart-app');
    const ids = [agentTurn(provider), agentTurn(provider)];
    await provider.shutdown();
    const before = await listed(first.uiUrl);
    expect(await first.stop()).to.equal(0);
    const second = await startViewerProcess(['--grpc-port', 'off'], first.dataDir);
    try {
      const after = await listed(second.uiUrl);
      expect(after.map((t) => t.traceId).sort()).to.deep.equal([...ids].sort());
      expect(after).to.deep.equal(before);
      expect(after[0]).to.include({ spanCount: 5, llmCount: 2, totalTokens: 400, costUsd: 0.000036 });
      expect((await getJson(`${second.uiUrl}/api/traces/${ids[0]}`)).body.spans).to.have.length(5);
    } finally {
      await second.stop();
    }
  });

  it('loses at most the batches in flight to a kill -9 during ingest, and the store opens intact', async () => {
    const viewer = await startViewerProcess(['--grpc-port', 'off']);
    const provider = appTracing(exporterFor('http/protobuf', viewer.receiverUrl), 'before-crash');
    const earlier = Array.from({ length: 5 }, () => agentTurn(provider));
    await provider.shutdown();
    // Then a stream of exports, and the kill in the middle of it.
    const answered: string[] = [];
    let stop = false;
    const senders = Array.from({ length: 4 }, async () => {
      while (!stop) {
        const id = traceId('7');
        const spans = Array.from({ length: 200 }, (_, i) => ({ traceId: id, spanId: (i + 1).toString(16).padStart(16, '0'), name: `s${i}`, startMs: Date.now() }));
        const reply = await post(viewer.receiverUrl, protobufRequest(jsonRequest('during-crash', spans)), { 'content-type': 'application/x-protobuf' }).catch(
          () => undefined,
        );
        if (reply?.status === 200) answered.push(id);
        else if (!reply) return;
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 700));
    await viewer.stop('SIGKILL');
    stop = true;
    await Promise.all(senders);
    expect(answered.length).to.be.greaterThan(0);
    expect(await integrity(viewer.dataDir)).to.equal('ok');
    const reopened = await startViewerProcess(['--grpc-port', 'off'], viewer.dataDir);
    try {
      const before = await listed(reopened.uiUrl, 'service=before-crash');
      expect(before.map((t) => t.traceId).sort()).to.deep.equal([...earlier].sort());
      for (const trace of before) expect(trace).to.include({ spanCount: 5, llmCount: 2, totalTokens: 400 });
      // Every export answered 200 before the kill is there, whole.
      const during = new Map((await listed(reopened.uiUrl, 'service=during-crash')).map((t) => [t.traceId, t.spanCount]));
      for (const id of answered) expect([id, during.get(id)]).to.deep.equal([id, 200]);
    } finally {
      await reopened.stop();
    }
  });

  it('drops traces past the retention age, at start', async () => {
    const viewer = await startViewerProcess(['--grpc-port', 'off']);
    const old = traceId('5');
    await post(viewer.receiverUrl, JSON.stringify(jsonRequest('aged', [{ traceId: old, spanId: '0000000000000001', name: 'old', startMs: Date.now() }])), {
      'content-type': 'application/json',
    });
    expect(await viewer.stop()).to.equal(0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // 0.0003 h = 1.08 s.
    const restarted = await startViewerProcess(['--grpc-port', 'off', '--retention-hours', '0.0003'], viewer.dataDir);
    try {
      expect(await listed(restarted.uiUrl)).to.deep.equal([]);
      expect((await getJson(`${restarted.uiUrl}/api/traces/${old}`)).status).to.equal(404);
      expect((await getJson(`${restarted.uiUrl}/api/facets`)).body.services).to.deep.equal([]);
    } finally {
      await restarted.stop();
    }
  });

  it('keeps the store under --max-size-mb by dropping the oldest traces', async () => {
    const viewer = await startViewerProcess(['--grpc-port', 'off']);
    const ids: string[] = [];
    const now = Date.now();
    for (let i = 0; i < 40; i++) {
      const id = traceId('6');
      ids.push(id);
      const text = `${i} ${'lorem ipsum '.repeat(4000)}`; // ~48 KB a trace, ~2 MB in all
      const spans = [{ traceId: id, spanId: '0000000000000001', name: `t${i}`, startMs: now - 60_000 + i * 1000, attributes: [{ key: 'input.value', value: { stringValue: text } }] }];
      expect((await post(viewer.receiverUrl, protobufRequest(jsonRequest('sized', spans)), { 'content-type': 'application/x-protobuf' })).status).to.equal(200);
    }
    expect(await listed(viewer.uiUrl)).to.have.length(40);
    expect(await viewer.stop()).to.equal(0);
    const restarted = await startViewerProcess(['--grpc-port', 'off', '--max-size-mb', '1'], viewer.dataDir);
    try {
      const kept = (await listed(restarted.uiUrl)).map((t) => t.traceId);
      expect(kept.length).to.be.within(5, 22);
      // The newest, in order, with no gap.
      expect(kept).to.deep.equal(ids.slice(ids.length - kept.length).reverse());
    } finally {
      await restarted.stop();
    }
  });

  it('says which Node it needs, in one line, and exits 1 on a Node without node:sqlite', async function () {
    if (Number(process.versions.node.split('.')[0]) >= 22) this.skip();
    const result = await run(process.execPath, ['--import', 'tsx', CLI, 'view', '--port', '0'], { cwd: path.resolve(__dirname, '..', '..') }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).to.equal(1);
    expect(result.stderr.trim().split('\n')).to.deep.equal([
      `infinium-otel view needs Node.js 22.13 or newer (it keeps traces with node:sqlite); this is Node ${process.versions.node}. Install Node 22 or later (e.g. nvm install 22) and run npx @infinium/otel view again.`,
    ]);
  });

  it('warns when it listens beyond loopback', async () => {
    const viewer = await startViewerProcess(['--grpc-port', 'off', '--host', '0.0.0.0']);
    expect(await viewer.stop()).to.equal(0);
    expect(viewer.output()).to.contain(
      'Warning: --host 0.0.0.0 makes the viewer and the traces it holds (prompts, outputs) reachable from the network, with no authentication.',
    );
  });

  it('says so in one line, exit code 1, when a port is taken (a Collector or another viewer)', async () => {
    const first = await startViewerProcess(['--grpc-port', 'off']);
    const data = tempDataDir();
    try {
      const port = new URL(first.receiverUrl).port;
      const runtime = await node22();
      const args = ['--import', 'tsx', CLI, 'view', '--port', port, '--ui-port', '0', '--grpc-port', 'off', '--data', data];
      const taken = await run(runtime.node, args, { cwd: path.resolve(__dirname, '..', '..') }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect([taken.code, taken.stderr.trim()]).to.deep.equal([
        1,
        `infinium-otel view: listen EADDRINUSE: address already in use 127.0.0.1:${port}: another collector or viewer is running there; choose other ports with --port, --ui-port, --grpc-port.`,
      ]);
    } finally {
      await first.stop();
      fs.rmSync(data, { recursive: true, force: true });
    }
  });

  it('prints its usage for --help, and refuses a bad flag in one line with exit code 2', async () => {
    const runtime = await node22();
    const help = await run(runtime.node, ['--import', 'tsx', CLI, 'view', '--help'], { cwd: path.resolve(__dirname, '..', '..') });
    expect(help.stdout).to.match(/^Usage: infinium-otel view \[options\]/);
    const bad = await run(runtime.node, ['--import', 'tsx', CLI, 'view', '--port', 'x', '--data', tempDataDir()], { cwd: path.resolve(__dirname, '..', '..') }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect([(bad as { code: number }).code, (bad as { stderr: string }).stderr]).to.deep.equal([
      2,
      'infinium-otel view: --port must be a port number (0-65535), not "x" (infinium-otel view --help lists the options)\n',
    ]);
  });
});
