import path from 'node:path';
import { expect } from 'chai';
import { runNode } from '../register/run-node';

const PROBE = path.join(__dirname, 'fixtures', 'table-load-probe.ts');

/**
 * The price table is 480 KB (about 40 ms of CPU to load). It loads in a setImmediate when the first model call
 * starts, so neither the app's start (nor an app that makes no model call) nor the first call's end pays it; with cost off it never loads. Each case in a
 * fresh process: mocha's own has long loaded it.
 */
describe('cost: when the price table loads (child processes)', function () {
  this.timeout(60_000);

  async function probe(env: Record<string, string>): Promise<Record<string, unknown>> {
    const result = await runNode(['--import', 'tsx', PROBE], env).exited;
    expect(result.stderr).to.equal('');
    return JSON.parse(result.stdout.trim()) as Record<string, unknown>;
  }

  it('cost on: not at start nor while the app makes no model call; loaded when the first call reaches the server (before it ends and is priced)', async () => {
    // gpt-4o at 2.50 / 1.25 cached / 10 per million: 0.005615, as in e2e.test.ts.
    expect(await probe({})).to.deep.equal({ atStart: false, idle: false, atRequest: true, atEnd: true, cost: 0.005615 });
  });

  it('INFINIUM_COST=false (instrumentation and processor): never loaded, no cost', async () => {
    expect(await probe({ INFINIUM_COST: 'false' })).to.deep.equal({ atStart: false, idle: false, atRequest: false, atEnd: false, cost: null });
  });
});
