import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { calls, says, scripted } from './fixtures';
import { REQUEST_MODEL, useAgentsSuite } from './suite';
import {
  expectAllEnded, expectChildOf, expectOneLlmSpanPerRequest, expectOneTree, expectOnlyErrors, kindOf, only, outline, WEATHER_QUESTION,
} from './tree';

/** The SDK's own spans for one agent, one tool call, as it hands them to its processors. */
const SDK_SPANS = ['task Agent workflow', 'agent Weather agent', 'turn', 'response', 'function get_weather', 'turn', 'response'];

const TREE = [
  'app -',
  '  Agent workflow CHAIN',
  '    Weather agent AGENT',
  `      chat ${REQUEST_MODEL} LLM`,
  '      get_weather TOOL',
  `      chat ${REQUEST_MODEL} LLM`,
];

describe('OpenAI Agents: one agent, one tool call, through the real SDK and a fake Responses API', function () {
  const suite = useAgentsSuite();
  const { tracing } = suite;

  function weatherAgent() {
    return new suite.agents.Agent({ name: 'Weather agent', instructions: 'Answer with the weather.', model: REQUEST_MODEL, tools: [suite.weatherTool()] });
  }

  function script() {
    suite.server.handle(scripted([calls('get_weather', { city: 'Paris' }, 1), says('It is sunny in Paris.', 2)]));
  }

  /** The checks both the plain and the streamed run pass. */
  function expectWeatherTree(spans: ReadableSpan[]): void {
    const app = expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(TREE);
    const chain = only(spans, 'Agent workflow');
    const agent = only(spans, 'Weather agent');
    const tool = only(spans, 'get_weather');
    expectChildOf(chain, app);
    expectChildOf(agent, chain);

    expect(chain.attributes['input.value']).to.equal(WEATHER_QUESTION);
    expect(chain.attributes['output.value']).to.equal('It is sunny in Paris.');
    expect(agent.attributes['agent.name']).to.equal('Weather agent');
    expect(agent.attributes['input.value']).to.equal(WEATHER_QUESTION);
    expect(agent.attributes['output.value']).to.equal('It is sunny in Paris.');

    expect(kindOf(tool)).to.equal('TOOL');
    expect(tool.attributes['tool.name']).to.equal('get_weather');
    // Arguments that parse as a JSON object are recorded as JSON, as for LangChain's tools.
    expect([tool.attributes['input.value'], tool.attributes['input.mime_type']]).to.deep.equal(['{"city":"Paris"}', 'application/json']);
    expect([tool.attributes['output.value'], tool.attributes['output.mime_type']]).to.deep.equal(['sunny in Paris', 'text/plain']);

    const [first, second] = expectOneLlmSpanPerRequest(suite, spans);
    expect(suite.server.requests).to.have.length(2);
    for (const llm of [first, second]) expectChildOf(llm, agent);
    expect(first.attributes['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
    expect(first.attributes['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":"Paris"}');
    expect(second.attributes['llm.output_messages.0.message.content']).to.equal('It is sunny in Paris.');
    expectOnlyErrors(spans);
    expectAllEnded(suite);
  }

  it('app → CHAIN "Agent workflow" → AGENT → LLM, TOOL, LLM: one LLM span per request, exact tokens, input and output', async () => {
    script();
    const result = await tracing.inParent('app', () => suite.agents.run(weatherAgent(), WEATHER_QUESTION));
    expect(result.finalOutput).to.equal('It is sunny in Paris.');
    expect(suite.server.requests.map((r) => [r.path, r.body.model, r.body.stream ?? false])).to.deep.equal([
      ['/v1/responses', REQUEST_MODEL, false],
      ['/v1/responses', REQUEST_MODEL, false],
    ]);
    expectWeatherTree(await tracing.spans());
    expect(suite.recorder.started()).to.deep.equal(SDK_SPANS);
  });

  it('stream: true, read to the end: the same tree, tokens from response.completed, every span ended', async () => {
    script();
    const result = await tracing.inParent('app', async () => {
      const streamed = await suite.agents.run(weatherAgent(), WEATHER_QUESTION, { stream: true });
      const text: string[] = [];
      for await (const event of streamed) {
        if (event.type === 'raw_model_stream_event' && event.data.type === 'output_text_delta') text.push(event.data.delta);
      }
      await streamed.completed;
      expect(text.join('')).to.equal('It is sunny in Paris.');
      return streamed;
    });
    expect(result.finalOutput).to.equal('It is sunny in Paris.');
    expect(suite.server.requests.map((r) => r.body.stream)).to.deep.equal([true, true]);
    expectWeatherTree(await tracing.spans());
    expect(suite.recorder.started()).to.deep.equal(SDK_SPANS);
  });

  it('without an app span: the CHAIN span is the root of its own trace', async () => {
    script();
    await suite.agents.run(weatherAgent(), WEATHER_QUESTION);
    const spans = await tracing.spans();
    const root = expectOneTree(spans);
    expect(root.name).to.equal('Agent workflow');
    expect(outline(spans)).to.deep.equal(TREE.slice(1).map((line) => line.slice(2)));
    expectAllEnded(suite);
  });

  it('two runs one after the other under one app span: two CHAIN trees side by side, nothing shared', async () => {
    suite.server.handle(
      scripted([calls('get_weather', { city: 'Paris' }, 1), says('Sunny.', 2), calls('get_weather', { city: 'Oslo' }, 3), says('Sunny too.', 4)]),
    );
    await tracing.inParent('app', async () => {
      await suite.agents.run(weatherAgent(), WEATHER_QUESTION);
      await suite.agents.run(weatherAgent(), 'And in Oslo?');
    });
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal([...TREE, ...TREE.slice(1)]);
    expectOneLlmSpanPerRequest(suite, spans);
    expectAllEnded(suite);
  });
});
