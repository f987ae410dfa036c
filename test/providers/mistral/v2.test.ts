import { expect } from 'chai';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * `@mistralai/mistralai` 2.x eagerly loads its whole ESM graph (hundreds of zod schemas, ~180 MB of heap
 * under tsx), which would make every forced GC of the later tests in this process slow. Its suites
 * (test/providers/mistral/*.suite.ts: the same adapter and reader suites as 1.x, its own tracing, the require hook) run
 * in a mocha child process instead; this test fails with the child's failures.
 */
describe('@mistralai/mistralai 2.x suites (mocha child process)', function () {
  this.timeout(300_000);

  it('pass', async () => {
    const args = ['--no-config', '--node-option', 'import=tsx', '--node-option', 'expose-gc', '--extension', 'ts', '--timeout', '120000', '--exit', '--reporter', 'json', 'test/providers/mistral/*.suite.ts'];
    const mocha = path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
    let stdout: string;
    try {
      ({ stdout } = await run(process.execPath, [mocha, ...args], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 16 * 1024 * 1024 }));
    } catch (err) {
      stdout = (err as { stdout?: string }).stdout ?? '';
    }
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      stats: { passes: number; failures: number };
      failures: Array<{ fullTitle: string; err: { message?: string } }>;
    };
    expect(report.failures.map((f) => `${f.fullTitle}: ${f.err.message}`)).to.deep.equal([]);
    // The adapter suite (16), parse and the other stream readers (10), its own tracing (2) and the require hook (1).
    expect(report.stats.passes).to.equal(29);
  });
});
