import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { chatCompletion } from '../providers/openai/fixtures';
import { OtlpReceiver, startOtlpReceiver } from '../register/otlp-receiver';
import { closedPort, REPO_ROOT, runNode } from '../register/run-node';

/**
 * The README's quick start, as a new user follows it: its `ts` block copied verbatim into the app's
 * `tracing.mjs` / `tracing.ts`, an ESM app (`"type": "module"`, `import OpenAI from 'openai'`) with the
 * package installed under node_modules (a link to this repository, built), and the README's command lines.
 */
const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const SAY_HI = path.join(REPO_ROOT, 'test', 'register', 'fixtures', 'say-hi.cjs');

function quickStartBlock(): string {
  const section = README.slice(README.indexOf('## Quick start'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('README has no quick start ts block');
  return match[1];
}

/** The README's command line that runs `file`, e.g. `node --import ./tracing.mjs app.mjs`. */
function readmeCommand(file: string): string[] {
  const line = README.split('\n').find((l) => l.startsWith('node ') && l.includes(` ${file}`));
  if (!line) throw new Error(`README has no command line for ${file}`);
  return line.split('#')[0].trim().split(/\s+/).slice(1);
}

function createApp(): string {
  // Inside the repository, so that `openai`, the OTel packages and tsx resolve from its node_modules.
  const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'test', 'docs', '.quick-start-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'quick-start-app', type: 'module', private: true }));
  fs.mkdirSync(path.join(dir, 'node_modules', '@infinium'), { recursive: true });
  fs.symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', '@infinium', 'otel'), 'dir');
  const tracing = quickStartBlock();
  fs.writeFileSync(path.join(dir, 'tracing.mjs'), tracing);
  fs.writeFileSync(path.join(dir, 'tracing.ts'), tracing);
  const app = `import OpenAI from 'openai';\nimport { sayHi } from ${JSON.stringify(SAY_HI)};\n\nawait sayHi(OpenAI);\n`;
  fs.writeFileSync(path.join(dir, 'app.mjs'), app);
  fs.writeFileSync(path.join(dir, 'app.ts'), app);
  fs.copyFileSync(path.join(REPO_ROOT, 'docs', 'examples', 'processor-example.ts'), path.join(dir, 'processor-example.ts'));
  return dir;
}

describe('README quick start, followed as written (child processes)', function () {
  this.timeout(60_000);
  let llm: FakeLlmServer;
  let receiver: OtlpReceiver;
  let appDir: string;

  before(async () => {
    llm = await startFakeLlmServer();
    llm.reply({ json: chatCompletion() });
    appDir = createApp();
  });
  after(async () => {
    await llm.stop();
    fs.rmSync(appDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(() => receiver.stop());

  async function expectOneTracedCall(args: string[]): Promise<void> {
    const result = await runNode(args, { FAKE_LLM_ORIGIN: llm.origin, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin }, appDir).exited;
    expect(result.stderr).to.equal('');
    expect(result.stdout).to.equal('answer: Hello there!\n');
    expect(result.code).to.equal(0);
    const spans = receiver.spans.filter((s) => s.scope === '@infinium/otel');
    expect(spans).to.have.length(1);
    const a = spans[0].attributes;
    expect(spans[0].name).to.equal('chat gpt-4o-mini');
    expect(a['openinference.span.kind']).to.equal('LLM');
    expect(a['llm.provider']).to.equal('openai');
    expect(a['llm.model_name']).to.equal('gpt-4o-mini-2024-07-18');
    expect([a['llm.token_count.prompt'], a['llm.token_count.completion'], a['llm.token_count.total']]).to.deep.equal([19, 10, 29]);
    expect(a['infinium.llm_call_count']).to.equal(1);
  }

  it('ESM app: node --import ./tracing.mjs app.mjs (the default export of openai is patched)', async () => {
    const args = readmeCommand('app.mjs');
    expect(args).to.deep.equal(['--import', './tracing.mjs', 'app.mjs']);
    await expectOneTracedCall(args);
  });

  it('TypeScript ESM app under tsx: node --import tsx --import ./tracing.ts app.ts', async () => {
    const args = readmeCommand('app.ts');
    expect(args).to.deep.equal(['--import', 'tsx', '--import', './tracing.ts', 'app.ts']);
    await expectOneTracedCall(args);
  });

  it("docs/processor.md's full example as ESM under tsx: both calls are captured and counted", async () => {
    const result = await runNode(['--import', 'tsx', 'processor-example.ts'], {
      OPENAI_BASE_URL: `${llm.origin}/v1`,
      OPENAI_API_KEY: 'sk-test',
      OTEL_NODE_RESOURCE_DETECTORS: 'none',
    }, appDir).exited;
    expect(result.code).to.equal(0);
    expect(result.stderr).to.equal('');
    // getCurrentTraceContext() inside the traced function: two calls, one prompt fetch.
    const llmCalls = /llmCalls: \[([\s\S]*?)\n  \]/.exec(result.stdout)?.[1] ?? '';
    // The fake server is a local base URL, so the calls are attributed to an OpenAI-compatible host.
    expect(llmCalls.match(/provider: 'openai-compatible'/g)).to.have.length(2);
    expect(llmCalls.match(/promptTokens: 19/g)).to.have.length(2);
    // The root's roll-up, printed by the console exporter.
    expect(result.stdout).to.include("'infinium.llm_call_count': 2");
    expect(result.stdout).to.include("'infinium.prompt_fetch_count': 1");
  });

  it('no collector (a closed port): the app ends normally with one line from the documented catch', async () => {
    const port = await closedPort();
    const result = await runNode(readmeCommand('app.mjs'), {
      FAKE_LLM_ORIGIN: llm.origin,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_TIMEOUT: '300', // the exporter's own retry budget, so the test stays short
    }, appDir).exited;
    expect(result.stdout).to.equal('answer: Hello there!\n');
    expect(result.code).to.equal(0);
    expect(result.stderr).to.equal(`tracing: spans not exported (connect ECONNREFUSED 127.0.0.1:${port})\n`);
  });
});
