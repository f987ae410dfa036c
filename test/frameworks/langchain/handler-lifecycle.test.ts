import { expect } from 'chai';
import { context, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import type { BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { RUN_ABANDONED_EVENT } from '../../../lib/frameworks/run-span';
import { LangChainHandler } from '../../../lib/frameworks/langchain/handler';
import { createCallRecord } from '../../../lib/record/call-record';
import { LlmCall } from '../../../lib/instrumentation/llm-call';
import { enterRunScope, runScopeOf } from '../../../lib/instrumentation/run-scope';
import { kindOf, only } from './e2e/tree';
import { attr, nameOutline, prompt, reply, ScriptedChatModel, useHandler } from './handler-fixtures';

describe('LangChainHandler: run lifecycle (parents, scopes, offers, bounds, guards)', () => {
  const suite = useHandler();

  it('a model run an SDK call claims: that call is the one LLM span, with the run attributes, under the chain', async () => {
    /** Stands for our SDK patch (an LlmCall in the model's scope) and for the framework patch (the scope around generate). */
    class ServedChatModel extends ScriptedChatModel {
      override async _generate(messages: BaseMessage[]): Promise<ChatResult> {
        const call = new LlmCall(suite.runtime, createCallRecord('LLM', 'chat', 'openai', 'openai'), context.active());
        call.succeed();
        return super._generate(messages);
      }
      override generate(...args: Parameters<ScriptedChatModel['generate']>): ReturnType<ScriptedChatModel['generate']> {
        return context.with(enterRunScope(context.active()).context, () => super.generate(...args));
      }
    }
    const chain = prompt().pipe(new ServedChatModel([reply('ok')]));
    await chain.invoke({ role: 'r', topic: 't' }, { callbacks: [suite.handler], metadata: { session_id: 's-2' } });
    const spans = await suite.tracing.spans();
    expect(nameOutline(spans)).to.deep.equal(['RunnableSequence CHAIN', '  ChatPromptTemplate PROMPT', '  chat LLM']);
    const llm = spans.find((s) => kindOf(s) === 'LLM')!;
    expect(attr(llm, 'llm.provider')).to.equal('openai');
    expect(attr(llm, 'session.id')).to.equal('s-2');
    expect(attr(llm, 'metadata')).to.equal('{"session_id":"s-2"}');
  });

  it('a parent ending while a child is open ends the child first, abandoned', async () => {
    suite.handler.handleChainStart({ lc: 1, id: ['x', 'Outer'] }, { input: 1 }, 'outer');
    suite.handler.handleChainStart({ lc: 1, id: ['x', 'Inner'] }, { input: 2 }, 'inner', 'outer');
    suite.handler.handleChatModelStart({ lc: 1, id: ['x', 'Model'] }, [[]], 'model', 'inner');
    suite.handler.handleChainEnd({ output: 3 }, 'outer');
    const spans = await suite.tracing.spans();
    expect(spans.map((s) => s.name)).to.deep.equal(['chat', 'Inner', 'Outer']);
    expect(spans[0].events.map((e) => e.name)).to.deep.equal(['infinium.stream.abandoned']);
    expect(spans[1].events.map((e) => e.name)).to.deep.equal([RUN_ABANDONED_EVENT]);
    expect(spans[2].status.code).to.equal(SpanStatusCode.OK);
    expect(suite.handler.openRuns).to.equal(0);
  });

  it('a run id started again: the first run ends abandoned, the second is the open one', async () => {
    suite.handler.handleChainStart({ lc: 1, id: ['x', 'First'] }, {}, 'same');
    suite.handler.handleChainStart({ lc: 1, id: ['x', 'Second'] }, {}, 'same');
    suite.handler.handleChainEnd({}, 'same');
    const spans = await suite.tracing.spans();
    expect(spans.map((s) => [s.name, s.events.map((e) => e.name)])).to.deep.equal([
      ['First', [RUN_ABANDONED_EVENT]],
      ['Second', []],
    ]);
    expect(suite.handler.openRuns).to.equal(0);
  });

  it('the table is bounded: past the limit the oldest open run ends abandoned', async () => {
    const small = new LangChainHandler(suite.runtime, 2);
    for (const id of ['r1', 'r2', 'r3']) small.handleChainStart({ lc: 1, id: ['x', id] }, {}, id);
    expect(small.openRuns).to.equal(2);
    const [evicted] = await suite.tracing.spans();
    expect([evicted.name, evicted.events.map((e) => e.name)]).to.deep.equal(['r1', [RUN_ABANDONED_EVENT]]);
    small.handleChainEnd({}, 'r2');
    small.handleChainEnd({}, 'r3');
    expect((await suite.tracing.spans()).map((s) => s.name)).to.deep.equal(['r1', 'r2', 'r3']);
  });

  it('run scopes: a run started in an unbound scope binds it; abandonRunsIn ends its run and descendants', async () => {
    const app = suite.runtime.tracer.startSpan('app');
    const { scope, context: inScope } = enterRunScope(trace.setSpan(ROOT_CONTEXT, app));
    context.with(inScope, () => suite.handler.handleChainStart({ lc: 1, id: ['x', 'Streamed'] }, {}, 'run'));
    expect(scope.isBound).to.equal(true);
    const runContext = suite.handler.contextOfRun('run', inScope)!;
    expect(runScopeOf(runContext)).to.equal(undefined);
    context.with(runContext, () => suite.handler.handleToolStart({ name: 'search' }, 'q', 'child', 'run'));
    expect(suite.handler.contextOfRun('unknown', inScope)).to.equal(undefined);
    suite.handler.abandonRunsIn(scope);
    app.end();
    const spans = await suite.tracing.spans();
    expect(nameOutline(spans)).to.deep.equal(['app -', '  Streamed CHAIN', '    search TOOL']);
    for (const span of spans.filter((s) => s.name !== 'app')) expect(span.events.map((e) => e.name)).to.deep.equal([RUN_ABANDONED_EVENT]);
    expect(suite.handler.openRuns).to.equal(0);
  });

  it('a run with no parent run in an unbound scope goes under the scope outer span; a model run binds it to that parent and offers itself', async () => {
    const app = suite.runtime.tracer.startSpan('app');
    const { scope, context: inScope } = enterRunScope(trace.setSpan(ROOT_CONTEXT, app));
    context.with(inScope, () => suite.handler.handleChatModelStart({ lc: 1, id: ['x', 'Model'] }, [[]], 'm', undefined, {}, [], { user_id: 'u-3' }));
    expect(scope.target).to.equal(app);
    expect(scope.claim()?.attributes).to.deep.equal({ 'user.id': 'u-3', metadata: '{"user_id":"u-3"}' });
    suite.handler.handleLLMEnd({ generations: [[{ text: 'x' }]] }, 'm');
    app.end();
    // Claimed: the SDK call was the LLM span, so the run renders none.
    expect(nameOutline(await suite.tracing.spans())).to.deep.equal(['app -']);
  });

  describe('runs tagged langsmith:hidden (LangGraph\'s __start__ node, its ChannelWrite<…> runs on 0.4)', () => {
    const HIDDEN = ['graph:step:0', 'langsmith:hidden'];
    const chain = (name: string) => ({ lc: 1, id: ['x', name] });

    it('no span; children go under the nearest visible ancestor; its scope and context are that span\'s; nothing left open', async () => {
      const h = suite.handler;
      const app = suite.runtime.tracer.startSpan('app');
      const inApp = trace.setSpan(ROOT_CONTEXT, app);
      context.with(inApp, () => h.handleChainStart(chain('Graph'), {}, 'graph'));
      const { scope, context: inScope } = enterRunScope(inApp);
      context.with(inScope, () => h.handleChainStart(chain('__start__'), {}, 'start', 'graph', HIDDEN));
      h.handleChainStart(chain('ChannelWrite<...>'), {}, 'write', 'start', ['langsmith:hidden']);
      h.handleChainStart(chain('Visible'), {}, 'visible', 'write', []);
      h.handleToolStart({ name: 'search' }, 'q', 'tool', 'start', ['langsmith:hidden']);
      const graphSpan = trace.getSpan(h.contextOfRun('graph', ROOT_CONTEXT)!);
      expect(scope.target, 'the hidden run\'s scope binds to the visible parent').to.equal(graphSpan);
      expect(trace.getSpan(h.contextOfRun('write', ROOT_CONTEXT)!)).to.equal(graphSpan);
      expect(h.openRuns).to.equal(5);
      for (const id of ['visible', 'write']) h.handleChainEnd({}, id);
      h.handleToolEnd('found', 'tool');
      h.handleChainError(new Error('write failed'), 'start');
      h.handleChainEnd({}, 'graph');
      app.end();
      expect(h.openRuns).to.equal(0);
      const spans = await suite.tracing.spans();
      expect(nameOutline(spans)).to.deep.equal(['app -', '  Graph CHAIN', '    Visible CHAIN', '    search TOOL']);
      const { OK, UNSET } = SpanStatusCode;
      expect(spans.map((s) => [s.name, s.status.code, s.events.length]).sort()).to.deep.equal([['Graph', OK, 0], ['Visible', OK, 0], ['app', UNSET, 0], ['search', OK, 0]]);
    });

    it('a hidden run with no parent run: its children under the active span, abandoned if open when it ends; the table stays bounded', async () => {
      const h = suite.handler;
      const app = suite.runtime.tracer.startSpan('app');
      context.with(trace.setSpan(ROOT_CONTEXT, app), () => h.handleChainStart(chain('Hidden'), {}, 'root', undefined, HIDDEN));
      h.handleChainStart(chain('Child'), {}, 'child', 'root');
      h.handleChainEnd({}, 'root');
      app.end();
      const spans = await suite.tracing.spans();
      expect(nameOutline(spans)).to.deep.equal(['app -', '  Child CHAIN']);
      expect(only(spans, 'Child').events.map((e) => e.name), 'ended with its hidden parent, abandoned').to.deep.equal([RUN_ABANDONED_EVENT]);
      expect(h.openRuns).to.equal(0);
      const small = new LangChainHandler(suite.runtime, 2);
      for (const id of ['h1', 'h2', 'h3']) small.handleChainStart(chain(id), {}, id, undefined, HIDDEN);
      expect(small.openRuns).to.equal(2);
    });

    it('a graph (AGENT) run tagged hidden stays visible (its nodes name it as their graph.node.parent_id)', async () => {
      suite.handler.handleChainStart(chain('CompiledStateGraph'), {}, 'g', undefined, ['langsmith:hidden'], {}, undefined, 'sub');
      suite.handler.handleChainEnd({}, 'g');
      expect(nameOutline(await suite.tracing.spans())).to.deep.equal(['sub AGENT']);
    });
  });

  it('never throws into LangChain, whatever the arguments', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('hostile'); }, ownKeys: () => { throw new Error('hostile'); } });
    const calls: Array<() => unknown> = [
      () => suite.handler.handleChainStart(hostile, hostile, 'a', undefined, hostile, hostile, hostile, hostile, hostile),
      () => suite.handler.handleChainEnd(hostile, 'a', undefined, hostile, hostile),
      () => suite.handler.handleChatModelStart(hostile, hostile, 'b', undefined, hostile, hostile, hostile),
      () => suite.handler.handleLLMEnd(hostile, 'b'),
      () => suite.handler.handleToolStart(hostile, hostile, 'c', undefined, hostile, hostile, hostile, hostile),
      () => suite.handler.handleToolEnd(hostile, 'c'),
      () => suite.handler.handleRetrieverStart(hostile, hostile, 'd'),
      () => suite.handler.handleRetrieverEnd(hostile, 'd'),
      () => suite.handler.handleLLMError(hostile, 'x'),
      () => suite.handler.contextOfRun(undefined, ROOT_CONTEXT),
      () => suite.handler.abandonRunsIn(hostile as never),
    ];
    for (const call of calls) expect(call).to.not.throw();
    // Every callback, this one's and any added later, with every argument hostile.
    const callbacks = Object.getOwnPropertyNames(LangChainHandler.prototype).filter((name) => name.startsWith('handle'));
    expect(callbacks).to.have.length(13);
    const handler = suite.handler as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of callbacks) expect(() => handler[name](...Array(9).fill(hostile)), name).to.not.throw();
  });

  it('an end or error whose arguments cannot be read still ends its run: every span ends, none left open', async () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('hostile'); }, ownKeys: () => { throw new Error('hostile'); }, getPrototypeOf: () => { throw new Error('hostile'); } });
    const h = suite.handler;
    const starts: Array<[string, () => void]> = [
      ['chain', () => h.handleChainStart({ lc: 1, id: ['x', 'chain'] }, {}, 'c1')],
      ['failed', () => h.handleChainStart({ lc: 1, id: ['x', 'failed'] }, {}, 'c2')],
      ['tool', () => h.handleToolStart({ name: 'tool' }, 'q', 't1')],
      ['failed_tool', () => h.handleToolStart({ name: 'failed_tool' }, 'q', 't2')],
      ['retriever', () => h.handleRetrieverStart({ lc: 1, id: ['x', 'retriever'] }, 'q', 'r1')],
      ['chat', () => h.handleChatModelStart({ lc: 1, id: ['x', 'Model'] }, [[]], 'm1')],
    ];
    for (const [, start] of starts) start();
    h.handleChainEnd(hostile, 'c1', undefined, hostile, hostile);
    h.handleChainError(hostile, 'c2', undefined, hostile, hostile);
    h.handleToolEnd(hostile, 't1');
    h.handleToolError(hostile, 't2');
    h.handleRetrieverEnd(hostile, 'r1');
    h.handleLLMEnd(hostile, 'm1');
    expect(h.openRuns).to.equal(0);
    const spans = await suite.tracing.spans();
    expect(spans.map((s) => [s.name, s.status.code]).sort()).to.deep.equal([
      ['chain', SpanStatusCode.OK], ['chat', SpanStatusCode.OK], ['failed', SpanStatusCode.ERROR],
      ['failed_tool', SpanStatusCode.ERROR], ['retriever', SpanStatusCode.OK], ['tool', SpanStatusCode.OK],
    ]);
  });

  it('an end of the other kind (a model end for a chain run, a chain end for a model run) still ends the run, abandoned', async () => {
    suite.handler.handleChainStart({ lc: 1, id: ['x', 'Chain'] }, {}, 'c');
    suite.handler.handleLLMEnd({ generations: [] }, 'c');
    suite.handler.handleChatModelStart({ lc: 1, id: ['x', 'Model'] }, [[]], 'm');
    suite.handler.handleChainEnd({}, 'm');
    const spans = await suite.tracing.spans();
    expect(spans.map((s) => [s.name, s.events.map((e) => e.name)])).to.deep.equal([
      ['Chain', [RUN_ABANDONED_EVENT]],
      ['chat', ['infinium.stream.abandoned']],
    ]);
    expect(suite.handler.openRuns).to.equal(0);
  });
});

