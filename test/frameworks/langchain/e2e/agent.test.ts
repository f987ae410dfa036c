import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { agentReplies } from './fixtures';
import { useLangChainSuite } from './suite';
import { childrenOf, expectChildOf, expectError, expectOk, expectOneTree, isUnder, kindOf, ofKind, only, outline } from './tree';

/** The LangGraph node spans (graph.node.*) under `root`, oldest first. */
function nodesOf(spans: ReadableSpan[], root: ReadableSpan): ReadableSpan[] {
  return childrenOf(spans, root).filter((s) => s.attributes['graph.node.name'] !== undefined);
}

function ask(city: string) {
  return { messages: [{ role: 'user', content: `Weather in ${city}?` }] };
}

/** The answer of an agent run: its last message's text. */
function finalText(state: unknown): unknown {
  const { messages } = state as { messages: Array<{ content: unknown }> };
  return messages[messages.length - 1].content;
}

describe('LangChain e2e: a LangGraph createReactAgent with a tool, no code of ours in the app', function () {
  const suite = useLangChainSuite();
  const { tracing } = suite;

  it('one AGENT tree: node spans, one LLM span per request under its agent node, the TOOL span with arguments and the tool\'s text', async () => {
    suite.server.handle(agentReplies);
    const state = await tracing.inParent('app', () => suite.weatherAgent().invoke(ask('Paris')));
    expect(finalText(state)).to.equal('Final: Sunny in Paris');

    const spans = await tracing.spans();
    const app = expectOneTree(spans);
    const agent = only(spans, 'weather_agent');
    expectChildOf(agent, app);
    expect(kindOf(agent)).to.equal('AGENT');
    expect(agent.attributes['agent.name']).to.equal('weather_agent');
    expect(JSON.parse(agent.attributes['input.value'] as string)).to.deep.equal(ask('Paris'));

    // LangGraph's nodes in step order (its hidden __start__ node has no span): id = the node's checkpoint namespace, parent = the graph.
    const nodes = nodesOf(spans, agent);
    expect(nodes.map((n) => n.attributes['graph.node.name'])).to.deep.equal(['agent', 'tools', 'agent']);
    expect(agent.attributes['graph.node.id']).to.be.a('string').and.not.equal('');
    for (const node of nodes) {
      expect(kindOf(node)).to.equal('CHAIN');
      expect(node.attributes['graph.node.id']).to.match(new RegExp(`^${node.name}:[0-9a-f-]{36}$`));
      expect(node.attributes['graph.node.parent_id']).to.equal(agent.attributes['graph.node.id']);
    }
    expect(new Set(nodes.map((n) => n.attributes['graph.node.id'])).size, 'one id per node run').to.equal(3);
    const [firstTurn, toolsNode, secondTurn] = nodes;

    const llms = ofKind(spans, 'LLM');
    expect(llms).to.have.length(suite.server.requests.length).and.length(2);
    expect(isUnder(spans, llms[0], firstTurn), 'first LLM span under the first agent node').to.equal(true);
    expect(isUnder(spans, llms[1], secondTurn), 'second LLM span under the second agent node').to.equal(true);
    expect(llms[0].attributes['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
    expect(llms[0].attributes['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":"Paris"}');
    expect([llms[0].attributes['llm.token_count.prompt'], llms[0].attributes['llm.token_count.completion']]).to.deep.equal([57, 16]);
    expect(llms[1].attributes['llm.output_messages.0.message.content']).to.equal('Final: Sunny in Paris');
    expect([llms[1].attributes['llm.token_count.prompt'], llms[1].attributes['llm.token_count.completion']]).to.deep.equal([80, 9]);
    expect(llms[0].attributes['llm.tools.0.tool.json_schema']).to.contain('get_weather');

    const tool = only(spans, 'get_weather');
    expectChildOf(tool, toolsNode);
    expect(kindOf(tool)).to.equal('TOOL');
    expect(tool.attributes['tool.name']).to.equal('get_weather');
    expect([tool.attributes['input.value'], tool.attributes['input.mime_type']]).to.deep.equal(['{"city":"Paris"}', 'application/json']);
    expect(tool.attributes['output.value']).to.equal('Sunny in Paris');
    for (const span of spans) expectOk(span);
  });

  it('the whole tree, as an outline', async () => {
    suite.server.handle(agentReplies);
    await suite.weatherAgent().invoke(ask('Paris'));
    // Ended by the time invoke() resolved (LangChain's background callbacks left at their default), not later.
    const endedAtReturn = tracing.exporter.getFinishedSpans().length;
    const spans = await tracing.spans();
    expect(endedAtReturn).to.equal(spans.length);
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal([
      'weather_agent AGENT',
      '  agent CHAIN',
      '    RunnableSequence CHAIN',
      '      prompt CHAIN',
      '      chat gpt-4o-mini LLM',
      '    RunnableLambda CHAIN',
      '  tools CHAIN',
      '    get_weather TOOL',
      '  agent CHAIN',
      '    RunnableSequence CHAIN',
      '      prompt CHAIN',
      '      chat gpt-4o-mini LLM',
      '    RunnableLambda CHAIN',
    ]);
  });

  it('stream (read to the end): the same tree as invoke', async () => {
    suite.server.handle(agentReplies);
    await suite.weatherAgent().invoke(ask('Paris'));
    const invoked = outline(await tracing.spans());
    tracing.reset();
    suite.server.requests.length = 0;

    const updates: string[] = [];
    for await (const update of await suite.weatherAgent().stream(ask('Paris'))) updates.push(...Object.keys(update));
    expect(updates).to.deep.equal(['agent', 'tools', 'agent']);
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(invoked);
    expect(ofKind(spans, 'LLM')).to.have.length(suite.server.requests.length).and.length(2);
    expect(only(spans, 'get_weather').attributes['output.value']).to.equal('Sunny in Paris');
  });

  it('configurable.thread_id with a MemorySaver checkpointer: session.id on every span of the run', async () => {
    suite.server.handle(agentReplies);
    await suite.weatherAgent({ checkpointer: true }).invoke(ask('Paris'), { configurable: { thread_id: 't-1' } });
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(ofKind(spans, 'LLM')).to.have.length(2);
    expect(spans.filter((s) => s.attributes['session.id'] !== 't-1').map((s) => s.name)).to.deep.equal([]);
  });

  it('metadata session_id and user_id: session.id and user.id on every span of the run', async () => {
    suite.server.handle(agentReplies);
    await suite.weatherAgent().invoke(ask('Paris'), { metadata: { session_id: 's-9', user_id: 'u-7' } });
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(spans.filter((s) => s.attributes['session.id'] !== 's-9').map((s) => s.name)).to.deep.equal([]);
    expect(spans.filter((s) => s.attributes['user.id'] !== 'u-7').map((s) => s.name)).to.deep.equal([]);
  });

  it('a tool that throws: the TOOL span is ERROR with the exception, the agent OK, the app gets its answer', async () => {
    suite.server.handle(agentReplies);
    const state = await tracing.inParent('app', () => suite.weatherAgent().invoke(ask('Atlantis')));
    expect(finalText(state)).to.match(/^Final: Error: no weather station in Atlantis/);

    const spans = await tracing.spans();
    expectOneTree(spans);
    const tool = only(spans, 'get_weather');
    expectError(tool, 'no weather station in Atlantis');
    expect(JSON.parse(tool.attributes['input.value'] as string)).to.deep.equal({ city: 'Atlantis' });
    expectOk(only(spans, 'weather_agent'));
    expectOk(only(spans, 'app'));
    expect(spans.filter((s) => s !== tool && s.status.code === 2).map((s) => s.name), 'spans ERROR besides the tool').to.deep.equal([]);
    expect(ofKind(spans, 'LLM')).to.have.length(suite.server.requests.length).and.length(2);
  });

  it('Promise.all of two agent runs: each run\'s spans stay under its own AGENT span', async () => {
    suite.server.handle(agentReplies);
    const agent = suite.weatherAgent();
    const states = await tracing.inParent('app', () => Promise.all([agent.invoke(ask('Paris')), agent.invoke(ask('Oslo'))]));
    expect(states.map(finalText)).to.deep.equal(['Final: Sunny in Paris', 'Final: Sunny in Oslo']);

    const spans = await tracing.spans();
    const app = expectOneTree(spans);
    const roots = childrenOf(spans, app);
    expect(roots.map((r) => r.name)).to.deep.equal(['weather_agent', 'weather_agent']);
    expect(ofKind(spans, 'LLM')).to.have.length(suite.server.requests.length).and.length(4);
    const cityOfRun = (root: ReadableSpan) => JSON.parse(root.attributes['input.value'] as string).messages[0].content as string;
    for (const root of roots) {
      const city = cityOfRun(root).includes('Paris') ? 'Paris' : 'Oslo';
      const own = spans.filter((s) => isUnder(spans, s, root));
      const tools = own.filter((s) => kindOf(s) === 'TOOL');
      expect(tools.map((t) => t.attributes['output.value'])).to.deep.equal([`Sunny in ${city}`]);
      const llms = own.filter((s) => kindOf(s) === 'LLM');
      expect(llms.map((s) => s.attributes['llm.input_messages.0.message.content'])).to.deep.equal([`Weather in ${city}?`, `Weather in ${city}?`]);
    }
    expect(roots.map(cityOfRun).sort()).to.deep.equal(['Weather in Oslo?', 'Weather in Paris?']);
  });
});
