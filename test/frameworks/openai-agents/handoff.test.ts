import { expect } from 'chai';
import { calls, says, scripted } from './fixtures';
import { REQUEST_MODEL, useAgentsSuite } from './suite';
import {
  expectAllEnded, expectChildOf, expectOneLlmSpanPerRequest, expectOneTree, expectOnlyErrors, isUnder, kindOf, only, outline, WEATHER_QUESTION,
} from './tree';

const LLM = `chat ${REQUEST_MODEL} LLM`;

/** An agent used as a tool (Boss asks the French agent), run plainly or streamed: the same tree. */
const AGENT_AS_TOOL_TREE = [
  'app -',
  '  Agent workflow CHAIN',
  '    Boss AGENT',
  `      ${LLM}`,
  '      ask_french TOOL',
  '        Agent workflow CHAIN',
  '          French agent AGENT',
  `            ${LLM}`,
  `      ${LLM}`,
];

describe('OpenAI Agents: handoffs and agents as tools', function () {
  const suite = useAgentsSuite();
  const { tracing } = suite;

  it('a handoff: both AGENT spans under the CHAIN, the handoff a TOOL span naming both agents, one LLM span per request', async () => {
    suite.server.handle(
      scripted([calls('get_weather', { city: 'Paris' }, 1), calls('transfer_to_French_agent', {}, 2), says('Il fait beau à Paris.', 3)]),
    );
    const french = new suite.agents.Agent({ name: 'French agent', instructions: 'Answer in French.', model: REQUEST_MODEL });
    const triage = new suite.agents.Agent({ name: 'Triage', instructions: 'Help.', model: REQUEST_MODEL, tools: [suite.weatherTool()], handoffs: [french] });
    const result = await tracing.inParent('app', () => suite.agents.run(triage, WEATHER_QUESTION));
    expect(result.finalOutput).to.equal('Il fait beau à Paris.');
    expect(result.lastAgent?.name).to.equal('French agent');

    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal([
      'app -',
      '  Agent workflow CHAIN',
      '    Triage AGENT',
      `      ${LLM}`,
      '      get_weather TOOL',
      `      ${LLM}`,
      '      handoff to French agent TOOL',
      '    French agent AGENT',
      `      ${LLM}`,
    ]);
    const chain = only(spans, 'Agent workflow');
    const triageSpan = only(spans, 'Triage');
    const frenchSpan = only(spans, 'French agent');
    expectChildOf(triageSpan, chain);
    expectChildOf(frenchSpan, chain);
    expect([triageSpan.attributes['agent.name'], frenchSpan.attributes['agent.name']]).to.deep.equal(['Triage', 'French agent']);

    const handoff = only(spans, 'handoff to French agent');
    expect(kindOf(handoff)).to.equal('TOOL');
    expect(handoff.attributes['infinium.handoff.from_agent']).to.equal('Triage');
    expect(handoff.attributes['infinium.handoff.to_agent']).to.equal('French agent');
    expectChildOf(handoff, triageSpan);

    // The run's final output is the French agent's; Triage produced none.
    expect(chain.attributes['output.value']).to.equal('Il fait beau à Paris.');
    expect(frenchSpan.attributes['output.value']).to.equal('Il fait beau à Paris.');
    expect(triageSpan.attributes['output.value']).to.equal(undefined);
    expect(frenchSpan.attributes['input.value']).to.be.a('string').and.contain(WEATHER_QUESTION);

    const llms = expectOneLlmSpanPerRequest(suite, spans);
    expect(llms).to.have.length(3);
    expectChildOf(llms[0], triageSpan);
    expectChildOf(llms[1], triageSpan);
    expectChildOf(llms[2], frenchSpan);
    expectOnlyErrors(spans);
    expectAllEnded(suite);
  });

  it('an agent as a tool: its whole run (CHAIN, AGENT, LLM) nested under the TOOL span of the call', async () => {
    suite.server.handle(scripted([calls('ask_french', { input: 'Paris?' }, 1), says('Il fait beau.', 2), says('Done: Il fait beau.', 3)]));
    const french = new suite.agents.Agent({ name: 'French agent', instructions: 'Answer in French.', model: REQUEST_MODEL });
    const boss = new suite.agents.Agent({
      name: 'Boss',
      instructions: 'Ask the French agent.',
      model: REQUEST_MODEL,
      tools: [french.asTool({ toolName: 'ask_french', toolDescription: 'Asks the French agent' })],
    });
    const result = await tracing.inParent('app', () => suite.agents.run(boss, 'Weather in Paris, in French?'));
    expect(result.finalOutput).to.equal('Done: Il fait beau.');

    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(AGENT_AS_TOOL_TREE);
    const tool = only(spans, 'ask_french');
    expect(JSON.parse(tool.attributes['input.value'] as string)).to.deep.equal({ input: 'Paris?' });
    expect(tool.attributes['output.value']).to.equal('Il fait beau.');
    const frenchSpan = only(spans, 'French agent');
    expect(isUnder(spans, frenchSpan, tool)).to.equal(true);
    expect(frenchSpan.attributes['output.value']).to.equal('Il fait beau.');
    expect(only(spans, 'Boss').attributes['output.value']).to.equal('Done: Il fait beau.');

    const llms = expectOneLlmSpanPerRequest(suite, spans);
    expect(llms.map((llm) => isUnder(spans, llm, tool))).to.deep.equal([false, true, false]);
    expectOnlyErrors(spans);
    expectAllEnded(suite);
  });

  it('an agent as a tool in a streamed run: the same nesting, every span ended when the stream completes', async () => {
    suite.server.handle(scripted([calls('ask_french', { input: 'Paris?' }, 1), says('Il fait beau.', 2), says('Done: Il fait beau.', 3)]));
    const french = new suite.agents.Agent({ name: 'French agent', instructions: 'Answer in French.', model: REQUEST_MODEL });
    const boss = new suite.agents.Agent({
      name: 'Boss',
      instructions: 'Ask the French agent.',
      model: REQUEST_MODEL,
      tools: [french.asTool({ toolName: 'ask_french', toolDescription: 'Asks the French agent' })],
    });
    await tracing.inParent('app', async () => {
      const streamed = await suite.agents.run(boss, 'Weather in Paris, in French?', { stream: true });
      for await (const event of streamed) void event;
      await streamed.completed;
      expect(streamed.finalOutput).to.equal('Done: Il fait beau.');
    });
    expectAllEnded(suite);
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(AGENT_AS_TOOL_TREE);
    expectOneLlmSpanPerRequest(suite, spans);
    expectOnlyErrors(spans);
  });
});
