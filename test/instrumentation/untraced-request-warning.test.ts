import { context, diag, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { expect } from 'chai';
import diagnosticsChannel from 'node:diagnostics_channel';
import fs from 'node:fs';
import sinon from 'sinon';
import path from 'node:path';
import { runChildApp } from '../helpers/child-app';
import { makeImporterDir } from './fixtures/importer-dir';
import { node22 } from '../frameworks/llamaindex/run-app';
import { callContext } from '../../lib/instrumentation/call-context';
import { warnOnUntracedLlmRequest } from '../../lib/instrumentation/untraced-request-warning';

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
  /** Whether undici's request channel still has a subscriber when the app ends. */
  watching: boolean;
}

const WARNING = /^@infinium\/otel: a request to 127\.0\.0\.1:\d+\/v1\/chat\/completions was sent by an SDK we did not patch, likely an ESM copy that a dependency import\(\)ed; set INFINIUM_ESM_HOOK=true to trace it$/;

/**
 * Node 20 announces no `import()` to a library, so a CommonJS app whose dependency `import()`s an SDK cannot be
 * traced without INFINIUM_ESM_HOOK=true; its first LLM request says so, once (untraced-request-warning.ts).
 * Child processes: the hook and the watch are process-wide. INFINIUM_INSTRUMENTATIONS leaves out the Claude
 * Agent SDK, installed here, which would get the hook at start.
 */
describe('the warning for an untraced ESM copy of an SDK in a CommonJS app: Node 20 warns, Node 22 needs not (child processes)', function () {
  this.timeout(120_000);
  let dir: string;
  const onNode20 = Number(process.versions.node.split('.')[0]) < 22;
  before(function () {
    dir = makeImporterDir('untraced-request-app-', IMPORTER);
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function runApp(mode: string, env: Record<string, string> = {}, node?: string): Promise<Report> {
    const { report } = await runChildApp<Report>(APP, {
      node,
      nodeArgs: ['--import', 'tsx'],
      args: [dir, mode],
      env: { INFINIUM_INSTRUMENTATIONS: 'openai', INFINIUM_ESM_HOOK: '', ...env },
    });
    return report;
  }

  beforeEach(function () {
    if (!onNode20 && !this.currentTest?.title.startsWith('Node 22')) this.skip();
  });

  it('a dependency import()s openai: one warning naming INFINIUM_ESM_HOOK, once for two calls, and no span', async () => {
    const report = await runApp('import');
    expect(report.answers).to.deep.equal(['ok', 'ok']);
    expect(report.llmSpans).to.deep.equal([]);
    expect(report.warnings).to.have.length(1);
    expect(report.warnings[0]).to.match(WARNING);
    expect(report.watching, 'unsubscribed after the warning').to.equal(false);
  });

  it('INFINIUM_ESM_HOOK=true: the same calls are traced, and no warning', async () => {
    expect(await runApp('import', { INFINIUM_ESM_HOOK: 'true' })).to.deep.equal({
      answers: ['ok', 'ok'],
      llmSpans: ['chat gpt-4o-mini', 'chat gpt-4o-mini'],
      warnings: [],
      watching: false,
    });
  });

  it('openai required by the app (CommonJS, patched): traced, and no warning (the watch stays, for a later ESM copy)', async () => {
    expect(await runApp('require')).to.deep.equal({
      answers: ['ok', 'ok'],
      llmSpans: ['chat gpt-4o-mini', 'chat gpt-4o-mini'],
      warnings: [],
      watching: true,
    });
  });

  it('a fetch to a path that is no LLM API: no warning', async () => {
    expect(await runApp('fetch')).to.deep.equal({ answers: ['chat.completion'], llmSpans: [], warnings: [], watching: true });
  });

  it('a plain fetch to an LLM path warns too (no SDK call of ours is active), without its query string or headers', async () => {
    const report = await runApp('raw');
    expect(report.answers).to.deep.equal(['chat.completion']);
    expect(report.warnings).to.have.length(1);
    expect(report.warnings[0]).to.match(WARNING);
    expect(report.watching).to.equal(false);
  });

  it('Node 22 (module.import published): the import()ed copy is traced, and no warning', async () => {
    expect(await runApp('import', {}, await node22())).to.deep.equal({
      answers: ['ok', 'ok'],
      llmSpans: ['chat gpt-4o-mini', 'chat gpt-4o-mini'],
      warnings: [],
      watching: false,
    });
  });

  it('Node 22 (module.import published): a plain fetch to an LLM path is no ESM copy: no warning', async () => {
    expect(await runApp('raw', {}, await node22())).to.deep.equal({ answers: ['chat.completion'], llmSpans: [], warnings: [], watching: false });
  });
});

/** The matching itself, in this process: messages published on undici's channel as Node 20's fetch publishes them. */
describe('warnOnUntracedLlmRequest: which requests it names (Node 20)', () => {
  const requests = diagnosticsChannel.channel('undici:request:create');
  let warn: sinon.SinonStub;
  let stop: (() => void) | undefined;
  // Whether the watcher this test made is still subscribed: `requests.hasSubscribers` also counts the watch
  // of an instrumentation another test file enabled in this process.
  let subscribe: sinon.SinonSpy;
  let unsubscribe: sinon.SinonSpy;
  const stillWatching = () => {
    const watcher = subscribe.getCalls().find((call) => call.args[0] === 'undici:request:create')?.args[1];
    return watcher !== undefined && !unsubscribe.getCalls().some((call) => call.args[0] === 'undici:request:create' && call.args[1] === watcher);
  };
  beforeEach(function () {
    if (Number(process.versions.node.split('.')[0]) >= 22) this.skip();
    warn = sinon.stub(diag, 'warn');
    subscribe = sinon.spy(diagnosticsChannel, 'subscribe');
    unsubscribe = sinon.spy(diagnosticsChannel, 'unsubscribe');
    stop = warnOnUntracedLlmRequest();
  });
  afterEach(() => {
    stop?.();
    sinon.restore();
  });
  const send = (path: unknown, origin: unknown = 'https://api.example.com') => requests.publish({ request: { origin, path, method: 'POST' } });
  const named = () => warn.getCalls().map((call) => String(call.args[0]).split(' ')[4]);

  for (const path of ['/v1/chat/completions', '/v1/completions', '/v1/embeddings', '/v1/responses', '/v1/messages?beta=true', '/v1beta/models/gemini-2.0-flash:generateContent', '/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse']) {
    it(`names ${path} (its path only) once, then stops watching`, () => {
      send(path);
      send(path);
      expect(named()).to.deep.equal([`api.example.com${path.split('?')[0]}`]);
      expect(stillWatching()).to.equal(false);
    });
  }

  it('ignores other paths, a path that only contains an LLM one, and shapes it cannot read, and keeps watching', () => {
    for (const path of ['/v1/models', '/v1/responses/resp_1', '/v1/messages/batches', '/v1/files?purpose=/v1/messages', undefined, 42]) send(path);
    requests.publish(undefined);
    requests.publish({});
    expect(warn.called).to.equal(false);
    expect(stillWatching()).to.equal(true);
  });

  it('a request inside one of our LLM calls is traced: no warning', () => {
    const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 });
    // The active context as our patched SDK method makes it (no context manager needed in this process).
    sinon.stub(context, 'active').returns(callContext(ROOT_CONTEXT, span.spanContext()));
    send('/v1/chat/completions');
    expect(warn.called).to.equal(false);
  });

  it('an origin it cannot parse: the path alone', () => {
    send('/v1/chat/completions', {});
    expect(named()).to.deep.equal(['/v1/chat/completions']);
  });
});
