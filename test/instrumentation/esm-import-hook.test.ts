import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { node22 } from '../frameworks/llamaindex/run-app';
import { makeImporterDir } from './fixtures/importer-dir';
import { runChildApp } from '../helpers/child-app';

const APP = path.join(__dirname, 'fixtures', 'import-app.cjs');

/** A dependency of the app, in the app's node_modules: CommonJS, `import()`ing openai (ESM) for one chat call. */
const IMPORTER = `exports.chat = async () => {
  const { OpenAI } = await import('openai');
  const body = JSON.stringify({ id: 'x', object: 'chat.completion', model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] });
  const client = new OpenAI({ apiKey: 'sk-test', fetch: async () => new Response(body, { headers: { 'content-type': 'application/json' } }) });
  return client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
};
`;

interface Report {
  answer?: string;
  llmSpans: string[];
  hookLines: string[];
}

/**
 * A CommonJS app gets the ESM loader hook only when something is about to `import()` a package we patch, with
 * no setting (esm-loader-hook.ts): at start it registers none. Child processes (the hook is process-wide).
 * INFINIUM_INSTRUMENTATIONS leaves out the Claude Agent SDK, installed here, which would get the hook at start.
 */
describe('the deferred ESM loader hook of a CommonJS app (child processes)', function () {
  this.timeout(90_000);
  let dir: string;
  before(() => {
    dir = makeImporterDir('import-app-', IMPORTER);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function runApp(mode: string, node = process.execPath, preload: string[] = []): Promise<Report> {
    const env = { INFINIUM_INSTRUMENTATIONS: 'openai,llamaindex' };
    return (await runChildApp<Report>(APP, { node, nodeArgs: [...preload, '--import', 'tsx'], args: [dir, mode], env, timeoutMs: 80_000 })).report;
  }

  const DEFERRED = '@infinium/otel: CommonJS entry point: the ESM loader hook waits for the first import() of a patched package';

  it('an app that import()s nothing we patch registers no hook (no start-up cost)', async () => {
    const report = await runApp('nothing');
    expect(report.hookLines).to.deep.equal([DEFERRED]);
  });

  it('requiring @llamaindex/openai (which import()s openai) registers it then, on every Node', async () => {
    const report = await runApp('llamaindex');
    expect(report.hookLines).to.deep.equal([DEFERRED, "@infinium/otel: ESM loader hook registered at require('@llamaindex/openai')"]);
  });

  it('Node 22+: any dependency that import()s an SDK is traced, the hook registered at that import()', async function () {
    const node = await node22();
    const report = await runApp('import', node);
    expect(report).to.deep.equal({
      answer: 'ok',
      llmSpans: ['chat gpt-4o-mini'],
      hookLines: [DEFERRED, "@infinium/otel: ESM loader hook registered at import('openai')"],
    });
  });

  it('Node 22+: once the app disabled the instrumentation, an import() of openai registers no hook and is not traced', async function () {
    const report = await runApp('disabled-import', await node22());
    expect(report).to.deep.equal({
      answer: 'ok',
      llmSpans: [],
      hookLines: [DEFERRED, '@infinium/otel: every instrumentation disabled: the deferred ESM loader hook stops watching import()'],
    });
  });

  it('Node 22+: disabled then enabled again, the instrumentation watches again: the hook comes at that import()', async function () {
    const report = await runApp('reenabled-import', await node22());
    expect(report).to.deep.equal({
      answer: 'ok',
      llmSpans: ['chat gpt-4o-mini'],
      hookLines: [
        DEFERRED,
        '@infinium/otel: every instrumentation disabled: the deferred ESM loader hook stops watching import()',
        "@infinium/otel: ESM loader hook registered at import('openai')",
      ],
    });
  });

  it('Node 22 without usable in-thread hooks: the off-thread loader, registered during that import(), still patches it', async function () {
    const node = await node22();
    const report = await runApp('import', node, ['--require', path.join(__dirname, 'fixtures', 'no-sync-hooks.cjs')]);
    expect(report).to.deep.equal({
      answer: 'ok',
      llmSpans: ['chat gpt-4o-mini'],
      hookLines: [DEFERRED, "@infinium/otel: ESM loader hook registered at import('openai')"],
    });
  });

  it('Node 20 publishes no module.import channel: an unknown dependency\'s import() stays untraced (INFINIUM_ESM_HOOK=true covers it; its fetch requests warn once: untraced-request-warning.test.ts)', async function () {
    if (Number(process.versions.node.split('.')[0]) >= 22) this.skip();
    expect(await runApp('import')).to.deep.equal({ answer: 'ok', llmSpans: [], hookLines: [DEFERRED] });
  });
});
