import { expect } from 'chai';
import { calls, says, scripted } from './fixtures';
import { REQUEST_MODEL, useAgentsSuite } from './suite';
import { expectAllEnded, expectOneLlmSpanPerRequest, expectOneTree, outline, WEATHER_QUESTION } from './tree';

const LLM = `chat ${REQUEST_MODEL} LLM`;

describe('OpenAI Agents: the SDK\'s own trace processors keep receiving everything', function () {
  const suite = useAgentsSuite();
  const { tracing } = suite;

  function weatherAgent() {
    return new suite.agents.Agent({ name: 'Weather agent', instructions: 'Answer.', model: REQUEST_MODEL, tools: [suite.weatherTool()] });
  }

  async function runWeather(): Promise<void> {
    suite.server.handle(scripted([calls('get_weather', { city: 'Paris' }, 1), says('Sunny.', 2)]));
    suite.server.requests.length = 0;
    await tracing.inParent('app', () => suite.agents.run(weatherAgent(), WEATHER_QUESTION));
    // The trace's end reaches the processors as the run resolves; a flush lets every event arrive.
    await suite.agents.getGlobalTraceProvider().forceFlush();
  }

  it('the app\'s processor (addTraceProcessor) gets every trace and span event, the same with the bridge as without it', async () => {
    suite.instrumentation.disable();
    try {
      await runWeather();
    } finally {
      suite.instrumentation.enable();
    }
    const withoutUs = [...suite.recorder.events];
    expect(await tracing.spans(), 'no span of ours while disabled').to.have.length(1);
    tracing.reset();
    suite.recorder.events.length = 0;

    await runWeather();
    expect(suite.recorder.events).to.deep.equal(withoutUs);
    expect(suite.recorder.events).to.deep.equal([
      'trace_start Agent workflow',
      'start task Agent workflow',
      'start agent Weather agent',
      'start turn',
      'start response',
      'end response',
      'start function get_weather',
      'end function get_weather',
      'start turn',
      'end turn',
      'start response',
      'end response',
      'end turn',
      'end agent Weather agent',
      'end task Agent workflow',
      'trace_end Agent workflow',
    ]);
    expect(outline(await tracing.spans())).to.have.length(6);
  });

  it('after setTraceProcessors([]) the bridge still renders the whole tree (and the app\'s processor, removed, gets nothing)', async () => {
    suite.agents.setTraceProcessors([]);
    try {
      await runWeather();
    } finally {
      suite.restoreProcessors();
    }
    expect(suite.recorder.events).to.deep.equal([]);
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Weather agent AGENT', `      ${LLM}`, '      get_weather TOOL', `      ${LLM}`]);
    expectOneLlmSpanPerRequest(suite, spans);
    expectAllEnded(suite);
  });

  it('the SDK\'s OpenAI exporter, with no tracing key, sends nothing: a flush leaves the machine never', async () => {
    await runWeather();
    await suite.agents.getGlobalTraceProvider().forceFlush();
    expect(suite.guard.outside).to.deep.equal([]);
    expect(suite.server.requests.map((r) => r.path)).to.deep.equal(['/v1/responses', '/v1/responses']);
  });
});
