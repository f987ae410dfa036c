import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { TraceConfigOptions } from '../../../lib/masking/trace-config';
import {
  assistantText, FakeCli, fakeCli, init, MODEL, result, Step, subagentPrompt, taskNotification, taskStarted, toolResult, toolUse,
} from './helpers/cli-script';
import { drain, spanNamed, tree, useClaudeHarness } from './helpers/harness';

/**
 * Masking on the Claude Agent SDK's spans: capture-off and OPENINFERENCE_HIDE_* (options or env) remove every
 * text the run carries (the prompt, tool arguments and results, a failed tool's text in its exception, the
 * subagent's prompt and report, the answer); the kinds, names and token counts stay.
 */
describe('Claude Agent SDK masking (fake CLI)', function () {
  this.timeout(30_000);
  const harness = useClaudeHarness();
  let cli: FakeCli | undefined;
  afterEach(() => cli?.cleanup());

  const INPUTS = ['PROMPT-TEXT', 'INPUT-ARG', 'SUBAGENT-PROMPT'];
  const OUTPUTS = ['TOOL-OUTPUT', 'TOOL-ERROR-OUTPUT', 'SUBAGENT-SUMMARY', 'HANDBACK-OUTPUT', 'FINAL-ANSWER'];

  const STEPS: Step[] = [
    { emit: init() },
    { emit: toolUse('msg_1', 'toolu_01', 'Bash', { command: 'echo INPUT-ARG' }) },
    { emit: toolResult('toolu_01', 'TOOL-OUTPUT') },
    { emit: toolUse('msg_2', 'toolu_02', 'Bash', { command: 'false INPUT-ARG' }) },
    { emit: toolResult('toolu_02', 'TOOL-ERROR-OUTPUT', true) },
    { emit: toolUse('msg_3', 'toolu_A1', 'Agent', { description: 'Greeter', prompt: 'SUBAGENT-PROMPT', subagent_type: 'general-purpose', run_in_background: false }) },
    { emit: taskStarted('toolu_A1', false, 'SUBAGENT-PROMPT') },
    { emit: subagentPrompt('toolu_A1', 'SUBAGENT-PROMPT') },
    { emit: taskNotification('toolu_A1', 'completed', 'SUBAGENT-SUMMARY') },
    { emit: toolResult('toolu_A1', [{ type: 'text', text: 'HANDBACK-OUTPUT' }]) },
    { emit: assistantText('msg_4', 'FINAL-ANSWER') },
    { emit: result({ text: 'FINAL-ANSWER', models: { [MODEL]: { input: 400, output: 30, costUsd: 0.002 } }, numTurns: 4 }) },
  ];
  const TREE = [
    'Bash TOOL <- claude-code',
    'Bash TOOL <- claude-code',
    'general-purpose AGENT <- Agent',
    'Agent TOOL <- claude-code',
    'claude-code AGENT <- app',
    'app - <- root',
  ];

  async function run(options: TraceConfigOptions, env: Record<string, string> = {}): Promise<ReadableSpan[]> {
    harness.configure(options, env);
    cli = fakeCli(STEPS);
    const { query } = harness.sdk();
    await harness.tracing.inParent('app', () => drain(query({ prompt: 'PROMPT-TEXT', options: cli!.options })));
    return harness.tracing.spans();
  }

  /** The markers found anywhere a span exports: name, attributes, events (exception messages), status. */
  function textsIn(spans: ReadableSpan[], markers: string[]): string[] {
    const exported = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events.map((e) => [e.name, e.attributes]), s.status]));
    return markers.filter((m) => exported.includes(m));
  }

  /** What masking never removes: the tree, the names, the tool names, the tokens and the cost. */
  function expectStructureKept(spans: ReadableSpan[]): void {
    expect(tree(spans)).to.deep.equal(TREE);
    const agent = spanNamed(spans, 'claude-code');
    expect(agent.attributes).to.deep.include({
      'openinference.span.kind': 'AGENT',
      'agent.name': 'claude-code',
      'llm.token_count.prompt': 400,
      'llm.token_count.completion': 30,
      'llm.token_count.total': 430,
      'llm.cost.total': 0.002,
    });
    expect(spanNamed(spans, 'general-purpose').attributes['agent.name']).to.equal('general-purpose');
    expect(spans.filter((s) => s.name === 'Bash').map((s) => s.attributes['tool.name'])).to.deep.equal(['Bash', 'Bash']);
    // The failed tool is still a failure, with its exception event.
    const failed = spans.filter((s) => s.name === 'Bash')[1];
    expect(failed.status.code).to.equal(2);
    expect(failed.events.map((e) => e.name)).to.deep.equal(['exception']);
  }

  it('the control: with default settings every text is there', async () => {
    const spans = await run({});
    expectStructureKept(spans);
    expect(textsIn(spans, [...INPUTS, ...OUTPUTS])).to.deep.equal([...INPUTS, ...OUTPUTS]);
  });

  it('captureContent: false: no text at all', async () => {
    const spans = await run({ captureContent: false });
    expectStructureKept(spans);
    expect(textsIn(spans, [...INPUTS, ...OUTPUTS])).to.deep.equal([]);
  });

  it('hideInputs: no prompt, tool arguments or subagent prompt; the outputs stay', async () => {
    const spans = await run({ hideInputs: true });
    expectStructureKept(spans);
    expect(textsIn(spans, INPUTS)).to.deep.equal([]);
    expect(textsIn(spans, OUTPUTS)).to.deep.equal(OUTPUTS);
  });

  it('hideOutputs: no tool result, failed tool text, subagent report or answer; the inputs stay', async () => {
    const spans = await run({ hideOutputs: true });
    expectStructureKept(spans);
    expect(textsIn(spans, OUTPUTS)).to.deep.equal([]);
    expect(textsIn(spans, INPUTS)).to.deep.equal(INPUTS);
  });

  it('OPENINFERENCE_HIDE_INPUTS and OPENINFERENCE_HIDE_OUTPUTS from the env: no text at all', async () => {
    const spans = await run({}, { OPENINFERENCE_HIDE_INPUTS: 'true', OPENINFERENCE_HIDE_OUTPUTS: 'true' });
    expectStructureKept(spans);
    expect(textsIn(spans, [...INPUTS, ...OUTPUTS])).to.deep.equal([]);
  });
});
