import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { collectUntil } from '../../helpers/gc';
import { waitFor } from '../../helpers/wait';
import { FakeCli, fakeCli, hangsInATool, init, MODEL, result, Step } from './helpers/cli-script';
import { expectRunAbandoned, Sdk, spanNamed, tree, useClaudeHarness } from './helpers/harness';

/**
 * The ways a query() ends besides reading it through (fake CLI): the app breaking off, the CLI failing,
 * and the Query's own methods, which stay the SDK's.
 */
describe('Claude Agent SDK query lifecycle (fake CLI)', function () {
  this.timeout(30_000);
  const harness = useClaudeHarness();
  let cli: FakeCli | undefined;
  afterEach(() => cli?.cleanup());

  it('the app breaks out of for-await in the middle of a tool call: the tool and the run end abandoned', async () => {
    cli = fakeCli(hangsInATool());
    const { query } = harness.sdk();
    const seen: string[] = [];
    await harness.tracing.inParent('app', async () => {
      for await (const message of query({ prompt: 'Sleep', options: cli!.options })) {
        seen.push(message.type);
        if (message.type === 'assistant') break;
      }
    });
    expect(seen).to.deep.equal(['system', 'assistant']);
    const spans = await harness.tracing.spans();
    expect(tree(spans)).to.deep.equal(['Bash TOOL <- claude-code', 'claude-code AGENT <- app', 'app - <- root']);
    expectRunAbandoned(spanNamed(spans, 'Bash'));
    expectRunAbandoned(spanNamed(spans, 'claude-code'));
  });

  it('the app calls next() by hand and then return(): every span ends, return() resolves as the SDK\'s does', async () => {
    cli = fakeCli(hangsInATool());
    const q = harness.sdk().query({ prompt: 'Sleep', options: cli.options });
    expect((await q.next()).value).to.include({ type: 'system', subtype: 'init' });
    expect((await q.next()).value).to.include({ type: 'assistant' });
    expect(await q.return(undefined)).to.deep.equal({ done: true, value: undefined });
    const spans = await harness.tracing.spans();
    expect(tree(spans)).to.deep.equal(['Bash TOOL <- claude-code', 'claude-code AGENT <- root']);
    expectRunAbandoned(spanNamed(spans, 'claude-code'));
  });

  it('close() before any result: the run ends abandoned at once, and messages read after it start no span', async () => {
    cli = fakeCli(hangsInATool());
    const q = harness.sdk().query({ prompt: 'Sleep', options: cli.options });
    await q.next();
    q.close();
    // What the SDK had already buffered may still be read; the run it belonged to is over.
    await q.next();
    const spans = await harness.tracing.spans();
    expect(tree(spans)).to.deep.equal(['claude-code AGENT <- root']);
    expectRunAbandoned(spans[0]);
  });

  it('the CLI exits non-zero: the app gets the SDK\'s own error, unchanged; the AGENT span is ERROR with it', async () => {
    const steps: Step[] = [{ emit: init() }, { exit: 3, stderr: 'fatal: the fake CLI failed\n' }];
    async function failure(query: Sdk['query']): Promise<{ error: unknown; seen: string[] }> {
      const seen: string[] = [];
      try {
        for await (const message of query({ prompt: 'Fail', options: { ...cli!.options, stderr: () => {} } })) seen.push(message.type);
      } catch (error) {
        return { error, seen };
      }
      throw new Error('the query did not fail');
    }
    cli = fakeCli(steps);
    const control = await failure(harness.rawQuery());
    harness.tracing.reset();
    const traced = await harness.tracing.inParent('app', () => failure(harness.sdk().query));
    expect(traced.seen).to.deep.equal(control.seen);
    const error = traced.error as Error;
    expect(error.constructor).to.equal((control.error as Error).constructor);
    expect(error.message).to.equal((control.error as Error).message);
    expect(error.message).to.match(/^Claude Code process exited with code 3\b/);
    const spans = await harness.tracing.spans();
    expect(tree(spans)).to.deep.equal(['claude-code AGENT <- app', 'app - <- root']);
    const agent = spanNamed(spans, 'claude-code');
    expect(agent.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: error.message });
    expect(agent.attributes['error.type']).to.equal(error.constructor.name);
    expect(agent.events.map((e) => [e.name, e.attributes?.['exception.message']])).to.deep.equal([['exception', error.message]]);
  });

  it('query() itself throws (an invalid option): the app gets the SDK\'s own error, the AGENT span ends ERROR', async () => {
    cli = fakeCli(hangsInATool());
    const options = { ...cli.options, mcpServersDelivery: 'bogus' } as unknown as Parameters<Sdk['query']>[0]['options'];
    const thrown = (query: Sdk['query']) => {
      try {
        query({ prompt: 'Hi', options });
      } catch (error) {
        return error as Error;
      }
      throw new Error('query() did not throw');
    };
    const control = thrown(harness.rawQuery());
    const error = thrown(harness.sdk().query);
    expect(error.constructor).to.equal(control.constructor);
    expect(error.message).to.equal(control.message);
    const spans = await harness.tracing.spans();
    expect(tree(spans)).to.deep.equal(['claude-code AGENT <- root']);
    expect(spans[0].status).to.deep.equal({ code: SpanStatusCode.ERROR, message: error.message });
  });

  it('the Query is the SDK\'s own object: same class, its control methods work (interrupt reaches the CLI)', async () => {
    cli = fakeCli(hangsInATool());
    const control = harness.rawQuery()({ prompt: 'Sleep', options: cli.options });
    const q = harness.sdk().query({ prompt: 'Sleep', options: cli.options });
    try {
      expect(Object.getPrototypeOf(q)).to.equal(Object.getPrototypeOf(control));
      for (const method of ['interrupt', 'setPermissionMode', 'setModel', 'supportedModels', 'close', 'next', 'return', 'throw']) {
        expect(typeof (q as unknown as Record<string, unknown>)[method], method).to.equal('function');
      }
      expect(q[Symbol.asyncIterator]).to.be.a('function');
      await q.next();
      await q.next();
      // The SDK sends the interrupt as a control request and resolves with the CLI's answer.
      await q.interrupt();
      await waitFor(() => cli!.stdin().some((line) => line.includes('"subtype":"interrupt"')), 'the interrupt request on the CLI stdin');
    } finally {
      await q.return(undefined);
      await control.return(undefined);
    }
    const spans = await harness.tracing.spans();
    expect(tree(spans)).to.deep.equal(['Bash TOOL <- claude-code', 'claude-code AGENT <- root']);
  });

  it('a query the app never reads: nothing is started that must end (no span left open by a query() call alone)', async () => {
    cli = fakeCli([{ emit: init() }, { emit: result({ text: 'Hi.', models: { [MODEL]: { input: 1, output: 1, costUsd: 0 } } }) }]);
    const q = harness.sdk().query({ prompt: 'Hi', options: cli.options });
    // The app changes its mind before reading: return() ends the run (abandoned, no result was read).
    await q.return(undefined);
    const spans = await harness.tracing.spans();
    expect(tree(spans)).to.deep.equal(['claude-code AGENT <- root']);
    expectRunAbandoned(spans[0]);
  });

  it('a Query the app drops without reading it: its AGENT span ends abandoned once the Query is collected', async () => {
    // The SDK starts the CLI at query(), which runs the turn to its end whether or not anyone reads it.
    cli = fakeCli([{ emit: init() }, { emit: result({ text: 'Hi.', models: { [MODEL]: { input: 1, output: 1, costUsd: 0 } } }) }]);
    (() => void harness.sdk().query({ prompt: 'Hi', options: cli!.options }))();
    await collectUntil(async () => (await harness.tracing.spans()).length > 0);
    const spans = await harness.tracing.spans();
    expect(tree(spans)).to.deep.equal(['claude-code AGENT <- root']);
    expectRunAbandoned(spans[0]);
  });

  it('a Query dropped after its result was read (never read to done): collected, its AGENT span ends as the result said', async () => {
    cli = fakeCli([{ emit: init() }, { emit: result({ text: 'Hi.', models: { [MODEL]: { input: 1, output: 1, costUsd: 0 } } }) }]);
    await (async () => {
      const q = harness.sdk().query({ prompt: 'Hi', options: cli!.options });
      while ((await q.next()).value?.type !== 'result');
    })();
    await collectUntil(async () => (await harness.tracing.spans()).length > 0);
    const spans = await harness.tracing.spans();
    expect(tree(spans)).to.deep.equal(['claude-code AGENT <- root']);
    expect(spans[0].status.code).to.equal(SpanStatusCode.OK);
    expect(spans[0].events).to.deep.equal([]);
    expect(spans[0].attributes['output.value']).to.equal('Hi.');
  });
});
