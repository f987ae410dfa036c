import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { calls, says, scripted } from './fixtures';
import { REQUEST_MODEL, useAgentsSuite } from './suite';
import { expectAllEnded, expectOneLlmSpanPerRequest, expectOneTree, expectOnlyErrors, kindOf, only, outline, WEATHER_QUESTION } from './tree';

const LLM = `chat ${REQUEST_MODEL} LLM`;

describe('OpenAI Agents: the app\'s own traces and custom spans, model failures, run options', function () {
  const suite = useAgentsSuite();
  const { tracing } = suite;

  function agent(name = 'Weather agent') {
    return new suite.agents.Agent({ name, instructions: 'Answer.', model: REQUEST_MODEL, tools: [suite.weatherTool()] });
  }

  it('withTrace around two runs and a custom span: each run its CHAIN, the custom span a CHAIN with its data as metadata', async () => {
    suite.server.handle(scripted([says('Sunny.', 1), says('Rainy.', 2)]));
    await tracing.inParent('app', () =>
      suite.agents.withTrace('Two questions', async () => {
        await suite.agents.run(agent(), WEATHER_QUESTION);
        await suite.agents.withCustomSpan(async () => suite.agents.run(agent('Second agent'), 'And in Oslo?'), { data: { name: 'second step', data: { step: 2 } } });
      }),
    );
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal([
      'app -',
      '  Agent workflow CHAIN',
      '    Weather agent AGENT',
      `      ${LLM}`,
      '  second step CHAIN',
      '    Agent workflow CHAIN',
      '      Second agent AGENT',
      `        ${LLM}`,
    ]);
    expect(JSON.parse(String(only(spans, 'second step').attributes['metadata']))).to.deep.equal({ step: 2 });
    expectOneLlmSpanPerRequest(suite, spans);
    expectOnlyErrors(spans);
    expectAllEnded(suite);
  });

  it('a tool body that opens its own trace (withTrace) and runs an agent in it: that whole run nested under the TOOL span', async () => {
    suite.server.handle(scripted([calls('consult', { topic: 'rain' }, 1), says('Rain expected.', 2), says('It will rain.', 3)]));
    const expert = new suite.agents.Agent({ name: 'Expert', instructions: 'Forecast.', model: REQUEST_MODEL });
    const consult = suite.agents.tool({
      name: 'consult',
      description: 'Asks the expert in a workflow of its own',
      parameters: { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'], additionalProperties: false },
      strict: true,
      execute: async (input: unknown) =>
        suite.agents.withTrace('Expert consultation', async () => {
          const result = await suite.agents.run(expert, `About ${(input as { topic: string }).topic}?`);
          return String(result.finalOutput);
        }),
    });
    const boss = new suite.agents.Agent({ name: 'Boss', instructions: 'Ask.', model: REQUEST_MODEL, tools: [consult] });
    const result = await tracing.inParent('app', () => suite.agents.run(boss, 'Will it rain?'));
    expect(result.finalOutput).to.equal('It will rain.');
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal([
      'app -',
      '  Agent workflow CHAIN',
      '    Boss AGENT',
      `      ${LLM}`,
      '      consult TOOL',
      '        Agent workflow CHAIN',
      '          Expert AGENT',
      `            ${LLM}`,
      `      ${LLM}`,
    ]);
    expectOneLlmSpanPerRequest(suite, spans);
    expectAllEnded(suite);
  });

  it('custom span data whose reads throw: the app\'s work goes on, the CHAIN span still ends, nothing thrown at the app', async () => {
    suite.server.handle(scripted([says('Sunny.', 1)]));
    const hostile = Object.defineProperty({}, 'note', { enumerable: true, get: () => { throw new Error('unreadable'); } });
    const result = await tracing.inParent('app', () =>
      suite.agents.withTrace('Hostile', () =>
        suite.agents.withCustomSpan(async () => suite.agents.run(agent(), WEATHER_QUESTION), { data: { name: 'odd step', data: hostile } }),
      ),
    );
    expect(result.finalOutput).to.equal('Sunny.');
    const spans = await tracing.spans();
    expect(outline(spans)).to.deep.equal(['app -', '  odd step CHAIN', '    Agent workflow CHAIN', '      Weather agent AGENT', `        ${LLM}`]);
    expectAllEnded(suite);
  });

  it('a Runner with traceIncludeSensitiveData: false: the SDK leaves tool arguments and results out of its spans, so do our TOOL spans; our LLM spans follow our own capture setting', async () => {
    suite.server.handle(scripted([calls('get_weather', { city: 'Paris' }, 1), says('Sunny.', 2)]));
    const runner = new suite.agents.Runner({ traceIncludeSensitiveData: false });
    await tracing.inParent('app', () => runner.run(agent(), WEATHER_QUESTION));
    const spans = await tracing.spans();
    expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Weather agent AGENT', `      ${LLM}`, '      get_weather TOOL', `      ${LLM}`]);
    const tool = only(spans, 'get_weather');
    expect([tool.attributes['tool.name'], tool.attributes['input.value'], tool.attributes['output.value']]).to.deep.equal(['get_weather', undefined, undefined]);
    expect(spans.filter((s) => kindOf(s) === 'LLM')[0].attributes['llm.input_messages.1.message.content']).to.equal(WEATHER_QUESTION);
    expectAllEnded(suite);
  });

  it('the model answers HTTP 500: the LLM span ERROR, AGENT and CHAIN ERROR, the app gets the SDK\'s own error unchanged', async () => {
    suite.server.reply({ status: 500, json: { error: { message: 'The server had an error', type: 'server_error' } } });
    let caught: unknown;
    await tracing.inParent('app', async () => {
      try {
        await suite.agents.run(agent(), WEATHER_QUESTION);
      } catch (err) {
        caught = err;
      }
    });
    expect(caught).to.be.instanceOf(Error);
    expect((caught as { status?: number }).status).to.equal(500);
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Weather agent AGENT', `      ${LLM}`]);
    const [llm, agentSpan, chain] = [only(spans, `chat ${REQUEST_MODEL}`), only(spans, 'Weather agent'), only(spans, 'Agent workflow')];
    for (const span of [llm, agentSpan, chain]) expect(span.status.code, `${span.name} status`).to.equal(SpanStatusCode.ERROR);
    expect(llm.attributes['error.type']).to.equal((caught as Error).constructor.name);
    expect(suite.server.requests).to.have.length(1);
    expectAllEnded(suite);
  });

  it('maxTurns exceeded: AGENT and CHAIN ERROR, the app gets MaxTurnsExceededError, one LLM span per request', async () => {
    suite.server.handle(scripted([calls('get_weather', { city: 'Paris' }, 1), calls('get_weather', { city: 'Paris' }, 2)]));
    let caught: unknown;
    await tracing.inParent('app', () => suite.agents.run(agent(), WEATHER_QUESTION, { maxTurns: 1 }).catch((err: unknown) => void (caught = err)));
    expect(caught).to.be.instanceOf(suite.agents.MaxTurnsExceededError);
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans).slice(0, 5)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Weather agent AGENT', `      ${LLM}`, '      get_weather TOOL']);
    expect(only(spans, 'Weather agent').status.code).to.equal(SpanStatusCode.ERROR);
    expect(only(spans, 'Agent workflow').status.code).to.equal(SpanStatusCode.ERROR);
    expectOneLlmSpanPerRequest(suite, spans);
    expectAllEnded(suite);
  });

  it('a run with tracingDisabled in its RunConfig (a Runner of the app\'s): only our LLM spans', async () => {
    suite.server.handle(scripted([calls('get_weather', { city: 'Paris' }, 1), says('Sunny.', 2)]));
    const runner = new suite.agents.Runner({ tracingDisabled: true });
    await tracing.inParent('app', () => runner.run(agent(), WEATHER_QUESTION));
    const spans = await tracing.spans();
    expect(outline(spans)).to.deep.equal(['app -', `  ${LLM}`, `  ${LLM}`]);
    expect(suite.recorder.events).to.deep.equal([]);
    expectAllEnded(suite);
  });

  it('a Runner with its own workflowName, and input given as items: the CHAIN named after the workflow, its input the items as JSON', async () => {
    suite.server.handle(scripted([says('Sunny.', 1)]));
    const runner = new suite.agents.Runner({ workflowName: 'Weather desk' });
    const input = [
      { role: 'user' as const, content: 'Hello' },
      { role: 'user' as const, content: WEATHER_QUESTION },
    ];
    await tracing.inParent('app', () => runner.run(agent(), input));
    const spans = await tracing.spans();
    expect(outline(spans)).to.deep.equal(['app -', '  Weather desk CHAIN', '    Weather agent AGENT', `      ${LLM}`]);
    const chain = only(spans, 'Weather desk');
    expect(kindOf(chain)).to.equal('CHAIN');
    expect(JSON.parse(String(chain.attributes['input.value'])).map((m: { content: string }) => m.content)).to.deep.equal(['Hello', WEATHER_QUESTION]);
    expect(chain.attributes['input.mime_type']).to.equal('application/json');
    expect(chain.attributes['output.value']).to.equal('Sunny.');
    expectAllEnded(suite);
  });
});
