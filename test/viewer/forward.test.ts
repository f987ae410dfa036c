import { expect } from 'chai';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { node22 } from '../compat/node-runtime';
import type { FakeCollector } from './fake-collector';
import { startFakeCollector } from './fake-collector';
import { eventually, getJson, jsonRequest, post, traceId } from './otlp-requests';
import type { ViewerProcess } from './viewer-process';
import { CLI, startViewerProcess, tempDataDir } from './viewer-process';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');

/**
 * `infinium-otel view --forward` as a user runs it, against a local collector that wants a key: the
 * headers it gets (flags and OTEL_EXPORTER_OTLP_HEADERS), and a collector that goes down or hangs: ingest
 * goes on, one warning, a bounded exit. No header value ever printed.
 */
describe('viewer: --forward with headers, to a collector that fails or hangs', function () {
  this.timeout(120_000);
  const SECRETS = ['env-secret-1', 'flag-secret-2', 'core team'];
  let collector: FakeCollector;
  let viewer: ViewerProcess;

  const send = async (name: string): Promise<{ status: number; ms: number }> => {
    const spans = [{ traceId: traceId('f'), spanId: '00000000000000f1', name, startMs: Date.now() }];
    const started = Date.now();
    const reply = await post(viewer.receiverUrl, JSON.stringify(jsonRequest('forward-app', spans)), { 'content-type': 'application/json' });
    return { status: reply.status, ms: Date.now() - started };
  };
  const stored = async (): Promise<string[]> =>
    (await getJson(`${viewer.uiUrl}/api/traces?service=forward-app&limit=500`)).body.traces.map((t: { rootName: string }) => t.rootName).sort();
  const warnings = (): string[] => viewer.output().split('\n').filter((line) => line.includes(' failing ('));

  before(async () => {
    collector = await startFakeCollector();
    viewer = await startViewerProcess(
      ['--grpc-port', 'off', '--forward', `${collector.url}/team`, '--forward-header', 'Authorization: Bearer flag-secret-2', '--forward-header', 'X-Empty:'],
      tempDataDir(),
      undefined,
      {
        OTEL_EXPORTER_OTLP_HEADERS: 'x-team=core%20team,authorization=Bearer%20env-secret-1',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-trace-only=t%3D1',
      },
    );
  });
  after(async () => {
    if (viewer) {
      await viewer.stop('SIGKILL');
      fs.rmSync(viewer.dataDir, { recursive: true, force: true });
    }
    await collector?.close();
  });

  it('sends exactly the configured headers (flags over the environment), the body as received; prints the names only', async () => {
    expect((await send('with headers')).status).to.equal(200);
    const got = await eventually(async () => collector.received[0]);
    const { connection, 'content-length': length, ...headers } = got.headers;
    expect(headers).to.deep.equal({
      'x-team': 'core team',
      'x-trace-only': 't=1',
      authorization: 'Bearer flag-secret-2',
      'x-empty': '',
      'content-type': 'application/json',
      host: `127.0.0.1:${collector.port}`,
    });
    expect([connection, Number(length), got.url]).to.deep.equal(['keep-alive', got.body.length, '/team/v1/traces']);
    expect(JSON.parse(got.body.toString()).resourceSpans[0].scopeSpans[0].spans[0].name).to.equal('with headers');
    expect(viewer.output()).to.contain(`Forwarding to ${collector.url}/team/v1/traces with the headers x-team, x-trace-only, Authorization, X-Empty\n`);
  });

  it('a collector going down: every export still stored and answered, one warning for 5 exports, one line when it is back', async () => {
    collector.mode = 'reset';
    const attempts = collector.attempts;
    for (let i = 0; i < 5; i++) expect((await send(`while down ${i}`)).status).to.equal(200);
    expect(await stored()).to.deep.equal(['while down 0', 'while down 1', 'while down 2', 'while down 3', 'while down 4', 'with headers']);
    await eventually(async () => (collector.attempts === attempts + 5 && warnings().length > 0 ? true : undefined), 30_000);
    collector.mode = 'status';
    expect((await send('back')).status).to.equal(200);
    await eventually(async () => (viewer.output().includes('works again (') ? true : undefined), 30_000);
    expect(warnings()).to.have.length(1);
    expect(warnings()[0]).to.match(new RegExp(`^viewer: forwarding to ${collector.url}/team/v1/traces failing \\(`));
    expect(viewer.output()).to.contain(`viewer: forwarding to ${collector.url}/team/v1/traces works again (5 export(s) failed, 0 dropped meanwhile)\n`);
  });

  it('a collector that hangs: exports answered and stored as usual, and the viewer still exits promptly (code 0)', async () => {
    collector.mode = 'hang';
    const attempts = collector.attempts;
    for (let i = 0; i < 3; i++) expect((await send(`while hung ${i}`)).status).to.equal(200);
    expect(await stored()).to.include.members(['while hung 0', 'while hung 1', 'while hung 2']);
    await eventually(async () => (collector.attempts >= attempts + 2 ? true : undefined), 30_000); // two stuck in flight
    const stopping = Date.now();
    expect(await viewer.stop()).to.equal(0);
    // Without the bound: two exports stuck 10 s each, then the third 10 s more.
    expect(Date.now() - stopping).to.be.lessThan(15_000);
    expect(viewer.output()).to.match(/viewer: forwarding to http:\/\/127\.0\.0\.1:\d+\/team\/v1\/traces: [1-3] export\(s\) not forwarded at exit\n/);
    for (const secret of SECRETS) expect(viewer.output()).not.to.contain(secret);
  });

  it('refuses a bad --forward-header or OTEL_EXPORTER_OTLP_HEADERS in one line, exit code 2, the value unquoted', async () => {
    const runtime = await node22();
    const attempt = (args: string[], env: Record<string, string> = {}) =>
      run(runtime.node, ['--import', 'tsx', CLI, 'view', '--data', path.join(os.tmpdir(), 'never-created-viewer-data'), '--forward', 'http://127.0.0.1:9', ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ...env },
      }).then(
        () => ({ code: 0, stdout: '', stderr: '' }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );
    expect(await attempt(['--forward-header', 'Bearer flag-secret-2'])).to.deep.equal({
      code: 2,
      stdout: '',
      stderr:
        'infinium-otel view: --forward-header #1 must be "Name: value" (e.g. "Authorization: Bearer <key>"), and has no name before a colon (infinium-otel view --help lists the options)\n',
    });
    expect(await attempt([], { OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%0Aenv-secret-1' })).to.deep.equal({
      code: 2,
      stdout: '',
      stderr:
        'infinium-otel view: OTEL_EXPORTER_OTLP_HEADERS entry 1: the value of authorization holds a line break or control character (infinium-otel view --help lists the options)\n',
    });
  });
});
