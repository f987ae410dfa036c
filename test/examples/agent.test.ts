import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * `npm start` runs examples/agent/main.ts after a build. This runs it the same way, as a child process
 * (it imports `@infinium/otel` by name, so dist/ must be built), and checks the tree it prints.
 */
const REPO_ROOT = path.resolve(__dirname, '..', '..');

function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/agent/main.ts'], {
      cwd: REPO_ROOT,
      // INFINIUM_VIEWER=0: a viewer running on this machine must not add its line to the output.
      env: { PATH: process.env.PATH ?? '', INFINIUM_VIEWER: '0' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Latencies vary from run to run; everything else in the tree is fixed. */
function withoutLatency(line: string): string {
  return line.replace(/ \d+ms\b| \d+\.\d\ds\b/g, ' <t>').replace(/infinium\.duration_s=[\d.]+/, 'infinium.duration_s=<s>');
}

describe('examples/agent (npm start)', function () {
  this.timeout(60_000);

  it('runs the agent against its own fake server and prints the trace tree', async () => {
    const { code, stdout, stderr } = await runDemo();
    expect(stderr).to.equal('');
    expect(code).to.equal(0);
    const lines = stdout.split('\n');
    const treeStart = lines.findIndex((l) => l.startsWith('trace '));
    expect(lines.slice(0, treeStart)).to.deep.equal([
      'intent: order_status',
      'tool lookup_order: {"orderId":"A-1042","status":"shipped","eta":"tomorrow"}',
      'tag: order_status',
      'review step skipped: NotFoundError',
    ]);
    expect(lines[treeStart]).to.match(/^trace [0-9a-f]{32} \(agent-demo\)$/);
    expect(lines.slice(treeStart + 1).map(withoutLatency)).to.deep.equal([
      'support-agent [AGENT] <t>',
      // List prices per million (input / output): gpt-4o-mini 0.15 / 0.60, gemini-2.5-flash 0.30 / 2.50,
      // claude-sonnet-4-6 3 / 15. gpt-4o-mini: (31 × 0.15 + 3 × 0.6) / 1e6 = 0.00000645 (twice);
      // gemini: (40 × 0.3 + 8 × 2.5) / 1e6 = 0.000032; claude: (52 × 3 + 9 × 15) / 1e6 = 0.000291;
      // sum 0.0003359. The 404 reported no tokens: neither priced nor unpriced.
      '│  infinium.service=agent-demo infinium.duration_s=<s> infinium.llm_call_count=5 infinium.prompt_fetch_count=1 infinium.cost_usd=0.0003359 infinium.unpriced_llm_call_count=0',
      '│  • infinium.prompt_fetch prompt.id=support-reply prompt.name=support prompt.version=3',
      '├─ chat gpt-4o-mini [LLM] openai/gpt-4o-mini-2024-07-18 tokens=31+3=34 cost=$0.00000645 <t>',
      '├─ generate_content gemini-2.5-flash [LLM] google/gemini-2.5-flash tokens=40+8=48 cost=$0.000032 <t>',
      '├─ lookup_order [TOOL] <t>',
      '├─ chat claude-sonnet-4-6 [LLM] anthropic/claude-sonnet-4-6 tokens=52+9=61 cost=$0.000291 <t>',
      '│  └─ anthropic.messages.create anthropic/claude-sonnet-4-6 tokens=52+9=61 <t>',
      '├─ tag-reply [AGENT] <t>',
      '│  └─ step 1 [CHAIN] <t>',
      '│     └─ chat gpt-4o-mini [LLM] openai/gpt-4o-mini-2024-07-18 tokens=31+3=34 cost=$0.00000645 <t>',
      '└─ chat gpt-5-preview [LLM] openai/gpt-5-preview <t> ERROR NotFoundError: 404 The model `gpt-5-preview` does not exist',
      'answer: Your order A-1042 ships tomorrow.',
      '',
      '',
    ]);
  });
});
