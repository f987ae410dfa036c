import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..', '..');

/** Bedrock and Cohere from an ESM app (a child process, the built package), as the register entry would hook it. */
describe('bedrock and cohere from an ESM app (child process, built package)', function () {
  this.timeout(120_000);

  before(async () => {
    if (!existsSync(path.join(ROOT, 'dist', 'index.js'))) await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
  });

  it('import { … } from the SDKs: one span per call, send() and the aggregated client alike', async () => {
    const { stdout } = await run(process.execPath, [path.join(__dirname, 'esm-app.mjs')], { cwd: ROOT });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).to.deep.equal([
      ['chat command-a-03-2025', 'cohere', 3],
      ['chat amazon.nova-lite-v1:0', 'aws', 2],
      ['chat amazon.nova-lite-v1:0', 'aws', 2],
    ]);
  });
});
