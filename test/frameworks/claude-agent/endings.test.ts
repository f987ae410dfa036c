import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { getEventListeners } from 'node:events';
import { collectUntil } from '../../helpers/gc';
import { waitFor } from '../../helpers/wait';
import { assistantText, FakeCli, fakeCli, hangsInATool, init, MODEL, result } from './helpers/cli-script';
import { expectRunAbandoned, Sdk, spanNamed, tree, useClaudeHarness } from './helpers/harness';

/**
 * The ends of a query() the app or the system brings about while the CLI runs (fake CLI): the app's
 * AbortController, the CLI process killed, and a reader the collector must not cut short.
 */
describe('Claude Agent SDK query endings (fake CLI)', function () {
  this.timeout(30_000);
  const harness = useClaudeHarness();
  let cli: FakeCli | undefined;
  afterEach(() => cli?.cleanup());

  /** Reads until the Bash call, aborts there, reads on: what the app saw and the error it got. */
  async function abortInTool(query: Sdk['query']): Promise<{ seen: string[]; error: unknown }> {
    const abortController = new AbortController();
    const seen: string[] = [];
    try {
      for await (const message of query({ prompt: 'Sleep', options: { ...cli!.options, abortController } })) {
        seen.push(message.type);
        if (message.type === 'assistant') abortController.abort();
      }
    } catch (error) {
      return { seen, error };
    }
    throw new Error('the aborted query did not throw');
  }

  it("the app aborts its AbortController mid-run: it gets the SDK's own AbortError unchanged; the run and its tool end abandoned, not ERROR", async () => {
    cli = fakeCli(hangsInATool());
    const control = await abortInTool(harness.rawQuery());
    harness.tracing.reset();
    const traced = await harness.tracing.inParent('app', () => abortInTool(harness.sdk().query));
    expect(traced.seen).to.deep.equal(control.seen);
    expect((traced.error as Error).constructor).to.equal((control.error as Error).constructor);
    expect((traced.error as Error).message).to.equal((control.error as Error).message);
    const spans = await harness.tracing.spans();
    expect(tree(spans)).to.deep.equal(['Bash TOOL <- claude-code', 'claude-code AGENT <- app', 'app - <- root']);
    expectRunAbandoned(spanNamed(spans, 'Bash'));
    expectRunAbandoned(spanNamed(spans, 'claude-code'));
  });

  it('an abort while nobody reads: the run ends at the abort, without another read', async () => {
    cli = fakeCli(hangsInATool());
    const abortController = new AbortController();
    const q = harness.sdk().query({ prompt: 'Sleep', options: { ...cli.options, abortController } });
    await q.next();
    await q.next();
    abortController.abort();
    const spans = await harness.tracing.spans();
    expect(tree(spans)).to.deep.equal(['Bash TOOL <- claude-code', 'claude-code AGENT <- root']);
    expectRunAbandoned(spanNamed(spans, 'claude-code'));
    // The app's next read gets what it gets without us (the SDK's AbortError); nothing more is recorded.
    await q.next().catch(() => undefined);
    expect(await harness.tracing.spans()).to.have.length(2);
  });

  it('one AbortController for several queries: each run ends with its stream, the later abort changes none of them', async () => {
    const abortController = new AbortController();
    for (const text of ['One.', 'Two.']) {
      cli = fakeCli([{ emit: init() }, { emit: assistantText('msg_1', text) }, { emit: result({ text, models: { [MODEL]: { input: 1, output: 1, costUsd: 0 } } }) }]);
      for await (const message of harness.sdk().query({ prompt: 'Hi', options: { ...cli.options, abortController } })) void message;
      cli.cleanup();
    }
    // Each run took its listener off the signal when it ended: the signal holds none of them.
    expect(getEventListeners(abortController.signal, 'abort')).to.have.length(0);
    abortController.abort();
    const spans = await harness.tracing.spans();
    expect(spans.map((s) => [s.name, s.status.code, s.events.length, s.attributes['output.value']])).to.deep.equal([
      ['claude-code', SpanStatusCode.OK, 0, 'One.'],
      ['claude-code', SpanStatusCode.OK, 0, 'Two.'],
    ]);
  });

  it("the CLI process is killed mid-run: the app gets the SDK's own error; the AGENT span is ERROR with it, the open tool abandoned", async () => {
    cli = fakeCli(hangsInATool());
    const seen: string[] = [];
    let failure: Error | undefined;
    try {
      for await (const message of harness.sdk().query({ prompt: 'Sleep', options: cli.options })) {
        seen.push(message.type);
        if (message.type === 'system') process.kill(Number((message as Record<string, unknown>).fake_cli_pid), 'SIGKILL');
      }
    } catch (error) {
      failure = error as Error;
    }
    expect(failure?.message).to.equal('Claude Code process terminated by signal SIGKILL');
    const spans = await harness.tracing.spans();
    const agent = spanNamed(spans, 'claude-code');
    expect(agent.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: failure!.message });
    expect(agent.events.map((e) => e.name)).to.deep.equal(['exception']);
    // Whether the Bash call was read before the kill reached the SDK depends on the pipe: if it was, it is abandoned.
    for (const tool of spans.filter((s) => s.name === 'Bash')) expectRunAbandoned(tool);
    expect(seen[0]).to.equal('system');
  });

  it('a for-await reader holds only the inner generator: collections while it reads never end its run early', async () => {
    cli = fakeCli([{ emit: init() }, { emit: assistantText('msg_1', 'Hi.') }, { emit: result({ text: 'Hi.', models: { [MODEL]: { input: 3, output: 2, costUsd: 0.0001 } } }) }]);
    const seen: string[] = [];
    await harness.tracing.inParent('app', async () => {
      for await (const message of harness.sdk().query({ prompt: 'Hi', options: cli!.options })) {
        seen.push(message.type);
        if (message.type !== 'system') continue;
        // The CLI runs the turn and exits whether or not we read: after that nothing but this loop holds the Query.
        const pid = Number((message as Record<string, unknown>).fake_cli_pid);
        await waitFor(() => !processAlive(pid), 'the fake CLI to exit');
        // A span ending here would be the collector's doing (the Query's run ended as abandoned).
        await collectUntil(async () => (await harness.tracing.spans()).length > 0, 1_000);
      }
    });
    expect(seen).to.deep.equal(['system', 'assistant', 'result']);
    const spans = await harness.tracing.spans();
    expect(tree(spans)).to.deep.equal(['claude-code AGENT <- app', 'app - <- root']);
    const agent = spanNamed(spans, 'claude-code');
    expect(agent.status.code).to.equal(SpanStatusCode.OK);
    expect(agent.events).to.deep.equal([]);
    expect(agent.attributes['output.value']).to.equal('Hi.');
  });
});

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
