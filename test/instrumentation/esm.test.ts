import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SpanStatusCode } from '@opentelemetry/api';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { chatCompletion, chatStream } from '../providers/openai/fixtures';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');

interface ChildSpan {
  name: string;
  scope: string;
  spanId: string;
  parentSpanId?: string;
  status: number;
  attributes: Record<string, unknown>;
}
interface ChildReport {
  results: { content: string; streamed: string };
  spans: ChildSpan[];
}

/**
 * Real apps in child processes, importing the package by its name ('@infinium/otel' resolves to the built
 * dist through the package's own exports map), as CommonJS and as ESM, hooked and patched by hand.
 * `npm test` builds dist first; when it is missing (a bare `npx mocha`), it is built here once.
 */
describe('ESM and CommonJS apps (child processes, built package)', function () {
  this.timeout(120_000);
  let server: FakeLlmServer;

  before(async () => {
    if (!existsSync(path.join(ROOT, 'dist', 'index.js'))) {
      await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
    }
    server = await startFakeLlmServer();
    server.handle((request) => (request.body?.stream ? { sse: chatStream() } : { json: chatCompletion() }));
  });
  after(() => server.stop());

  async function runApp(file: string, mode: string): Promise<ChildReport> {
    // No NODE_OPTIONS from the parent (tsx, --expose-gc): the child is a plain node app.
    const env = { ...process.env, NODE_OPTIONS: '', FAKE_LLM_ORIGIN: server.origin };
    const { stdout } = await run(process.execPath, [path.join(FIXTURES, file), mode], { cwd: ROOT, env, timeout: 60_000 });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildReport;
    expect(report.results).to.deep.equal({ content: 'Hello there!', streamed: 'Let me check.' });
    return report;
  }

  /** The exact spans every instrumented variant must produce. */
  function expectTracedCalls(report: ChildReport): void {
    const llm = report.spans.filter((s) => s.scope === '@infinium/otel');
    expect(llm).to.have.length(2);
    const agent = report.spans.find((s) => s.name === 'agent')!;
    const [plain, streamed] = llm;

    expect(plain.name).to.equal('chat gpt-4o-mini');
    expect(plain.parentSpanId).to.equal(agent.spanId);
    expect(plain.status).to.equal(SpanStatusCode.OK);
    expect(plain.attributes).to.deep.include({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'openai-compatible',
      'server.address': '127.0.0.1',
      'llm.system': 'openai',
      'llm.model_name': 'gpt-4o-mini-2024-07-18',
      'llm.model': 'gpt-4o-mini-2024-07-18',
      'llm.temperature': 0.5,
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'Hi',
      'llm.output_messages.0.message.content': 'Hello there!',
      'llm.token_count.prompt': 19,
      'llm.token_count.completion': 10,
      'llm.token_count.total': 29,
      'llm.prompt_tokens': 19,
      'llm.completion_tokens': 10,
      'llm.finish_reason': 'stop',
      'input.value': 'Hi',
      'output.value': 'Hello there!',
    });
    expect(JSON.stringify(plain.attributes)).not.to.contain('sk-child');

    expect(streamed.name).to.equal('chat gpt-4o-mini');
    expect(streamed.parentSpanId).to.equal(undefined);
    expect(streamed.status).to.equal(SpanStatusCode.OK);
    expect(streamed.attributes).to.deep.include({
      'llm.output_messages.0.message.content': 'Let me check.',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"city":"Paris"}',
      'llm.token_count.prompt': 12,
      'llm.token_count.completion': 7,
      'llm.token_count.total': 19,
      'llm.finish_reason': 'tool_calls',
    });
  }

  it('ESM: module.register(import-in-the-middle hook) + registerInstrumentations, then `import OpenAI from "openai"`', async () => {
    expectTracedCalls(await runApp('esm-app.mjs', 'hook'));
  });

  it('ESM without the loader hook gets no LLM spans (the control for the test above)', async () => {
    const report = await runApp('esm-app.mjs', 'unhooked');
    expect(report.spans.map((s) => s.scope)).to.deep.equal(['app']);
  });

  it('ESM, bundler style: a disabled instrumentation + manuallyInstrument(namespace)', async () => {
    expectTracedCalls(await runApp('esm-app.mjs', 'manual'));
  });

  it('CommonJS: registerInstrumentations, then require("openai")', async () => {
    expectTracedCalls(await runApp('cjs-app.cjs', 'hook'));
  });

  it('CommonJS, bundler style: a disabled instrumentation + manuallyInstrument(require("openai"))', async () => {
    expectTracedCalls(await runApp('cjs-app.cjs', 'manual'));
  });
});
