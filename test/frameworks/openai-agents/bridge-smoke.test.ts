import { expect } from 'chai';
import { completeRecord, getAgentInput, getAgentOutput, getSpanFailure, getStartRecord } from '../../../lib/frameworks/openai-agents/span-records';
import { calls, RESPONSE_MODEL, responseJson, says } from './fixtures';
import { REQUEST_MODEL, useAgentsSuite } from './suite';
import { expectAllEnded, expectOneTree, kindOf, only, outline, tokensOf, tokensOfRequest, WEATHER_QUESTION } from './tree';

/**
 * The bridge's fallback for a `response` span nothing of ours claimed: the SDK's own Responses model over a
 * client that is not the `openai` package we patch (a proxy client of the app's), so no LLM span of ours is
 * made inside the request, and the bridge renders the SDK's span as the request's one LLM span.
 */
describe('OpenAI Agents bridge: an unclaimed response span is the one LLM span, from the SDK\'s data', function () {
  const suite = useAgentsSuite();
  const { tracing } = suite;

  it('a Responses model over a client we do not patch: one LLM span per request, model, tokens and messages from the response', async () => {
    const turns = [calls('get_weather', { city: 'Paris' }, 1), says('Sunny in Paris.', 2)];
    let n = 0;
    const client = {
      baseURL: 'http://127.0.0.1:1/v1',
      responses: { create: async () => responseJson(turns[n], ++n) },
    };
    const model = new suite.agents.OpenAIResponsesModel(client as never, REQUEST_MODEL);
    const agent = new suite.agents.Agent({ name: 'Weather agent', instructions: 'Answer.', model, tools: [suite.weatherTool()] });
    const result = await tracing.inParent('app', () => suite.agents.run(agent, WEATHER_QUESTION));
    expect(result.finalOutput).to.equal('Sunny in Paris.');
    expect(suite.server.requests).to.have.length(0);

    const spans = await tracing.spans();
    expectOneTree(spans);
    const llm = `chat ${RESPONSE_MODEL} LLM`;
    expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Weather agent AGENT', `      ${llm}`, '      get_weather TOOL', `      ${llm}`]);
    const [first, second] = spans.filter((s) => kindOf(s) === 'LLM').sort((a, b) => a.attributes['llm.token_count.prompt']! > b.attributes['llm.token_count.prompt']! ? 1 : -1);
    expect(tokensOf(first)).to.deep.equal(tokensOfRequest(1));
    expect(tokensOf(second)).to.deep.equal(tokensOfRequest(2));
    expect(first.attributes['llm.model_name']).to.equal(RESPONSE_MODEL);
    expect(first.attributes['llm.input_messages.0.message.content']).to.equal(WEATHER_QUESTION);
    expect(first.attributes['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
    expect(second.attributes['llm.output_messages.0.message.content']).to.equal('Sunny in Paris.');
    // The request that answered the tool call carries the tool's result, on its call id.
    const toolResult = Object.entries(second.attributes).find(([key, value]) => key.endsWith('.message.role') && value === 'tool');
    expect(toolResult, 'a tool message in the second request').to.not.equal(undefined);
    expect(kindOf(only(spans, 'get_weather'))).to.equal('TOOL');
    expectAllEnded(suite);
  });
});

describe('OpenAI Agents bridge: span data to run records (the span types the SDK tests do not reach)', () => {
  it('mcp_tools: a CHAIN named after its server, the tools listed as its output', () => {
    const data = { type: 'mcp_tools', server: 'files' };
    const record = getStartRecord('mcp_tools', data, 5)!;
    expect(record).to.deep.equal({ kind: 'CHAIN', name: 'mcp_tools files', startedAt: 5 });
    completeRecord(record, 'mcp_tools', { ...data, result: ['read', 'write'] });
    expect(record.output).to.deep.equal(['read', 'write']);
  });

  it('an MCP tool call: its mcp_data as metadata; a handoff named when its target is known', () => {
    const tool = getStartRecord('function', { type: 'function', name: 'read' }, 0)!;
    completeRecord(tool, 'function', { type: 'function', name: 'read', input: '{"path":"a"}', output: 'x', mcp_data: '{"server":"files"}' });
    expect([tool.input, tool.output, tool.metadata]).to.deep.equal([{ path: 'a' }, 'x', { mcp_data: { server: 'files' } }]);
    const handoff = getStartRecord('handoff', { type: 'handoff', from_agent: 'A' }, 0)!;
    expect(handoff.name).to.equal('handoff');
    completeRecord(handoff, 'handoff', { type: 'handoff', from_agent: 'A', to_agent: 'B' });
    expect([handoff.name, handoff.handoff]).to.deep.equal(['handoff to B', { fromAgent: 'A', toAgent: 'B' }]);
  });

  it('not rendered: turn, transcription, speech, speech_group, and a type the SDK may add', () => {
    for (const type of ['turn', 'transcription', 'speech', 'speech_group', 'something_new', undefined]) {
      expect(getStartRecord(type, { type }, 0), String(type)).to.equal(undefined);
    }
  });

  it('inputs, outputs and failures as the app sees them', () => {
    expect(getAgentInput([{ role: 'user', content: 'hi' }])).to.equal('hi');
    const items = [{ role: 'user', content: 'hi' }, { role: 'user', content: 'again' }];
    expect(getAgentInput(items)).to.equal(items);
    expect(getAgentOutput({ outputType: 'text' }, '{"a":1}')).to.equal('{"a":1}');
    expect(getAgentOutput({ outputType: {} }, '{"a":1}')).to.deep.equal({ a: 1 });
    expect(getAgentOutput({ outputType: {} }, 'not json')).to.equal('not json');
    expect(getSpanFailure({ message: 'Error running tool', data: { error: 'boom' } }).message).to.equal('Error running tool: boom');
    expect(getSpanFailure({ message: 'Guardrail tripwire triggered', data: { guardrail: 'g' } }).message).to.equal('Guardrail tripwire triggered');
  });
});
