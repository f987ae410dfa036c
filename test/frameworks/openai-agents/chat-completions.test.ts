import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { calls, CHAT_RESPONSE_MODEL, says, scripted } from './fixtures';
import { REQUEST_MODEL, useAgentsSuite } from './suite';
import { expectAllEnded, expectOneLlmSpanPerRequest, expectOneTree, expectOnlyErrors, only, outline, WEATHER_QUESTION } from './tree';

const TREE = [
  'app -',
  '  Agent workflow CHAIN',
  '    Weather agent AGENT',
  `      chat ${REQUEST_MODEL} LLM`,
  '      get_weather TOOL',
  `      chat ${REQUEST_MODEL} LLM`,
];

describe('OpenAI Agents: the Chat Completions path (generation spans merged into our LLM spans the same way)', function () {
  const suite = useAgentsSuite();
  const { tracing } = suite;

  function script() {
    suite.server.handle(scripted([calls('get_weather', { city: 'Paris' }, 1), says('It is sunny in Paris.', 2)]));
  }

  function expectChatTree(spans: ReadableSpan[]): void {
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(TREE);
    expect(suite.server.requests.map((r) => r.path)).to.deep.equal(['/v1/chat/completions', '/v1/chat/completions']);
    const [first, second] = expectOneLlmSpanPerRequest(suite, spans, CHAT_RESPONSE_MODEL);
    expect(first.attributes['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":"Paris"}');
    expect(second.attributes['llm.output_messages.0.message.content']).to.equal('It is sunny in Paris.');
    const tool = only(spans, 'get_weather');
    expect(tool.attributes['output.value']).to.equal('sunny in Paris');
    expect(only(spans, 'Agent workflow').attributes['output.value']).to.equal('It is sunny in Paris.');
    expectOnlyErrors(spans);
    expectAllEnded(suite);
  }

  it('setOpenAIAPI(\'chat_completions\'), JSON: the same tree, one LLM span per request, exact tokens', async () => {
    suite.agents.setOpenAIAPI('chat_completions');
    script();
    const agent = new suite.agents.Agent({ name: 'Weather agent', instructions: 'Answer.', model: REQUEST_MODEL, tools: [suite.weatherTool()] });
    const result = await tracing.inParent('app', () => suite.agents.run(agent, WEATHER_QUESTION));
    expect(result.finalOutput).to.equal('It is sunny in Paris.');
    expectChatTree(await tracing.spans());
    expect(suite.recorder.started()).to.deep.equal(['task Agent workflow', 'agent Weather agent', 'turn', 'generation', 'function get_weather', 'turn', 'generation']);
  });

  it('OpenAIChatCompletionsModel, streamed (chunks and the usage chunk): the same tree and tokens', async () => {
    script();
    const model = new suite.agents.OpenAIChatCompletionsModel(suite.agents.getDefaultOpenAIClient() as never, REQUEST_MODEL);
    const agent = new suite.agents.Agent({ name: 'Weather agent', instructions: 'Answer.', model, tools: [suite.weatherTool()] });
    await tracing.inParent('app', async () => {
      const streamed = await suite.agents.run(agent, WEATHER_QUESTION, { stream: true });
      for await (const event of streamed) void event;
      await streamed.completed;
      expect(streamed.finalOutput).to.equal('It is sunny in Paris.');
    });
    expect(suite.server.requests.map((r) => [r.body.stream, r.body.stream_options])).to.deep.equal([
      [true, { include_usage: true }],
      [true, { include_usage: true }],
    ]);
    expectChatTree(await tracing.spans());
  });
});
