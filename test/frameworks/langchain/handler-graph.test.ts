import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { RUN_ABANDONED_EVENT } from '../../../lib/frameworks/run-span';
import { expectChildOf, kindOf, only } from './e2e/tree';
import { attr, nameOutline, lc, reply, ScriptedChatModel, useHandler } from './handler-fixtures';

const { AIMessage } = lc.messages;
const { tool } = lc.tools;
const { Annotation, interrupt, MemorySaver, StateGraph } = lc.langgraph;
const { createReactAgent } = lc.prebuilt;
const { z } = lc.zod;

describe('LangChainHandler: LangGraph agents (through @langchain/langgraph)', () => {
  const suite = useHandler();

  it('a LangGraph agent: AGENT named after the agent, nodes with graph.node.*, a thrown tool error on its TOOL span only', async () => {
    const adder = tool(async ({ a }: { a: number }) => `got ${a}`, { name: 'adder', description: 'adds', schema: z.object({ a: z.number() }) });
    const broken = tool(
      async () => {
        throw new Error('boom');
      },
      { name: 'broken', description: 'fails', schema: z.object({}) },
    );
    const model = new ScriptedChatModel([
      new AIMessage({ content: '', tool_calls: [{ id: 'call_1', name: 'adder', args: { a: 2 } }, { id: 'call_2', name: 'broken', args: {} }] }),
      reply('done'),
    ]);
    const agent = createReactAgent({ llm: model, tools: [adder, broken], name: 'helper' });
    await suite.tracing.inParent('app', () => agent.invoke({ messages: [{ role: 'user', content: 'add 2' }] }, { callbacks: [suite.handler], configurable: { thread_id: 't-9' } }));
    const spans = await suite.tracing.spans();
    const root = only(spans, 'helper');
    expectChildOf(root, only(spans, 'app'));
    // Children in name order (nameOutline); the tools run concurrently, they are checked apart.
    expect(nameOutline(spans, root).filter((line) => !line.includes('RunnableLambda') && !line.includes('TOOL'))).to.deep.equal([
      'helper AGENT',
      '  agent CHAIN',
      '    RunnableSequence CHAIN',
      '      chat LLM',
      '      prompt CHAIN',
      '  agent CHAIN',
      '    RunnableSequence CHAIN',
      '      chat LLM',
      '      prompt CHAIN',
      '  tools CHAIN',
    ]);
    expect(attr(root, 'agent.name')).to.equal('helper');
    expect(attr(root, 'graph.node.id')).to.be.a('string');
    const nodes = spans.filter((s) => s.name === 'agent' || s.name === 'tools');
    expect(nodes).to.have.length(3);
    for (const node of nodes) {
      expect(attr(node, 'graph.node.name')).to.equal(node.name);
      expect(String(attr(node, 'graph.node.id'))).to.match(new RegExp(`^${node.name}:`));
      expect(attr(node, 'graph.node.parent_id')).to.equal(attr(root, 'graph.node.id'));
    }
    for (const name of ['adder', 'broken']) expectChildOf(only(spans, name), only(spans, 'tools'));
    const brokenSpan = only(spans, 'broken');
    expect([brokenSpan.status.code, attr(brokenSpan, 'tool_call.id')]).to.deep.equal([SpanStatusCode.ERROR, 'call_2']);
    expect([only(spans, 'adder').status.code, attr(only(spans, 'adder'), 'output.value')]).to.deep.equal([SpanStatusCode.OK, 'got 2']);
    expect(root.status.code).to.equal(SpanStatusCode.OK);
    for (const span of spans.filter((s) => s.name !== 'app')) expect(attr(span, 'session.id'), span.name).to.equal('t-9');
    const llms = spans.filter((s) => kindOf(s) === 'LLM');
    expect(llms).to.have.length(2);
    expect(llms[0].attributes).to.include({
      'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'call_1',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'adder',
      'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"a":2}',
      'llm.tools.0.tool.json_schema': '{"type":"function","function":{"name":"adder","description":"adds"}}',
    });
    expect(suite.handler.openRuns).to.equal(0);
  });

  it('a LangGraph interrupt is no error: the interrupted node ends unfinished, the graph OK', async () => {
    const State = Annotation.Root({ answer: Annotation<string> });
    const graph = new StateGraph(State)
      .addNode('ask', () => ({ answer: String(interrupt('Which city?')) }))
      .addEdge('__start__', 'ask')
      .compile({ checkpointer: new MemorySaver(), name: 'asker' });
    const result = await graph.invoke({ answer: '' }, { callbacks: [suite.handler], configurable: { thread_id: 't-i' } });
    expect(result).to.have.property('__interrupt__');
    const spans = await suite.tracing.spans();
    expect(spans.filter((s) => s.status.code === SpanStatusCode.ERROR).map((s) => s.name)).to.deep.equal([]);
    expect(only(spans, 'ask').events.map((e) => e.name)).to.deep.equal([RUN_ABANDONED_EVENT]);
    expect(kindOf(only(spans, 'asker'))).to.equal('AGENT');
    expect(suite.handler.openRuns).to.equal(0);
  });


  it('a subgraph as a node: its AGENT span under the node, its nodes under it, graph.node.parent_id linking each level', async () => {
    const State = Annotation.Root({ n: Annotation<number> });
    const inner = new StateGraph(State).addNode('double', (s) => ({ n: s.n * 2 })).addEdge('__start__', 'double').compile({ name: 'inner' });
    const outer = new StateGraph(State)
      .addNode('prep', (s) => ({ n: s.n + 1 }))
      .addNode('sub', inner)
      .addEdge('__start__', 'prep')
      .addEdge('prep', 'sub')
      .compile({ name: 'outer' });
    expect(await outer.invoke({ n: 1 }, { callbacks: [suite.handler] })).to.deep.equal({ n: 4 });
    const spans = await suite.tracing.spans();
    expect(nameOutline(spans)).to.deep.equal(['outer AGENT', '  prep CHAIN', '  sub CHAIN', '    inner AGENT', '      double CHAIN']);
    const id = (name: string) => attr(only(spans, name), 'graph.node.id');
    expect(attr(only(spans, 'outer'), 'graph.node.parent_id')).to.equal(undefined);
    expect([attr(only(spans, 'prep'), 'graph.node.parent_id'), attr(only(spans, 'sub'), 'graph.node.parent_id')]).to.deep.equal([id('outer'), id('outer')]);
    expect(attr(only(spans, 'inner'), 'graph.node.parent_id')).to.equal(id('sub'));
    expect(attr(only(spans, 'double'), 'graph.node.parent_id')).to.equal(id('inner'));
    expect(String(id('double'))).to.match(/^sub:[^|]+\|double:/);
  });
});
