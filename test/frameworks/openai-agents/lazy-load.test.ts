import { expect } from 'chai';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..', '..');

/**
 * Start-up cost and loading: a child process (the source through tsx, no build needed) turns the
 * instrumentation on and lists which of our OpenAI Agents files it holds; then it loads `@openai/agents`,
 * which must load the bridge and patch the SDK, and runs nothing that could reach the network. The SDK
 * must load without a word on stderr from either of us.
 */
const APP = `
const path = require('node:path');
const lib = path.join(process.cwd(), 'lib');
const { InfiniumInstrumentation } = require('./lib/instrumentation/instrumentation.ts');
new InfiniumInstrumentation();
const loaded = () => Object.keys(require.cache)
  .filter((file) => file.startsWith(path.join(lib, 'frameworks', 'openai-agents') + path.sep))
  .map((file) => path.basename(file))
  .sort();
const before = loaded();
const agents = require('@openai/agents');
const core = require('@openai/agents-core');
const after = loaded();
const patched = {
  storage: (globalThis[Symbol.for('openai.agents.core.asyncLocalStorage')] || {}).constructor.name,
  processor: core.MultiTracingProcessor.prototype.onSpanStart.name,
  run: typeof agents.run,
};
console.log(JSON.stringify({ before, after, patched }));
`;

describe('OpenAI Agents: loading', () => {
  it('an app that never loads the SDK loads none of the bridge, not even its definitions; loading the SDK loads and installs it, silently', async function () {
    this.timeout(60_000);
    const env = { ...process.env, OPENAI_API_KEY: '', OPENAI_AGENTS_DISABLE_TRACING: '' };
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', '-e', APP], { cwd: ROOT, env });
    const { before, after, patched } = JSON.parse(stdout.trim()) as { before: string[]; after: string[]; patched: Record<string, string> };
    expect(before).to.deep.equal([]);
    expect(after).to.include.members(['agents-scope.ts', 'bridge.ts', 'files.ts', 'index.ts', 'patches.ts', 'span-records.ts']);
    expect(patched).to.deep.equal({ storage: 'BridgedStorage', processor: 'bridgedProcessorEvent', run: 'function' });
    expect(stderr).to.equal('');
  });
});
