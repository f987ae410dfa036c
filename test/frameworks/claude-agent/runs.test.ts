import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  assistantText, FakeCli, fakeCli, init, MODEL, result, SESSION_ID, Step, subagentPrompt, taskNotification, taskStarted, toolResult, toolUse,
} from './helpers/cli-script';
import { drain, spanNamed, tree, useClaudeHarness } from './helpers/harness';

/**
 * query() against a fake CLI (helpers/fake-cli.mjs) that writes recorded message shapes: the spans the
 * message stream makes, exactly. The SDK is real; only the CLI process is a stand-in.
 */
describe('Claude Agent SDK runs (fake CLI)', function () {
  this.timeout(30_000);
  const harness = useClaudeHarness();
  let cli: FakeCli | undefined;
  afterEach(() => cli?.cleanup());

  async function run(steps: Step[], prompt = 'Say hi with bash') {
    cli = fakeCli(steps);
    const { query } = harness.sdk();
    const messages = await harness.tracing.inParent('app', () => drain(query({ prompt, options: cli!.options })));
    return { messages, spans: await harness.tracing.spans() };
  }

  const opus = (input: number, output: number, costUsd: number) => ({ [MODEL]: { input, output, costUsd } });

  it('the CLI is started inside the AGENT span: its TRACEPARENT names that span', async () => {
    const { messages, spans } = await run([{ emit: init() }, { emit: assistantText('msg_1', 'Hi.') }, { emit: result({ text: 'Hi.', models: opus(10, 2, 0.0001), numTurns: 1 }) }]);
    const agent = spanNamed(spans, 'claude-code');
    const { traceId, spanId } = agent.spanContext();
    expect(messages[0].fake_cli_traceparent).to.equal(`00-${traceId}-${spanId}-01`);
    expect(tree(spans)).to.deep.equal(['claude-code AGENT <- app', 'app - <- root']);
    expect(agent.attributes).to.deep.include({ 'session.id': SESSION_ID, 'llm.model_name': MODEL, 'output.value': 'Hi.', 'input.value': 'Say hi with bash' });
  });

  it('a tool_result with is_error: the TOOL span is ERROR with one exception event; the run goes on and ends OK', async () => {
    const { spans } = await run([
      { emit: init() },
      { emit: toolUse('msg_1', 'toolu_01', 'Bash', { command: 'exit 3' }) },
      { emit: toolResult('toolu_01', 'Exit code 3', true) },
      { emit: assistantText('msg_2', 'It failed.') },
      { emit: result({ text: 'It failed.', models: opus(250, 27, 0.00154) }) },
    ]);
    expect(tree(spans)).to.deep.equal(['Bash TOOL <- claude-code', 'claude-code AGENT <- app', 'app - <- root']);
    const tool = spanNamed(spans, 'Bash');
    expect(tool.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'Exit code 3' });
    expect(tool.events.map((e) => [e.name, e.attributes?.['exception.message']])).to.deep.equal([['exception', 'Exit code 3']]);
    expect(tool.attributes).to.deep.include({ 'tool.name': 'Bash', 'input.value': '{"command":"exit 3"}', 'output.value': 'Exit code 3' });
    expect(spanNamed(spans, 'claude-code').status.code).to.equal(SpanStatusCode.OK);
  });

  it('a foreground subagent (Agent tool): its messages nest under a child AGENT inside the Agent TOOL span', async () => {
    const agentInput = { description: 'Greeter', prompt: 'Run echo hi please', subagent_type: 'general-purpose', run_in_background: false };
    const { spans } = await run([
      { emit: init() },
      { emit: toolUse('msg_1', 'toolu_A1', 'Agent', agentInput) },
      { emit: taskStarted('toolu_A1', false, 'Run echo hi please') },
      { emit: subagentPrompt('toolu_A1', 'Run echo hi please') },
      { emit: toolUse('msg_2', 'toolu_01', 'Bash', { command: 'echo hi' }, 'toolu_A1') },
      { emit: toolResult('toolu_01', 'hi', false, 'toolu_A1') },
      { emit: taskNotification('toolu_A1', 'completed', 'It printed hi.') },
      { emit: toolResult('toolu_A1', [{ type: 'text', text: '[Subagent hand-back] It printed hi.' }]) },
      { emit: assistantText('msg_3', 'The subagent said hi.') },
      { emit: result({ text: 'The subagent said hi.', models: { [MODEL]: { input: 500, output: 54, costUsd: 0.00308 }, 'claude-haiku-4-5': { input: 40, output: 4, costUsd: 0.00006 } } }) },
    ]);
    expect(tree(spans)).to.deep.equal([
      'Bash TOOL <- general-purpose',
      'general-purpose AGENT <- Agent',
      'Agent TOOL <- claude-code',
      'claude-code AGENT <- app',
      'app - <- root',
    ]);
    const subagent = spanNamed(spans, 'general-purpose');
    expect(subagent.attributes).to.deep.include({ 'agent.name': 'general-purpose', 'input.value': 'Run echo hi please', 'output.value': 'It printed hi.' });
    expect(subagent.status.code).to.equal(SpanStatusCode.OK);
    expect(spanNamed(spans, 'Agent').attributes).to.deep.include({ 'tool.name': 'Agent', 'input.value': JSON.stringify(agentInput), 'output.value': '[Subagent hand-back] It printed hi.' });
    const agent = spanNamed(spans, 'claude-code');
    // Both models' calls, as the result reports them (the subagent's included).
    expect(agent.attributes).to.deep.include({
      'llm.token_count.prompt': 540,
      'llm.token_count.completion': 58,
      'llm.token_count.total': 598,
      'llm.cost.total': 0.00314,
      'infinium.cost.source': 'reported',
    });
    expect(JSON.parse(String(agent.attributes['infinium.model_usage'])).map((m: { model: string }) => m.model)).to.deep.equal([MODEL, 'claude-haiku-4-5']);
  });

  /** A background subagent (the CLI's default for the Agent tool), in the order CLI 2.1.337 writes it: the main turn's result first, then the subagent's messages, its task notification, then a second turn. */
  function backgroundSubagent(status: string, summary: string): Step[] {
    return [
      { emit: init() },
      { emit: toolUse('msg_1', 'toolu_A1', 'Agent', { description: 'Greeter', prompt: 'Run echo hi please', subagent_type: 'general-purpose' }) },
      { emit: taskStarted('toolu_A1', true, 'Run echo hi please') },
      { emit: toolResult('toolu_A1', [{ type: 'text', text: 'Async agent launched successfully.' }]) },
      { emit: assistantText('msg_2', 'Started it.') },
      { emit: result({ text: 'Started it.', models: opus(350, 47, 0.00234) }) },
      { emit: toolUse('msg_3', 'toolu_01', 'Bash', { command: 'echo hi' }, 'toolu_A1') },
      { emit: toolResult('toolu_01', 'hi', false, 'toolu_A1') },
      { emit: taskNotification('toolu_A1', status, summary) },
      { emit: init() },
      { emit: assistantText('msg_4', 'It said hi.') },
      { emit: result({ text: 'It said hi.', models: opus(650, 61, 0.00382), numTurns: 1 }) },
    ];
  }

  // The Agent tool returns at once ("launched"); its subagent runs on, past the first result, until its notification.
  const BACKGROUND_TREE = [
    'Agent TOOL <- claude-code',
    'Bash TOOL <- general-purpose',
    'general-purpose AGENT <- Agent',
    'claude-code AGENT <- app',
    'app - <- root',
  ];

  it('a background subagent (the CLI default): the run spans both results, the subagent open until its notification, tokens and cost from the last result', async () => {
    const { messages, spans } = await run(backgroundSubagent('completed', 'It said hi.'));
    expect(messages.filter((m) => m.type === 'result')).to.have.length(2);
    expect(tree(spans)).to.deep.equal(BACKGROUND_TREE);
    const subagent = spanNamed(spans, 'general-purpose');
    expect(subagent.status.code).to.equal(SpanStatusCode.OK);
    expect(subagent.attributes).to.deep.include({ 'input.value': 'Run echo hi please', 'output.value': 'It said hi.' });
    expect(spanNamed(spans, 'Agent').attributes['output.value']).to.equal('Async agent launched successfully.');
    // total_cost_usd and modelUsage are the session's running totals: the last result's are the run's.
    expect(spanNamed(spans, 'claude-code').attributes).to.deep.include({
      'output.value': 'It said hi.',
      'llm.token_count.prompt': 650,
      'llm.token_count.completion': 61,
      'llm.token_count.total': 711,
      'llm.cost.total': 0.00382,
    });
  });

  it('a background subagent that failed: its AGENT span is ERROR with the summary; the run is not', async () => {
    const { spans } = await run(backgroundSubagent('failed', 'Bash was not allowed'));
    expect(tree(spans)).to.deep.equal(BACKGROUND_TREE);
    const subagent = spanNamed(spans, 'general-purpose');
    expect(subagent.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'Bash was not allowed' });
    expect(subagent.events.map((e) => e.name)).to.deep.equal(['exception']);
    expect(spanNamed(spans, 'claude-code').status.code).to.equal(SpanStatusCode.OK);
  });

  it('a result that failed (error_max_turns): the AGENT span is ERROR named after the subtype; the app reads the stream as before', async () => {
    const { messages, spans } = await run([
      { emit: init() },
      { emit: toolUse('msg_1', 'toolu_01', 'Bash', { command: 'echo hi' }) },
      { emit: toolResult('toolu_01', 'hi') },
      { emit: result({ subtype: 'error_max_turns', errors: ['Reached maximum number of turns (1)'], models: opus(100, 20, 0.0008), numTurns: 1 }) },
    ]);
    expect(messages.at(-1)!.subtype).to.equal('error_max_turns');
    expect(tree(spans)).to.deep.equal(['Bash TOOL <- claude-code', 'claude-code AGENT <- app', 'app - <- root']);
    const agent = spanNamed(spans, 'claude-code');
    expect(agent.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'Reached maximum number of turns (1)' });
    expect(agent.attributes).to.deep.include({ 'error.type': 'error_max_turns', 'llm.token_count.prompt': 100, 'llm.cost.total': 0.0008 });
  });

  it('cache reads and writes: the prompt counts them (Anthropic counts input without the cache), with their details', async () => {
    const { spans } = await run([
      { emit: init() },
      { emit: assistantText('msg_1', 'Cached.') },
      { emit: result({ text: 'Cached.', models: { [MODEL]: { input: 50, output: 10, cacheRead: 1000, cacheWrite: 200, costUsd: 0.0021 } }, numTurns: 1 }) },
    ]);
    expect(spanNamed(spans, 'claude-code').attributes).to.deep.include({
      'llm.token_count.prompt': 1250,
      'llm.token_count.completion': 10,
      'llm.token_count.total': 1260,
      'llm.token_count.prompt_details.cache_read': 1000,
      'llm.token_count.prompt_details.cache_write': 200,
    });
  });

  it('two tool calls answered in one user message: two TOOL spans, each with its own result', async () => {
    const both = {
      type: 'user',
      message: { role: 'user', content: [{ tool_use_id: 'toolu_02', type: 'tool_result', content: 'two' }, { tool_use_id: 'toolu_01', type: 'tool_result', content: 'one', is_error: false }] },
      parent_tool_use_id: null,
      session_id: SESSION_ID,
    };
    const { spans } = await run([
      { emit: init() },
      { emit: toolUse('msg_1', 'toolu_01', 'Read', { file_path: '/tmp/one' }) },
      { emit: toolUse('msg_1', 'toolu_02', 'Read', { file_path: '/tmp/two' }) },
      { emit: both },
      { emit: result({ text: 'Read both.', models: opus(10, 2, 0.0001) }) },
    ]);
    const reads = spans.filter((s) => s.name === 'Read');
    expect(reads.map((s) => [s.attributes['tool_call.id'], s.attributes['input.value'], s.attributes['output.value']])).to.deep.equal([
      ['toolu_02', '{"file_path":"/tmp/two"}', 'two'],
      ['toolu_01', '{"file_path":"/tmp/one"}', 'one'],
    ]);
    expect(tree(spans)).to.deep.equal(['Read TOOL <- claude-code', 'Read TOOL <- claude-code', 'claude-code AGENT <- app', 'app - <- root']);
  });

  it('a result with is_error on a success subtype (the turn ended on an API error): the AGENT span is ERROR', async () => {
    const { spans } = await run([
      { emit: init() },
      { emit: result({ text: 'API Error: 529 Overloaded', models: opus(10, 0, 0), isError: true, numTurns: 1 }) },
    ]);
    const agent = spanNamed(spans, 'claude-code');
    expect(agent.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'API Error: 529 Overloaded' });
    expect(agent.attributes['error.type']).to.equal('result_error');
  });
});
