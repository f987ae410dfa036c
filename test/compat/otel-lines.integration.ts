import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { FakeLlmServer, ReceivedRequest as LlmRequest, FakeResponse, startFakeLlmServer } from '../helpers/fake-llm-server';
import { message } from '../providers/anthropic/fixtures';
import { FakeBedrock } from '../providers/bedrock/fake-bedrock';
import { converseResponse } from '../providers/bedrock/fixtures';
import { chatResponse as cohereChat } from '../providers/cohere/fixtures';
import { groqCompletion } from '../providers/groq/fixtures';
import { chatResponse as mistralChat } from '../providers/mistral/fixtures';
import { chatResponse as ollamaChat } from '../providers/ollama/fake-ollama';
import { generateContentResponse } from '../providers/google/fixtures';
import { chatCompletion, chatStream } from '../providers/openai/fixtures';
import { OtlpReceiver, ReceivedSpan, startOtlpReceiver } from '../register/otlp-receiver';
import { OtlpGrpcReceiver } from '../helpers/otlp-grpc-receiver';
import {
  barePeerlessApp, copiesOf, copyFixtures, existingApp, installedApp, installedVersion, installProblems, instrumentationWeLoad, LINE_PINS,
  LineApp, LLM_SDKS, makeWorkDir, nestedSdkCopies, noSdkApp, OTHER_LINE_INSTRUMENTATION, OtelLine, packPackage, readmeApp,
} from './line-apps';
import { node22, NODE20, run, Runtime } from './node-runtime';
import { expectE2eSummary, expectMoreSdksSummary, E2eSummary, MoreSdksSummary } from './e2e-expectations';
import { describeLangChainApp, LANGCHAIN_CASES, langchainApp } from './langchain-apps';
import { describeMcpApp, MCP_CASES, mcpApp } from './mcp-apps';
import { AGENTS_CASES, agentsApp, describeAgentsApp } from './agents-apps';
import { CLIENTS_CASES, clientsApp, describeClientsApp } from './clients-apps';

/**
 * The packed package in throwaway apps of both OpenTelemetry JS lines: the 2.x line on Node 20 (and the
 * same app on Node 22), the 3.x line on Node 22. Each line has an app that was already pinned to it and
 * then gets our package, and a new app installed with the README's line as typed. Then the apps a user
 * meets beside other instrumentations: each line holding an instrumentation of the other line, a tree
 * installed with `--legacy-peer-deps`, pnpm's strict layout on both lines and yarn 1; each adds us with its
 * package manager's plain add. Then the LangChain/LangGraph apps (langchain-apps.ts), the MCP apps (mcp-apps.ts), the agent SDK apps (agents-apps.ts) and issue 28's clients apps (clients-apps.ts). Run by `npm run test:lines`
 * (`.ci/run` runs it after `npm test`); `LINES_ONLY=<regex>` runs only the apps whose key matches.
 */
const FIXTURES = ['e2e-app.cjs', 'more-sdks-app.cjs', 'register-app.cjs', 'register-app.mjs'];
const APP_OUTPUT = 'answer: Hello there!\n';

interface Build {
  workDir: string;
  tarball: string;
  n22: Runtime;
}

interface AppCase {
  key: string;
  build(b: Build): Promise<LineApp>;
  line: OtelLine;
  /** How the app builds its own span processors: sdk-trace-base's positional constructor, or sdk-trace's options. */
  tracing: 'sdk-trace-base' | 'sdk-trace';
  /** Also run this app on Node 22 (the 2.x line runs on both). */
  alsoNode22?: boolean;
  /** Run the register entry's three protocols here too (the in-code path alone where another app covers them). */
  register: boolean;
  /** The app also has Groq, Mistral, Ollama, Cohere and Bedrock (the pinned app of each line). */
  moreSdks?: boolean;
}

/** The pinned app of `line` holding an instrumentation of the other line, added to with `pm`. */
const otherLineApp = (line: OtelLine, name: string, label: string, legacyPeerDeps = false) => (runtime: Runtime, b: Build) =>
  installedApp(runtime, b.workDir, b.tarball, {
    name, label, legacyPeerDeps, dependencies: { ...LINE_PINS[line], ...LLM_SDKS, ...OTHER_LINE_INSTRUMENTATION[line === '3.x' ? '2.x' : '3.x'] },
  });
/** The pinned app of `line` (with the three LLM SDKs the e2e app calls), installed and added to with `pm`. */
const pmApp = (line: OtelLine, pm: 'pnpm' | 'yarn') => (runtime: Runtime, b: Build) =>
  installedApp(runtime, b.workDir, b.tarball, { name: `${pm}-${line}`, label: `${pm} ${line} app`, pm, dependencies: { ...LINE_PINS[line], ...LLM_SDKS } });

const ALL_CASES: AppCase[] = [
  { key: 'existing 2.x app (Node 20)', build: (b) => existingApp(NODE20, '2.x', b.workDir, b.tarball), line: '2.x', tracing: 'sdk-trace-base', alsoNode22: true, register: true, moreSdks: true },
  { key: 'README app on Node 20', build: (b) => readmeApp(NODE20, b.workDir, b.tarball), line: '2.x', tracing: 'sdk-trace', register: true },
  { key: 'existing 3.x app (Node 22)', build: (b) => existingApp(b.n22, '3.x', b.workDir, b.tarball), line: '3.x', tracing: 'sdk-trace', register: true, moreSdks: true },
  { key: 'README app on Node 22', build: (b) => readmeApp(b.n22, b.workDir, b.tarball), line: '3.x', tracing: 'sdk-trace', register: true },
  { key: 'README 2.x-line app on Node 22', build: (b) => readmeApp(b.n22, b.workDir, b.tarball, '2.x'), line: '2.x', tracing: 'sdk-trace', register: false },
  // The reported failure: a 3.x app holding Arize's 2.x-era instrumentation, then a plain `npm install` of us.
  {
    key: '3.x app holding a 2.x-era instrumentation (Node 22)', line: '3.x', tracing: 'sdk-trace', register: true,
    build: (b) => otherLineApp('3.x', 'mixed-3.x', '3.x app with Arize 4.2.7')(b.n22, b),
  },
  {
    key: '2.x app holding a 3.x-era instrumentation (Node 20)', line: '2.x', tracing: 'sdk-trace-base', register: false,
    build: (b) => otherLineApp('2.x', 'mixed-2.x', '2.x app with instrumentation-aws-sdk 0.79')(NODE20, b),
  },
  // Its tree was installed with --legacy-peer-deps, so Arize's core 2.x sits at the top beside api 1.10.
  {
    key: '3.x app installed with --legacy-peer-deps (Node 22)', line: '3.x', tracing: 'sdk-trace', register: false,
    build: (b) => otherLineApp('3.x', 'legacy-3.x', '3.x app installed with --legacy-peer-deps', true)(b.n22, b),
  },
  { key: 'pnpm 2.x app (Node 20)', build: (b) => pmApp('2.x', 'pnpm')(NODE20, b), line: '2.x', tracing: 'sdk-trace-base', register: true },
  { key: 'pnpm 3.x app (Node 22)', build: (b) => pmApp('3.x', 'pnpm')(b.n22, b), line: '3.x', tracing: 'sdk-trace', register: true },
  { key: 'yarn 1 3.x app (Node 22)', build: (b) => pmApp('3.x', 'yarn')(b.n22, b), line: '3.x', tracing: 'sdk-trace', register: true },
];
const ONLY = process.env.LINES_ONLY ? new RegExp(process.env.LINES_ONLY) : undefined;
const CASES = ONLY ? ALL_CASES.filter((c) => ONLY.test(c.key)) : ALL_CASES;
const LANGCHAIN = ONLY ? LANGCHAIN_CASES.filter((c) => ONLY.test(c.key)) : LANGCHAIN_CASES;
const MCP = ONLY ? MCP_CASES.filter((c) => ONLY.test(c.key)) : MCP_CASES;
const AGENTS = ONLY ? AGENTS_CASES.filter((c) => ONLY.test(c.key)) : AGENTS_CASES;
const CLIENTS = ONLY ? CLIENTS_CASES.filter((c) => ONLY.test(c.key)) : CLIENTS_CASES;

/** Waits for every install (none left writing into the folder `after` removes), then fails with the first error. */
async function allOrFirstError<T>(installs: Array<Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(installs);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}

function answerLikeTheProviders(request: LlmRequest): FakeResponse {
  if (request.path === '/openai/v1/chat/completions') return { json: groqCompletion() };
  if (request.path.endsWith('/chat/completions') && request.body?.model === 'mistral-small-latest') return { json: mistralChat() };
  if (request.path === '/api/chat') return { json: ollamaChat() };
  if (request.path === '/v2/chat') return { json: cohereChat({ finish_reason: 'COMPLETE', message: { role: 'assistant', content: [{ type: 'text', text: 'Hello from Cohere!' }] } }) };
  if (request.path.endsWith('/chat/completions')) return request.body?.stream ? { sse: chatStream() } : { json: chatCompletion() };
  if (request.path.endsWith('/v1/messages')) return { json: message() };
  if (request.path.includes(':generateContent')) return { json: generateContentResponse() };
  return { status: 404, json: { error: { message: `no fake for ${request.path}` } } };
}

describe('both OpenTelemetry lines, from the packed package', function () {
  this.timeout(600_000);
  let workDir: string;
  let llm: FakeLlmServer;
  let bedrock: FakeBedrock;
  let n22: Runtime;
  let tarball: string;
  const apps = new Map<string, LineApp>();
  const langchainApps = new Map<string, LineApp>();
  const mcpApps = new Map<string, LineApp>();
  const agentsApps = new Map<string, LineApp>();
  const clientsApps = new Map<string, LineApp>();
  const extra: { peerless?: LineApp; noSdk?: LineApp } = {};

  before(async () => {
    workDir = makeWorkDir();
    llm = await startFakeLlmServer();
    llm.handle(answerLikeTheProviders);
    bedrock = await new FakeBedrock().start();
    bedrock.answer({ json: converseResponse({ output: { message: { role: 'assistant', content: [{ text: 'Hello from Nova!' }] } }, stopReason: 'end_turn' }) });
    n22 = await node22();
    tarball = await packPackage(NODE20, workDir);
    const build: Build = { workDir, tarball, n22 };
    const [peerless, noSdk, ...lineApps] = await allOrFirstError([
      barePeerlessApp(NODE20, workDir, tarball),
      noSdkApp(NODE20, workDir, tarball),
      ...CASES.map((c) => c.build(build)),
      ...LANGCHAIN.map((c) => langchainApp(c, c.runtime(n22, NODE20), workDir, tarball)),
      ...MCP.map((c) => mcpApp(c, c.runtime(n22, NODE20), workDir, tarball)),
      ...AGENTS.map((c) => agentsApp(c, c.runtime(n22, NODE20), workDir, tarball)),
      ...CLIENTS.map((c) => clientsApp(c, c.runtime(n22, NODE20), workDir, tarball)),
    ]);
    LANGCHAIN.forEach((c, i) => langchainApps.set(c.key, lineApps[CASES.length + i]));
    MCP.forEach((c, i) => mcpApps.set(c.key, lineApps[CASES.length + LANGCHAIN.length + i]));
    AGENTS.forEach((c, i) => agentsApps.set(c.key, lineApps[CASES.length + LANGCHAIN.length + MCP.length + i]));
    CLIENTS.forEach((c, i) => clientsApps.set(c.key, lineApps[CASES.length + LANGCHAIN.length + MCP.length + AGENTS.length + i]));
    CASES.forEach((c, i) => {
      copyFixtures(lineApps[i], FIXTURES);
      apps.set(c.key, lineApps[i]);
    });
    Object.assign(extra, { peerless, noSdk });
    for (const app of [peerless, noSdk]) copyFixtures(app, FIXTURES);
  });

  after(async () => {
    await llm?.stop();
    await bedrock?.stop();
    // Hundreds of MB of node_modules: removed in the background, so the run does not wait on the disk.
    if (workDir) spawn('rm', ['-rf', workDir], { detached: true, stdio: 'ignore' }).unref();
  });

  const llmEnv = () => ({ FAKE_LLM_ORIGIN: llm.origin });
  // The in-code apps export spans to memory. NodeSDK would also start its default OTLP metrics and logs
  // exporters towards a collector that is not there, and its shutdown then waits about 8 s for them.
  const inCodeEnv = (tracing: AppCase['tracing']) => ({ ...llmEnv(), APP_TRACING: tracing, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' });

  for (const c of CASES) {
    describe(c.key, () => {
      const app = () => apps.get(c.key)!;
      const runtimes = (): Runtime[] => (c.alsoNode22 ? [app().runtime, n22] : [app().runtime]);

      it(`resolves the ${c.line} line; adding us brought no peer problem; one api, one import-in-the-middle, no SDK copy of ours`, async () => {
        expect(installedVersion(app(), '@opentelemetry/api')).to.match(c.line === '2.x' ? /^1\.9\./ : /^1\.10\./);
        expect(installedVersion(app(), '@opentelemetry/sdk-node')).to.match(c.line === '2.x' ? /^0\.2\d\d\./ : /^0\.30\d\./);
        // Our own dependency, on the 0.2xx line (peer api ^1.3.0) whichever line the app runs.
        expect(instrumentationWeLoad(app()).version).to.match(/^0\.2\d\d\./);
        expect(await installProblems(app())).to.deep.equal([]);
        expect(nestedSdkCopies(app())).to.deep.equal([]);
        expect(copiesOf(app(), '@opentelemetry/api')).to.have.length(1);
        expect(copiesOf(app(), 'import-in-the-middle', false)).to.have.length(1);
      });

      it('in-code NodeSDK: OpenAI chat and stream, Anthropic, Gemini, the roll-up, exportTrace and the tree view', async () => {
        for (const runtime of runtimes()) {
          const result = await run(runtime, ['e2e-app.cjs'], app().dir, inCodeEnv(c.tracing));
          expect(result.stderr, `${runtime.label} stderr`).to.equal('');
          expect(result.code).to.equal(0);
          expectE2eSummary(JSON.parse(result.stdout) as E2eSummary);
        }
      });

      if (c.moreSdks) {
        it('Groq, Mistral, Ollama, Cohere and Bedrock: one LLM span each, OpenInference and GenAI keys, the roll-up', async () => {
          for (const runtime of runtimes()) {
            // The AWS SDK warns on stderr that it will drop Node 20; that warning is the SDK's, not ours.
            const env = { ...inCodeEnv(c.tracing), FAKE_BEDROCK_ORIGIN: bedrock.origin, NODE_NO_WARNINGS: '1' };
            const result = await run(runtime, ['more-sdks-app.cjs'], app().dir, env);
            expect(result.stderr, `${runtime.label} stderr`).to.equal('');
            expect(result.code).to.equal(0);
            expectMoreSdksSummary(JSON.parse(result.stdout) as MoreSdksSummary);
          }
        });
      }

      if (!c.register) return;

      it('--require @infinium/otel/register (CommonJS), OTLP http/protobuf', async () => {
        for (const runtime of runtimes()) await expectRegisterRun(app(), runtime, ['--require', '@infinium/otel/register', 'register-app.cjs'], 'http/protobuf');
      });

      it('--import @infinium/otel/register (ESM, default export patched), OTLP http/json', async () => {
        for (const runtime of runtimes()) await expectRegisterRun(app(), runtime, ['--import', '@infinium/otel/register', 'register-app.mjs'], 'http/json');
      });

      it('--require @infinium/otel/register, OTLP grpc', async () => {
        for (const runtime of runtimes()) await expectRegisterRun(app(), runtime, ['--require', '@infinium/otel/register', 'register-app.cjs'], 'grpc');
      });
    });
  }

  for (const c of LANGCHAIN) describeLangChainApp(c, () => langchainApps.get(c.key)!);
  for (const c of MCP) describeMcpApp(c, () => mcpApps.get(c.key)!);
  for (const c of AGENTS) describeAgentsApp(c, () => agentsApps.get(c.key)!);
  for (const c of CLIENTS) describeClientsApp(c, () => clientsApps.get(c.key)!);

  describe('apps missing a piece: one clear line, and the app runs untraced', () => {
    it('our package alone (--legacy-peer-deps, no peer): the api comes with our instrumentation dependency; the register entry names sdk-node', async () => {
      // @opentelemetry/instrumentation 0.2xx depends on api-logs, which depends (not peers) on the api: so the
      // api is always there, one copy, and the missing piece is the SDK.
      expect(installedVersion(extra.peerless!, '@opentelemetry/api')).to.match(/^1\.\d+\./);
      expect(copiesOf(extra.peerless!, '@opentelemetry/api')).to.have.length(1);
      const result = await run(NODE20, ['--require', '@infinium/otel/register', 'register-app.cjs'], extra.peerless!.dir, llmEnv());
      // The app itself fails only because this bare app has no openai either; the register entry did not crash it.
      expect(result.stderr.split('\n')[0]).to.equal(
        '@infinium/otel/register: tracing is off: the app has no @opentelemetry/sdk-node. Install it: npm install @opentelemetry/sdk-node',
      );
      const plain = await run(NODE20, ['--require', '@infinium/otel/register', '-e', 'console.log("app ran")'], extra.peerless!.dir);
      expect(plain.stdout).to.equal('app ran\n');
      expect(plain.code).to.equal(0);
      expect(plain.stderr.trim().split('\n')).to.have.length(1);
    });

    it('no @opentelemetry/sdk-node: the register entry names it, and the app runs', async () => {
      const result = await run(NODE20, ['--require', '@infinium/otel/register', '-e', 'console.log("app ran")'], extra.noSdk!.dir);
      expect(result.stdout).to.equal('app ran\n');
      expect(result.code).to.equal(0);
      expect(result.stderr.trim().split('\n')).to.deep.equal([
        '@infinium/otel/register: tracing is off: the app has no @opentelemetry/sdk-node. Install it: npm install @opentelemetry/sdk-node',
      ]);
    });
  });

  async function expectRegisterRun(app: LineApp, runtime: Runtime, args: string[], protocol: 'http/protobuf' | 'http/json' | 'grpc'): Promise<void> {
    const http: OtlpReceiver | undefined = protocol === 'grpc' ? undefined : await startOtlpReceiver();
    const grpc = protocol === 'grpc' ? await new OtlpGrpcReceiver().start() : undefined;
    try {
      const result = await run(runtime, args, app.dir, {
        ...llmEnv(),
        OTEL_SERVICE_NAME: 'lines-register',
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_ENDPOINT: http ? http.origin : grpc!.url,
      });
      const where = `${app.dir} on ${runtime.label} with ${protocol}`;
      expect(result.stderr, where).to.equal('');
      expect(result.stdout, where).to.equal(APP_OUTPUT);
      expect(result.code, where).to.equal(0);
      const spans: ReceivedSpan[] = (http ? http.spans : grpc!.spans).filter((s) => s.scope === '@infinium/otel');
      expect(spans, where).to.have.length(1);
      const a = spans[0].attributes;
      expect(spans[0].name).to.equal('chat gpt-4o-mini');
      expect(spans[0].resource['service.name']).to.equal('lines-register');
      expect([a['openinference.span.kind'], a['llm.provider'], a['llm.model_name']]).to.deep.equal(['LLM', 'openai', 'gpt-4o-mini-2024-07-18']);
      expect([a['llm.token_count.prompt'], a['llm.token_count.completion'], a['llm.token_count.total']]).to.deep.equal([19, 10, 29]);
      expect([a['infinium.service'], a['infinium.llm_call_count'], a['infinium.prompt_fetch_count']]).to.deep.equal(['lines-register', 1, 0]);
    } finally {
      await http?.stop();
      grpc?.stop();
    }
  }
});
