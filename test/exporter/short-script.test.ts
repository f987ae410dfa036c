import { expect } from 'chai';
import path from 'node:path';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { chatCompletion } from '../providers/openai/fixtures';
import { runNode } from '../register/run-node';

/**
 * Short scripts that end with `await sdk.shutdown()` right after their work, in child processes (the
 * built package, by its name). NodeSDK's resource detection is asynchronous, so the SimpleSpanProcessor
 * hands every span to the tree exporter only after its shutdown: the trees must be printed all the same.
 */
const FIXTURES = path.join(__dirname, 'fixtures');

/** The lines of a printed tree with the trace id and latencies taken out (they vary from run to run). */
function shape(stdout: string): string[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => line.replace(/^trace [0-9a-f]{32}/, 'trace <id>').replace(/ \d+(\.\d+)?m?s\b/g, ' <t>').replace(/duration_s=[\d.e-]+/, 'duration_s=<s>'));
}

describe('the tree view in short scripts (child processes)', function () {
  this.timeout(60_000);
  let llm: FakeLlmServer;
  before(async () => {
    llm = await startFakeLlmServer();
    llm.reply({ json: chatCompletion() });
  });
  after(() => llm.stop());

  it('CommonJS: trace() then await sdk.shutdown() prints the trace', async () => {
    const result = await runNode([path.join(FIXTURES, 'short-script.cjs')], { OTEL_SERVICE_NAME: 'short-cjs' }).exited;
    expect(result.stderr).to.equal('');
    expect(shape(result.stdout)).to.deep.equal([
      'trace <id> (short-cjs)',
      'work [CHAIN] <t>',
      // No LLM call: nothing spent, nothing unpriced.
      '   infinium.service=short-cjs infinium.duration_s=<s> infinium.llm_call_count=0 infinium.prompt_fetch_count=0 infinium.cost_usd=0 infinium.unpriced_llm_call_count=0',
    ]);
  });

  it('ESM, module patched by hand: the LLM span is printed under its trace', async () => {
    const result = await runNode([path.join(FIXTURES, 'short-script.mjs')], {
      OTEL_SERVICE_NAME: 'short-esm',
      FAKE_LLM_ORIGIN: llm.origin,
    }).exited;
    expect(result.stderr).to.equal('');
    expect(shape(result.stdout)).to.deep.equal([
      'answer: Hello there!',
      'trace <id> (short-esm)',
      'work [CHAIN] <t>',
      // chatCompletion at gpt-4o-mini's list prices (0.15 / 0.075 cached / 0.60 per million): 19 prompt of which
      // 4 cached, 10 completion → (15 × 0.15 + 4 × 0.075 + 10 × 0.6) / 1e6 = 0.00000855.
      '│  infinium.service=short-esm infinium.duration_s=<s> infinium.llm_call_count=1 infinium.prompt_fetch_count=0 infinium.cost_usd=0.00000855 infinium.unpriced_llm_call_count=0',
      '└─ chat gpt-4o-mini [LLM] openai/gpt-4o-mini-2024-07-18 tokens=19+10=29 cost=$0.00000855 <t>',
    ]);
  });
});
