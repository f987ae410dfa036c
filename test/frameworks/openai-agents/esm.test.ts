import { expect } from 'chai';
import path from 'node:path';
import { runChildApp } from '../../helpers/child-app';

const APP = path.join(__dirname, 'fixtures', 'esm-app.mjs');

describe('OpenAI Agents: an ESM app (the SDK\'s .mjs build, patched through the loader hook)', () => {
  it('one agent turn with a tool call: the same tree as the CommonJS build, one LLM span per request', async function () {
    this.timeout(60_000);
    // No tracing key: the SDK's exporter skips (it says so on stderr, its only line there).
    const { report, stderr } = await runChildApp(APP, { nodeArgs: ['--import', 'tsx'], env: { OPENAI_API_KEY: '', OPENAI_AGENTS_DISABLE_TRACING: '' }, timeoutMs: 60_000 });
    expect(report).to.deep.equal({
      finalOutput: 'Sunny.',
      requests: 2,
      cjsCoreLoaded: false,
      tree: ['app -', '  Agent workflow CHAIN', '    Weather agent AGENT', '      chat gpt-4.1 LLM', '      get_weather TOOL', '      chat gpt-4.1 LLM'],
    });
    expect(stderr.trim().split('\n').filter((line) => line !== '')).to.deep.equal(['No API key provided for OpenAI tracing exporter. Exports will be skipped']);
  });

  // The SDK reads these once, when its trace provider is made: a child process each.
  for (const [variable, value] of [['OPENAI_AGENTS_DISABLE_TRACING', '1'], ['NODE_ENV', 'test']]) {
    it(`${variable}=${value} (the SDK's tracing off, as it decides): only our LLM spans, under the app span`, async function () {
      this.timeout(60_000);
      const env = { OPENAI_API_KEY: '', OPENAI_AGENTS_DISABLE_TRACING: '', [variable]: value };
      const { tree, requests } = (await runChildApp<{ tree: string[]; requests: number }>(APP, { nodeArgs: ['--import', 'tsx'], env, timeoutMs: 60_000 })).report;
      expect(requests).to.equal(2);
      expect(tree).to.deep.equal(['app -', '  chat gpt-4.1 LLM', '  chat gpt-4.1 LLM']);
    });
  }
});
