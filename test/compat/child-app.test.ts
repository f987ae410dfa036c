import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChildApp } from '../helpers/child-app';

/** The shared child-app runner (test/helpers/child-app.ts): the report line, the environment it passes, a failing app. */
describe('runChildApp', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => void (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'child-app-test-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const script = (name: string, source: string) => {
    fs.writeFileSync(path.join(dir, name), source);
    return path.join(dir, name);
  };

  it('parses the last stdout line; the test variables and the arguments reach the app; NODE_OPTIONS does not', async () => {
    const app = script('report.mjs', 'console.log("a log line");\nconsole.error("to stderr");\nconsole.log(JSON.stringify({ fake: process.env.FAKE_ORIGIN, options: process.env.NODE_OPTIONS, args: process.argv.slice(2) }));\n');
    const result = await runChildApp<Record<string, unknown>>(app, { args: ['esm'], env: { FAKE_ORIGIN: 'http://127.0.0.1:1' } });
    expect(result.report).to.deep.equal({ fake: 'http://127.0.0.1:1', options: '', args: ['esm'] });
    expect([result.stdout.split('\n')[0], result.stderr]).to.deep.equal(['a log line', 'to stderr\n']);
  });

  it('rejects with the child\'s stderr when the app fails', async () => {
    const app = script('fails.cjs', 'process.stderr.write("app failed: boom\\n");\nprocess.exitCode = 3;\n');
    const caught = (await runChildApp(app).then(() => undefined, (err: unknown) => err)) as { code: number; stderr: string };
    expect([caught.code, caught.stderr]).to.deep.equal([3, 'app failed: boom\n']);
  });
});
