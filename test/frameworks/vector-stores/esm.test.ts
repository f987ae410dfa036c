import { expect } from 'chai';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..', '..');
const APP = path.join(__dirname, 'fixtures', 'stores-esm-app.mjs');

/** ESM apps on the vector stores in child processes: the ESM builds (their own copies of the classes) are patched too. */
describe('vector stores in an ESM app (child processes)', function () {
  this.timeout(120_000);

  async function runApp(mode: string): Promise<unknown> {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', APP, mode], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' }, timeout: 90_000 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!);
  }

  it("an ESM app's import of each store is traced: one RETRIEVER span per query, under the app's span", async () => {
    expect(await runApp('esm')).to.deep.equal(['query products RETRIEVER <- app', 'search docs RETRIEVER <- app', 'query notes RETRIEVER <- app', 'app - <- root']);
  });

  it('an app that imports the ESM build and requires the CommonJS build gets spans from both', async () => {
    expect(await runApp('both')).to.deep.equal([
      'query products RETRIEVER <- app', 'search docs RETRIEVER <- app', 'search cjs-docs RETRIEVER <- app', 'query notes RETRIEVER <- app', 'app - <- root',
    ]);
  });

  it("disable() restores the ESM classes' methods (and a Chroma collection's); enable() traces again", async () => {
    expect(await runApp('toggle')).to.deep.equal({
      enabled: [true, true, true, true],
      disabled: { wrapped: [false, false, false, false], spans: [] },
      reenabled: { wrapped: [true, true, true, true], spans: ['query products', 'search docs', 'query notes'] },
    });
  });
});
