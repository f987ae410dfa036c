import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..', '..');
const SOURCE = path.join(ROOT, 'lib', 'frameworks', 'langchain', 'index.ts');
const BUILT = path.join(ROOT, 'dist', 'frameworks', 'langchain', 'index.js');

/**
 * Start-up cost: an app that never loads `@langchain/core` loads none of our LangChain code: not its
 * definitions (index.ts, loaded at the package's first load), nor the handler, patches and run renderer (which
 * index.ts loads the first time a LangChain file is patched). A child process loads
 * the built package, turns the instrumentation on, and lists the modules of ours it holds; then it loads
 * LangChain and runs a lambda, which must load them (the paths looked for are the right ones).
 */
const APP = `
const path = require('node:path');
const dist = path.dirname(require.resolve('@infinium/otel'));
const { InfiniumInstrumentation } = require('@infinium/otel');
new InfiniumInstrumentation();
const loaded = () => Object.keys(require.cache)
  .filter((file) => file.startsWith(dist + path.sep))
  .map((file) => path.relative(dist, file).split(path.sep).join('/'))
  .filter((file) => /^(frameworks\\/langchain\\/|frameworks\\/run-span|semconv\\/render-run)/.test(file))
  .sort();
const before = loaded();
const { RunnableLambda } = require('@langchain/core/runnables');
RunnableLambda.from((x) => x + 1).invoke(1).then((value) => console.log(JSON.stringify({ before, value, after: loaded() })));
`;

describe('LangChain: start-up cost', () => {
  before(async function () {
    this.timeout(120_000);
    // The built package, rebuilt when older than this source (the check is about what the source builds to).
    if (!existsSync(BUILT) || statSync(BUILT).mtimeMs < statSync(SOURCE).mtimeMs) await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
  });

  it('a process that loads only @infinium/otel loads no LangChain definitions, handler, patch or run renderer; loading LangChain does', async function () {
    this.timeout(30_000);
    const { stdout } = await run(process.execPath, ['-e', APP], { cwd: ROOT });
    const { before, value, after } = JSON.parse(stdout.trim()) as { before: string[]; value: number; after: string[] };
    // Not even the definitions (index.js), which load with LangChain. files.js is the ESM loader hook's list of
    // LangChain's files: this repository has an ESM-only SDK installed, so a CommonJS app here gets the hook at start.
    expect(before).to.deep.equal(['frameworks/langchain/files.js']);
    expect(value).to.equal(2);
    expect(after).to.include.members(['frameworks/langchain/index.js',
      'frameworks/langchain/handler.js', 'frameworks/langchain/patches.js', 'frameworks/run-span.js', 'semconv/render-run.js',
    ]);
  });
});
