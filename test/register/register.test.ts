import { expect } from 'chai';
import path from 'node:path';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { chatCompletion } from '../providers/openai/fixtures';
import { OtlpReceiver, ReceivedSpan, startOtlpReceiver } from './otlp-receiver';
import { closedPort as findClosedPort, FIXTURES, runNode } from './run-node';
import { waitFor } from '../helpers/wait';

/**
 * The zero-code entry in real child processes: `node --require` / `node --import` on apps that know
 * nothing about tracing, configured only through the environment, exporting to a local OTLP receiver.
 * The children load `@infinium/otel/register` by package name, so `dist/` must be built (`npm test` does).
 */
const CJS_APP = path.join(FIXTURES, 'chat-app.cjs');
const ESM_APP = path.join(FIXTURES, 'chat-app.mjs');
const LONG_RUNNING_APP = path.join(FIXTURES, 'long-running-app.cjs');
const OWN_SDK_APP = path.join(FIXTURES, 'own-sdk-app.cjs');
const APP_OUTPUT = 'answer: Hello there!\n';
/**
 * The export budget of the children whose spans a test expects: a busy machine can need more than the
 * 2 s default to start an exporter and deliver. The budget only caps the wait; a quick export ends it
 * at once. How long exits take is measured in bench/exit-timing.ts, not asserted here.
 */
const DELIVERY_BUDGET_MS = '20000';

describe('@infinium/otel/register (child processes)', function () {
  // Child processes start, load the SDKs and exit on their own time; a busy machine slows all of it.
  this.timeout(60_000);
  let llm: FakeLlmServer;
  let receiver: OtlpReceiver;

  before(async () => {
    llm = await startFakeLlmServer();
    llm.reply({ json: chatCompletion() });
  });
  after(() => llm.stop());
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(() => receiver.stop());

  function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
    return { FAKE_LLM_ORIGIN: llm.origin, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin, INFINIUM_SHUTDOWN_TIMEOUT_MS: DELIVERY_BUDGET_MS, ...extra };
  }

  function llmSpansOf(spans: ReceivedSpan[]): ReceivedSpan[] {
    return spans.filter((s) => s.scope === '@infinium/otel');
  }

  function expectChatSpan(span: ReceivedSpan): void {
    expect(span.name).to.equal('chat gpt-4o-mini');
    expect(span.kind).to.equal(3); // CLIENT
    expect(span.parentSpanId).to.equal(undefined);
    const a = span.attributes;
    expect(a['openinference.span.kind']).to.equal('LLM');
    expect(a['llm.provider']).to.equal('openai');
    expect(a['llm.model_name']).to.equal('gpt-4o-mini-2024-07-18');
    expect(a['llm.token_count.prompt']).to.equal(19);
    expect(a['llm.token_count.completion']).to.equal(10);
    expect(a['llm.token_count.total']).to.equal(29);
    expect(a['llm.input_messages.0.message.content']).to.equal('Say hi');
    expect(a['llm.output_messages.0.message.content']).to.equal('Hello there!');
    // The LLM span is its own trace's root here, so it also carries the roll-up.
    expect(a['infinium.llm_call_count']).to.equal(1);
    expect(a['infinium.prompt_fetch_count']).to.equal(0);
  }

  it('--require on a CommonJS app: http/protobuf, headers, service name, resource attributes, exit code kept', async () => {
    const run = runNode(['--require', '@infinium/otel/register', CJS_APP], baseEnv({
      OTEL_SERVICE_NAME: 'register-cjs',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=test,team=llm',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=secret-123',
      INFINIUM_SERVICE_NAME: 'support-agent',
      APP_EXIT_CODE: '3',
    }));
    const result = await run.exited;
    expect(result.stdout).to.equal(APP_OUTPUT);
    expect(result.stderr).to.equal('');
    expect(result.code).to.equal(3);
    // The app never called shutdown: the spans were flushed on beforeExit.
    expect(receiver.requests).to.have.length(1);
    const request = receiver.requests[0];
    expect(request.contentType).to.equal('application/x-protobuf');
    expect(request.headers['x-api-key']).to.equal('secret-123');
    const spans = llmSpansOf(receiver.spans);
    expect(spans).to.have.length(1);
    expectChatSpan(spans[0]);
    expect(spans[0].attributes['infinium.service']).to.equal('support-agent');
    expect(spans[0].resource['service.name']).to.equal('register-cjs');
    expect(spans[0].resource['deployment.environment']).to.equal('test');
    expect(spans[0].resource['team']).to.equal('llm');
  });

  it('--import on an ESM app: the default export is patched; http/json to the traces endpoint', async () => {
    const run = runNode(['--import', '@infinium/otel/register', ESM_APP], {
      FAKE_LLM_ORIGIN: llm.origin,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.origin}/v1/traces`,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'register-esm',
      INFINIUM_SHUTDOWN_TIMEOUT_MS: DELIVERY_BUDGET_MS,
    });
    const result = await run.exited;
    expect(result.stdout).to.equal(APP_OUTPUT);
    expect(result.stderr).to.equal('');
    expect(result.code).to.equal(0);
    expect(receiver.requests.map((r) => r.contentType)).to.deep.equal(['application/json']);
    const spans = llmSpansOf(receiver.spans);
    expect(spans).to.have.length(1);
    expectChatSpan(spans[0]);
    expect(spans[0].attributes['infinium.service']).to.equal('register-esm');
    expect(spans[0].resource['service.name']).to.equal('register-esm');
  });

  it('OTEL_SDK_DISABLED=true: nothing is exported, nothing is logged, the app runs untouched', async () => {
    const run = runNode(['--require', '@infinium/otel/register', CJS_APP], baseEnv({ OTEL_SDK_DISABLED: 'true' }));
    const result = await run.exited;
    expect(result.stdout).to.equal(APP_OUTPUT);
    expect(result.stderr).to.equal('');
    expect(result.code).to.equal(0);
    expect(receiver.requests).to.deep.equal([]);
  });

  it('a bad value gets one warning on stderr and its default; the app is not disturbed', async () => {
    const run = runNode(['--require', '@infinium/otel/register', CJS_APP], baseEnv({
      INFINIUM_CAPTURE_CONTENT: 'maybe',
      OTEL_SERVICE_NAME: 'bad-env',
    }));
    const result = await run.exited;
    expect(result.stdout).to.equal(APP_OUTPUT);
    expect(result.code).to.equal(0);
    expect(result.stderr.trim().split('\n')).to.deep.equal([
      '@infinium/otel: ignoring INFINIUM_CAPTURE_CONTENT="maybe"; using the default (true)',
    ]);
    const spans = llmSpansOf(receiver.spans);
    expect(spans).to.have.length(1);
    // The default (content captured) is in force.
    expectChatSpan(spans[0]);
  });

  it('INFINIUM_INSTRUMENTATIONS=xai (a name from the README) traces the OpenAI SDK, with no warning', async () => {
    const run = runNode(['--require', '@infinium/otel/register', CJS_APP], baseEnv({ INFINIUM_INSTRUMENTATIONS: 'xai' }));
    const result = await run.exited;
    expect(result.stderr).to.equal('');
    expect(result.code).to.equal(0);
    const spans = llmSpansOf(receiver.spans);
    expect(spans).to.have.length(1);
    expectChatSpan(spans[0]);
  });

  it('loaded twice (--require and --import) gives one SDK and one span per call', async () => {
    const run = runNode(
      ['--require', '@infinium/otel/register', '--import', '@infinium/otel/register', CJS_APP],
      baseEnv(),
    );
    const result = await run.exited;
    expect(result.stdout).to.equal(APP_OUTPUT);
    expect(result.code).to.equal(0);
    expect(llmSpansOf(receiver.spans)).to.have.length(1);
    expect(receiver.requests).to.have.length(1);
  });

  it('alongside a NodeSDK the app starts itself: still one LLM span per call', async () => {
    const run = runNode(['--require', '@infinium/otel/register', OWN_SDK_APP], baseEnv());
    const result = await run.exited;
    expect(result.stdout).to.equal(APP_OUTPUT);
    expect(result.code).to.equal(0);
    const spans = llmSpansOf(receiver.spans);
    expect(spans).to.have.length(1);
    expectChatSpan(spans[0]);
  });

  describe('no collector (a closed localhost port)', () => {
    let closedPort: number;
    before(async () => {
      closedPort = await findClosedPort();
    });

    it('a short script exits after its work with its own exit code and one short line naming the refusal', async () => {
      const endpoint = `http://127.0.0.1:${closedPort}`;
      const run = runNode(['--require', '@infinium/otel/register', CJS_APP], {
        FAKE_LLM_ORIGIN: llm.origin,
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        APP_EXIT_CODE: '4',
        // A budget no busy machine reaches, so the line is always the refusal's, never the budget's.
        INFINIUM_SHUTDOWN_TIMEOUT_MS: DELIVERY_BUDGET_MS,
      });
      const result = await run.exited;
      expect(result.stdout).to.equal(APP_OUTPUT);
      expect(result.code).to.equal(4);
      // Nothing listens there: the refused connection is reported once, in one line, not as the raw error.
      // That the exit then gives up at once (no waiting out the exporter's retries) is exit-hooks.test.ts's
      // "a backend that refuses connections" (fake timers); how long it takes is bench/exit-timing.ts's.
      expect(result.stderr).to.equal(
        `@infinium/otel: spans could not be exported to ${endpoint}/v1/traces: connect ECONNREFUSED 127.0.0.1:${closedPort}\n`,
      );
    });

    it('a long-running app: each failed batch is one short line, not the raw error', async () => {
      const endpoint = `http://127.0.0.1:${closedPort}`;
      const run = runNode(['--require', '@infinium/otel/register', LONG_RUNNING_APP], {
        FAKE_LLM_ORIGIN: llm.origin,
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '50',
        OTEL_EXPORTER_OTLP_TIMEOUT: '300', // the exporter's retries give up quickly
      });
      await run.waitForStdout('ready');
      await waitFor(() => run.stderr().length > 0, 'the first failed batch reported');
      run.child.kill('SIGTERM');
      const result = await run.exited;
      expect(result.signal).to.equal('SIGTERM');
      expect(result.stderr).to.equal(
        `@infinium/otel: spans could not be exported to ${endpoint}/v1/traces: connect ECONNREFUSED 127.0.0.1:${closedPort}\n`,
      );
    });

    it('a scheme-less endpoint is reported once at start; the app runs and exits at once', async () => {
      const run = runNode(['--require', '@infinium/otel/register', CJS_APP], {
        FAKE_LLM_ORIGIN: llm.origin,
        OTEL_EXPORTER_OTLP_ENDPOINT: `localhost:${closedPort}`,
      });
      const result = await run.exited;
      expect(result.stdout).to.equal(APP_OUTPUT);
      expect(result.code).to.equal(0);
      expect(result.stderr).to.equal(
        `@infinium/otel: OTEL_EXPORTER_OTLP_ENDPOINT="localhost:${closedPort}" is not an http:// or https:// URL ` +
          `(did you mean http://localhost:${closedPort}?); no traces will be sent over OTLP\n`,
      );
    });
  });

  describe('signals', () => {
    it('SIGTERM during a pending export: the spans are flushed, then the process dies by SIGTERM', async () => {
      const run = runNode(['--require', '@infinium/otel/register', LONG_RUNNING_APP], baseEnv({
        OTEL_BSP_SCHEDULE_DELAY: '60000', // the export is still pending when the signal comes
      }));
      await run.waitForStdout('ready');
      expect(receiver.requests).to.have.length(0);
      run.child.kill('SIGTERM');
      const result = await run.exited;
      expect(result.signal).to.equal('SIGTERM');
      expect(result.code).to.equal(null);
      expect(result.stdout).to.equal(`${APP_OUTPUT}ready\n`);
      const spans = llmSpansOf(receiver.spans);
      expect(spans).to.have.length(1);
      expectChatSpan(spans[0]);
    });

    it('SIGTERM while the collector hangs: the process still ends by SIGTERM, cut off at the shutdown bound', async () => {
      receiver.answer = false;
      const budget = 8000; // long enough for the export to reach the receiver on a busy machine
      const run = runNode(['--require', '@infinium/otel/register', LONG_RUNNING_APP], baseEnv({
        OTEL_BSP_SCHEDULE_DELAY: '60000',
        INFINIUM_SHUTDOWN_TIMEOUT_MS: String(budget),
        OTEL_EXPORTER_OTLP_TIMEOUT: '600000', // left to itself, the exporter would wait ten minutes
      }));
      await run.waitForStdout('ready');
      const killedAt = Date.now();
      run.child.kill('SIGTERM');
      const result = await run.exited;
      const afterKill = Date.now() - killedAt;
      expect(result.signal).to.equal('SIGTERM');
      // Not before the bound (the export was still pending), and long before the exporter's own timeout:
      // the bound cut it off. The slack above the bound is for a busy machine, not a measurement.
      expect(afterKill).to.be.at.least(budget - 50);
      expect(afterKill).to.be.below(budget + 40_000);
      // The export was attempted (the receiver read it) but never answered.
      expect(llmSpansOf(receiver.spans)).to.have.length(1);
    });

    it("an app's own SIGTERM handler decides the exit: we flush and never exit on its behalf", async () => {
      const run = runNode(['--require', '@infinium/otel/register', LONG_RUNNING_APP], baseEnv({
        OTEL_BSP_SCHEDULE_DELAY: '60000',
        APP_SIGTERM_HANDLER: '1',
        APP_DRAIN_UNTIL_SIGUSR2: '1', // the app drains until the test says so, however long the flush takes
      }));
      await run.waitForStdout('ready');
      run.child.kill('SIGTERM');
      await run.waitForStdout('app: draining');
      await receiver.waitForSpans(1, 30_000);
      // Flushed, and the process is still the app's: nothing of ours exited or killed it.
      expect(run.child.exitCode).to.equal(null);
      expect(run.child.signalCode).to.equal(null);
      run.child.kill('SIGUSR2');
      const result = await run.exited;
      expect(result.signal).to.equal(null);
      expect(result.code).to.equal(7);
      expect(result.stdout).to.equal(`${APP_OUTPUT}ready\napp: draining\n`);
      expect(llmSpansOf(receiver.spans)).to.have.length(1);
    });
  });
});
