import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, runChildApp } from '../helpers/child-app';

const APP = path.join(__dirname, 'fixtures', 'untraced-request-app.cjs');

/** A dependency of the app, in the app's node_modules: CommonJS, `import()`ing openai (ESM) for a chat call to `baseURL`. */
const IMPORTER = `exports.chat = async (baseURL) => {
  const { OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey: 'sk-test', baseURL, maxRetries: 0 });
  return client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
};
`;

interface Report {
  answers: string[];
  llmSpans: string[];
  warnings: string[];
}

const WARNING = /^@infinium\/otel: a request to 127\.0\.0\.1:\d+\/v1\/chat\/completions was sent by an SDK we did not patch, likely an ESM copy that a dependency import\(\)ed; set INFINIUM_ESM_HOOK=true to trace it$/;

/**
 * Node 20 announces no `import()` to a library, so a CommonJS app whose dependency `import()`s an SDK cannot be
 * traced without INFINIUM_ESM_HOOK=true; its first LLM request says so, once (untraced-request-warning.ts).
 * Child processes: the hook and the watch are process-wide. INFINIUM_INSTRUMENTATIONS leaves out the Claude
 * Agent SDK, installed here, which would get the hook at start.
 */
describe('the warning for an untraced ESM copy of an SDK in a CommonJS app on Node 20 (child processes)', function () {
  this.timeout(120_000);
  let dir: string;
  before(function () {
    if (Number(process.versions.node.split('.')[0]) >= 22) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'untraced-request-app-'));
    const pkg = path.join(dir, 'node_modules', 'sdk-importer');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'sdk-importer', version: '1.0.0', main: 'index.js' }));
    fs.writeFileSync(path.join(pkg, 'index.js'), IMPORTER);
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', 'openai'), path.join(dir, 'node_modules', 'openai'), 'dir');
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function runApp(mode: string, env: Record<string, string> = {}): Promise<Report> {
    const { report } = await runChildApp<Report>(APP, {
      nodeArgs: ['--import', 'tsx'],
      args: [dir, mode],
      env: { INFINIUM_INSTRUMENTATIONS: 'openai', INFINIUM_ESM_HOOK: '', ...env },
    });
    return report;
  }

  it('a dependency import()s openai: one warning naming INFINIUM_ESM_HOOK, once for two calls, and no span', async () => {
    const report = await runApp('import');
    expect(report.answers).to.deep.equal(['ok', 'ok']);
    expect(report.llmSpans).to.deep.equal([]);
    expect(report.warnings).to.have.length(1);
    expect(report.warnings[0]).to.match(WARNING);
  });

  it('INFINIUM_ESM_HOOK=true: the same calls are traced, and no warning', async () => {
    expect(await runApp('import', { INFINIUM_ESM_HOOK: 'true' })).to.deep.equal({
      answers: ['ok', 'ok'],
      llmSpans: ['chat gpt-4o-mini', 'chat gpt-4o-mini'],
      warnings: [],
    });
  });

  it('openai required by the app (CommonJS, patched): traced, and no warning', async () => {
    expect(await runApp('require')).to.deep.equal({
      answers: ['ok', 'ok'],
      llmSpans: ['chat gpt-4o-mini', 'chat gpt-4o-mini'],
      warnings: [],
    });
  });

  it('a fetch to a path that is no LLM API: no warning', async () => {
    expect(await runApp('fetch')).to.deep.equal({ answers: ['chat.completion'], llmSpans: [], warnings: [] });
  });
});
