import { expect } from 'chai';
import path from 'node:path';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { OtlpReceiver, ReceivedSpan, startOtlpReceiver } from '../../register/otlp-receiver';
import { runNode } from '../../register/run-node';
import { serveToolRun } from './helpers';

/**
 * ai 7 in real child processes, with no code of ours in the app: `--require` on CommonJS, `--import` on
 * ESM, and an app that starts its own NodeSDK. The children load `@infinium/otel` by package name, so
 * `dist/` must be built (`npm test` does).
 */
const FIXTURES = path.join(__dirname, 'fixtures');
const EXPECTED_TREE = [
  'ai.generateText [AGENT]',
  '  step 1 [CHAIN]',
  '    chat gpt-4o-mini [LLM]',
  '    execute_tool weather [TOOL]',
  '  step 2 [CHAIN]',
  '    chat gpt-4o-mini [LLM]',
].join('\n');

/** The received spans as an indented tree, children in the order they arrived (they end in start order here). */
function receivedTree(spans: ReceivedSpan[]): string {
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const span of spans.filter((s) => s.parentSpanId === parent)) {
      lines.push(`${'  '.repeat(depth)}${span.name} [${String(span.attributes['openinference.span.kind'])}]`);
      walk(span.spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines.join('\n');
}

describe('ai 7 zero-code (child processes)', function () {
  this.timeout(30_000);
  let llm: FakeLlmServer;
  let receiver: OtlpReceiver;

  before(async () => {
    llm = await startFakeLlmServer();
  });
  after(() => llm.stop());
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
    serveToolRun(llm);
  });
  afterEach(() => receiver.stop());

  async function run(args: string[]): Promise<ReceivedSpan[]> {
    const result = await runNode(args, { FAKE_LLM_ORIGIN: llm.origin, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin }).exited;
    expect(result.stdout).to.equal('answer: Hello there!\n');
    expect(result.code).to.equal(0);
    return receiver.spans.filter((s) => s.scope === '@infinium/otel');
  }

  function expectRun(spans: ReceivedSpan[]): void {
    expect(receivedTree(spans)).to.equal(EXPECTED_TREE);
    const root = spans.find((s) => s.name === 'ai.generateText')!;
    expect(root.attributes['infinium.llm_call_count']).to.equal(2);
    const chat = spans.find((s) => s.name === 'chat gpt-4o-mini' && s.attributes['llm.finish_reason'] === 'stop')!;
    expect(chat.attributes['llm.token_count.prompt']).to.equal(19);
  }

  it('--require @infinium/otel/register on a CommonJS app', async () => {
    expectRun(await run(['--require', '@infinium/otel/register', path.join(FIXTURES, 'ai-app.cjs')]));
  });

  it('--import @infinium/otel/register on an ESM app', async () => {
    expectRun(await run(['--import', '@infinium/otel/register', path.join(FIXTURES, 'ai-app.mjs')]));
  });

  it("inside the app's own NodeSDK (its context manager registered after our instrumentation)", async () => {
    expectRun(await run([path.join(FIXTURES, 'ai-own-sdk-app.cjs')]));
  });
});
