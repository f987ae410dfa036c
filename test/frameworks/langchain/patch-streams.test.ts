import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { RUN_ABANDONED_EVENT } from '../../../lib/frameworks/run-span';
import { expectAbandoned } from '../../helpers/tracing';
import { only, outline } from './e2e/tree';
import { appSpan, expectAllOk, usePatchSuite } from './patch-suite';

/** Streams through the real @langchain/core and LangGraph: broken off, failing, abandoned; no span left open. */
describe('LangChain patches: streams (real @langchain/core, CommonJS)', () => {
  const { suite, lambda } = usePatchSuite();

  it('an app that breaks out of .stream() after the first chunk: every span has ended, the open runs abandoned', async () => {
    const { RunnableSequence } = suite.lc.runnables;
    const words = suite.lc.runnables.RunnableLambda.from(async function* (text: string) {
      for (const word of text.split(' ')) yield word;
    } as unknown as (text: string) => string).withConfig({ runName: 'words' });
    const chain = RunnableSequence.from([lambda('trim', (s: string) => s.trim()), words]).withConfig({ runName: 'stream_chain' });
    const chunks: string[] = [];
    for await (const chunk of await chain.stream(' one two three ')) {
      chunks.push(chunk);
      break;
    }
    expect(chunks).to.deep.equal(['one']);
    const spans = await suite.tracing.spans();
    expect(outline(spans)).to.deep.equal(['stream_chain CHAIN', '  trim CHAIN', '  words CHAIN']);
    expect(only(spans, 'trim').events.map((e) => e.name)).to.deep.equal([]);
    for (const name of ['stream_chain', 'words']) expect(only(spans, name).events.map((e) => e.name), name).to.deep.equal([RUN_ABANDONED_EVENT]);
  });

  it('a stream whose step throws: the app gets the same error object; the runs end ERROR, none left open', async () => {
    const failure = new TypeError('bad chunk');
    const flaky = suite.lc.runnables.RunnableLambda.from(async function* (text: string) {
      yield text;
      throw failure;
    } as unknown as (text: string) => string).withConfig({ runName: 'flaky' });
    const chain = suite.lc.runnables.RunnableSequence.from([lambda('trim', (s: string) => s.trim()), flaky]).withConfig({ runName: 'stream_chain' });
    const chunks: string[] = [];
    let caught: unknown;
    try {
      for await (const chunk of await chain.stream(' a ')) chunks.push(chunk);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.equal(failure);
    expect(chunks).to.deep.equal(['a']);
    const spans = await suite.tracing.spans();
    expect(outline(spans)).to.deep.equal(['stream_chain CHAIN', '  trim CHAIN', '  flaky CHAIN']);
    for (const name of ['stream_chain', 'flaky']) expect(only(spans, name).status, name).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'bad chunk' });
  });

  it('a chat model stream broken off: its LLM span ends abandoned, under the chain', async () => {
    const model = new suite.lc.testing.FakeListChatModel({ responses: ['abc'] });
    const chain = lambda('ask', (q: string) => q).pipe(model).withConfig({ runName: 'qa' });
    const chunks: string[] = [];
    for await (const chunk of await chain.stream('ping')) {
      chunks.push(String(chunk.content));
      break;
    }
    expect(chunks).to.deep.equal(['a']);
    const spans = await suite.tracing.spans();
    expect(outline(spans)).to.deep.equal(['qa CHAIN', '  ask CHAIN', '  chat LLM']);
    expectAbandoned(only(spans, 'chat'));
    expect(only(spans, 'qa').events.map((e) => e.name)).to.deep.equal([RUN_ABANDONED_EVENT]);
  });

  it("a LangGraph node's body runs in the node's context; an abandoned graph stream ends every span", async () => {
    const { StateGraph, Annotation, START, END } = suite.lc.langgraph;
    const State = Annotation.Root({ n: Annotation<number> });
    const graph = new StateGraph(State)
      .addNode('first', async (state: { n: number }) => {
        appSpan('first body');
        return { n: state.n + 1 };
      })
      .addNode('second', async (state: { n: number }) => ({ n: state.n * 10 }))
      .addEdge(START, 'first')
      .addEdge('first', 'second')
      .addEdge('second', END)
      .compile({ name: 'counter' });
    expect(await graph.invoke({ n: 1 })).to.deep.equal({ n: 20 });
    let spans = await suite.tracing.spans();
    expect(outline(spans)).to.deep.equal(['counter AGENT', '  first CHAIN', '    first body -', '  second CHAIN']);
    expectAllOk(spans);

    suite.tracing.reset();
    for await (const update of await graph.stream({ n: 1 }, { streamMode: 'updates' })) {
      expect(update).to.deep.equal({ first: { n: 2 } });
      break;
    }
    spans = await suite.tracing.spans();
    // The graph's run and the node that was running (if LangGraph had started it) end abandoned, not failed:
    // LangGraph aborts its running nodes once we have ended their runs.
    expect(only(spans, 'first').status.code).to.equal(SpanStatusCode.OK);
    for (const name of ['counter', ...spans.filter((s) => s.name === 'second').map((s) => s.name)]) {
      expect(only(spans, name).status.code, name).to.equal(SpanStatusCode.UNSET);
      expect(only(spans, name).events.map((e) => e.name), name).to.deep.equal([RUN_ABANDONED_EVENT]);
    }
  });
});
