import { expect } from 'chai';
import path from 'node:path';
import { runChildApp } from '../../helpers/child-app';

const APP = path.join(__dirname, 'fixtures', 'stores-esm-app.mjs');

/** ESM apps on the vector stores in child processes: the ESM builds (their own copies of the classes) are patched too. */
describe('vector stores in an ESM app (child processes)', function () {
  this.timeout(120_000);

  async function runApp(mode: string): Promise<unknown> {
    return (await runChildApp(APP, { nodeArgs: ['--import', 'tsx'], args: [mode] })).report;
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
