import { expect } from 'chai';
import path from 'node:path';
import { ensureBuilt, runChildApp } from '../../helpers/child-app';

/** Bedrock and Cohere from an ESM app (a child process, the built package), as the register entry would hook it. */
describe('bedrock and cohere from an ESM app (child process, built package)', function () {
  this.timeout(120_000);

  before(() => ensureBuilt());

  it('import { … } from the SDKs: one span per call, send() and the aggregated client alike', async () => {
    const { report } = await runChildApp(path.join(__dirname, 'esm-app.mjs'));
    expect(report).to.deep.equal([
      ['chat command-a-03-2025', 'cohere', 3],
      ['chat amazon.nova-lite-v1:0', 'aws', 2],
      ['chat amazon.nova-lite-v1:0', 'aws', 2],
    ]);
  });
});
