import { expect } from 'chai';
import { context, SpanStatusCode } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import fs from 'node:fs';
import path from 'node:path';
import { assistantText, FakeCli, fakeCli, init, MODEL, result, Step, toolResult, toolUse } from './helpers/cli-script';
import { drain, spanNamed, tree, useClaudeHarness } from './helpers/harness';

/**
 * query() called in other ways than one string prompt (fake CLI): a streaming-input prompt the app feeds,
 * two queries at once, a query under suppressed tracing, a CLI started ahead with startup().
 */
describe('Claude Agent SDK query inputs and concurrency (fake CLI)', function () {
  this.timeout(30_000);
  const harness = useClaudeHarness();
  const clis: FakeCli[] = [];
  afterEach(() => clis.splice(0).forEach((c) => c.cleanup()));

  function script(toolId: string, answer: string): Step[] {
    return [
      { emit: init() },
      { emit: toolUse(`msg_${toolId}`, toolId, 'Bash', { command: `echo ${answer}` }) },
      { emit: toolResult(toolId, answer) },
      { emit: assistantText(`msg_${toolId}_2`, answer) },
      { emit: result({ text: answer, models: { [MODEL]: { input: 10, output: 2, costUsd: 0.0001 } } }) },
    ];
  }
  function newCli(steps: Step[]): FakeCli {
    const cli = fakeCli(steps);
    clis.push(cli);
    return cli;
  }

  it('a streaming-input prompt (an async iterable of user messages): the app keeps it; the run has no input, ends with the stream', async () => {
    const cli = newCli(script('toolu_01', 'streamed'));
    let fed = 0;
    async function* prompt() {
      fed++;
      yield { type: 'user' as const, message: { role: 'user' as const, content: 'Say streamed' }, parent_tool_use_id: null, session_id: '' };
    }
    const messages = await harness.tracing.inParent('app', () => drain(harness.sdk().query({ prompt: prompt(), options: cli.options })));
    expect(fed).to.equal(1);
    expect(messages.at(-1)!.result).to.equal('streamed');
    // The SDK wrote the app's message to the CLI itself.
    expect(cli.stdin().some((line) => line.includes('Say streamed'))).to.equal(true);
    const spans = await harness.tracing.spans();
    expect(tree(spans)).to.deep.equal(['Bash TOOL <- claude-code', 'claude-code AGENT <- app', 'app - <- root']);
    const agent = spanNamed(spans, 'claude-code');
    expect(agent.status.code).to.equal(SpanStatusCode.OK);
    expect(agent.attributes['input.value']).to.equal(undefined);
    expect(agent.attributes['output.value']).to.equal('streamed');
  });

  it('two queries at once, each under its own app span: two separate trees, each tool under its own run', async () => {
    const [a, b] = [newCli(script('toolu_a', 'alpha')), newCli(script('toolu_b', 'beta'))];
    const { query } = harness.sdk();
    await Promise.all([
      harness.tracing.inParent('app-a', () => drain(query({ prompt: 'A', options: a.options }))),
      harness.tracing.inParent('app-b', () => drain(query({ prompt: 'B', options: b.options }))),
    ]);
    const spans = await harness.tracing.spans();
    const runs = spans.filter((s) => s.name === 'claude-code');
    expect(runs).to.have.length(2);
    for (const [app, answer] of [['app-a', 'alpha'], ['app-b', 'beta']]) {
      const parent = spanNamed(spans, app);
      const run = runs.find((r) => r.parentSpanContext?.spanId === parent.spanContext().spanId)!;
      expect(run.attributes['output.value']).to.equal(answer);
      const tools = spans.filter((s) => s.name === 'Bash' && s.parentSpanContext?.spanId === run.spanContext().spanId);
      expect(tools.map((t) => t.attributes['output.value'])).to.deep.equal([answer]);
    }
    expect(spans).to.have.length(6);
  });

  it('under suppressed tracing: no span of ours, and the SDK runs as without us', async () => {
    const cli = newCli(script('toolu_01', 'quiet'));
    const messages = await context.with(suppressTracing(context.active()), () => drain(harness.sdk().query({ prompt: 'Q', options: cli.options })));
    expect(messages.at(-1)!.result).to.equal('quiet');
    expect(await harness.tracing.spans()).to.deep.equal([]);
  });

  it('startup() then warm.query(prompt): the same run as query()\'s (AGENT > TOOL, usage, cost); the WarmQuery and its Query stay the SDK\'s', async () => {
    const cli = newCli(script('toolu_01', 'warm'));
    const control = await harness.rawStartup()({ options: cli.options });
    const controlMessages = await drain(control.query('Warm up'));
    harness.tracing.reset();
    const messages = await harness.tracing.inParent('app', async () => {
      const warm = await harness.sdk().startup({ options: cli.options });
      expect(Object.getPrototypeOf(warm)).to.equal(Object.getPrototypeOf(control));
      return drain(warm.query('Warm up'));
    });
    expect(messages.map((m) => m.type)).to.deep.equal(controlMessages.map((m) => m.type));
    const spans = await harness.tracing.spans();
    expect(tree(spans)).to.deep.equal(['Bash TOOL <- claude-code', 'claude-code AGENT <- app', 'app - <- root']);
    const agent = spanNamed(spans, 'claude-code');
    expect(agent.status.code).to.equal(SpanStatusCode.OK);
    expect(agent.attributes).to.deep.include({ 'input.value': 'Warm up', 'output.value': 'warm', 'llm.token_count.prompt': 10, 'llm.cost.total': 0.0001 });
  });

  it('startup() that fails: the app gets the SDK\'s own rejection, and nothing of ours is left unhandled or open', async () => {
    const cli = newCli([]);
    // A CLI that exits before it answers the SDK's initialize request.
    const exitsAtOnce = path.join(cli.options.cwd, 'exits-at-once.mjs');
    fs.writeFileSync(exitsAtOnce, 'process.exit(3);\n');
    const options = { ...cli.options, pathToClaudeCodeExecutable: exitsAtOnce, stderr: () => {} };
    const failure = (startup: ReturnType<typeof harness.rawStartup>) => startup({ options, initializeTimeoutMs: 5_000 }).then(() => undefined, (error: Error) => error);
    const control = await failure(harness.rawStartup());
    expect(control).to.be.instanceOf(Error);
    const traced = await failure(harness.sdk().startup);
    expect(traced?.constructor).to.equal(control?.constructor);
    expect(traced?.message).to.equal(control?.message);
    expect(await harness.tracing.spans()).to.deep.equal([]);
  });
});
