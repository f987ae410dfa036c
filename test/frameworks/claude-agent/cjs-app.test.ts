import { expect } from 'chai';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { assistantText, FakeCli, fakeCli, init, MODEL, result, toolResult, toolUse } from './helpers/cli-script';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..', '..');
const APP = path.join(__dirname, 'fixtures', 'cjs-app.cjs');

interface ChildSpan {
  name: string;
  spanId: string;
  traceId: string;
  parentSpanId?: string;
  status: number;
  attributes: Record<string, unknown>;
}
interface ChildReport {
  messages: string[];
  traceparent?: string;
  stillOpen: string[];
  spans: ChildSpan[];
}

/**
 * A CommonJS app that `import()`s the ESM-only SDK, in a child process (fixtures/cjs-app.cjs): its own
 * NodeSDK with our instrumentation and processor, no setting of ours. The instrumentation registers the ESM
 * loader hook for a CommonJS entry when the SDK is installed, so the import is patched.
 */
describe('Claude Agent SDK in a CommonJS app (child process)', function () {
  this.timeout(90_000);
  let cli: FakeCli;
  beforeEach(() => {
    cli = fakeCli([
      { emit: init() },
      { emit: toolUse('msg_1', 'toolu_01', 'Bash', { command: 'echo hi' }) },
      { emit: toolResult('toolu_01', 'hi') },
      { emit: assistantText('msg_2', 'It said hi.') },
      { emit: result({ text: 'It said hi.', models: { [MODEL]: { input: 250, output: 27, costUsd: 0.00154 } } }) },
    ]);
  });
  afterEach(() => cli.cleanup());

  async function runApp(mode: string): Promise<ChildReport> {
    // No NODE_OPTIONS from the parent: the child loads tsx itself, and nothing else.
    const env = { ...cli.options.env, NODE_OPTIONS: '' };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', APP, mode], { cwd: ROOT, env, timeout: 80_000 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildReport;
  }

  function links(spans: ChildSpan[]): string[] {
    return spans.map((s) => `${s.name} ${s.attributes['openinference.span.kind'] ?? '-'} <- ${spans.find((p) => p.spanId === s.parentSpanId)?.name ?? 'root'}`);
  }

  it('traced with no settings: app → AGENT → TOOL, the CLI started inside the AGENT span, the reported cost rolled up to the root', async () => {
    const report = await runApp('plain');
    expect(report.messages).to.deep.equal(['system', 'assistant', 'user', 'assistant', 'result']);
    expect(report.stillOpen).to.deep.equal([]);
    expect(links(report.spans)).to.deep.equal(['Bash TOOL <- claude-code', 'claude-code AGENT <- app', 'app - <- root']);
    const agent = report.spans.find((s) => s.name === 'claude-code')!;
    expect(report.traceparent).to.equal(`00-${agent.traceId}-${agent.spanId}-01`);
    expect(agent.attributes).to.deep.include({
      'llm.token_count.prompt': 250,
      'llm.token_count.completion': 27,
      'llm.cost.total': 0.00154,
      'infinium.cost.source': 'reported',
    });
    // The processor adds the cost the CLI reported to the trace's roll-up on its root.
    expect(report.spans.find((s) => s.name === 'app')!.attributes['infinium.cost_usd']).to.equal(0.00154);
  });

  it('instrumentation.disable(): the next query() is the SDK\'s own again (no span of ours), the one before it stays traced', async () => {
    const report = await runApp('disabled');
    expect(report.messages).to.deep.equal([...Array(2)].flatMap(() => ['system', 'assistant', 'user', 'assistant', 'result']));
    expect(report.stillOpen).to.deep.equal([]);
    expect(links(report.spans)).to.deep.equal(['Bash TOOL <- claude-code', 'claude-code AGENT <- app', 'app - <- root', 'app after disable - <- root']);
    // The CLI started by the second query() gets the app's span as its parent, as without us.
    const after = report.spans.at(-1)!;
    expect(report.traceparent).to.equal(`00-${after.traceId}-${after.spanId}-01`);
  });

  it('the control: with INFINIUM_ESM_HOOK=false there is no loader hook, and the import is not traced', async () => {
    const report = await runApp('unhooked');
    expect(report.messages).to.deep.equal(['system', 'assistant', 'user', 'assistant', 'result']);
    expect(links(report.spans)).to.deep.equal(['app - <- root']);
    // The SDK still hands the CLI the app's active context.
    const app = report.spans[0];
    expect(report.traceparent).to.equal(`00-${app.traceId}-${app.spanId}-01`);
  });
});
