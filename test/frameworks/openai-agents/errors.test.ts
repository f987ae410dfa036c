import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { calls, says, scripted } from './fixtures';
import { REQUEST_MODEL, useAgentsSuite } from './suite';
import {
  expectAllEnded, expectChildOf, expectOneLlmSpanPerRequest, expectOneTree, expectOnlyErrors, kindOf, only, outline, WEATHER_QUESTION,
} from './tree';

const LLM = `chat ${REQUEST_MODEL} LLM`;

/**
 * ERROR with exactly one exception event carrying `message`: the SDK's own words for the failure and, where
 * the SDK records it, the error's text (`<span error message>: <data.error>`).
 */
function expectFailed(span: ReadableSpan, message: string): void {
  expect(span.status.code, `${span.name} status`).to.equal(SpanStatusCode.ERROR);
  const exceptions = span.events.filter((e) => e.name === 'exception');
  expect(exceptions, `${span.name} exception events`).to.have.length(1);
  expect(exceptions[0].attributes?.['exception.message'], `${span.name} exception.message`).to.equal(message);
}

const AGENT_RUN_ERROR = 'Error in agent run';

/** What the app caught from `fn`: the error itself, untouched. */
async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the run to reject');
}

describe('OpenAI Agents: a tool that throws, guardrails passed and tripped', function () {
  const suite = useAgentsSuite();
  const { tracing } = suite;

  function weatherAgent(options: Record<string, unknown> = {}) {
    return new suite.agents.Agent({ name: 'Weather agent', instructions: 'Answer.', model: REQUEST_MODEL, tools: [suite.weatherTool()], ...options });
  }

  it('a tool that throws (the SDK\'s default error function): the TOOL span ERROR with an exception event, the run goes on OK', async () => {
    suite.server.handle(scripted([calls('get_weather', { city: 'Atlantis' }, 1), says('No station there.', 2)]));
    const result = await tracing.inParent('app', () => suite.agents.run(weatherAgent(), 'Weather in Atlantis?'));
    expect(result.finalOutput).to.equal('No station there.');

    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Weather agent AGENT', `      ${LLM}`, '      get_weather TOOL', `      ${LLM}`]);
    const tool = only(spans, 'get_weather');
    expectFailed(tool, 'Error running tool (non-fatal): Tool execution failed. Error details are redacted.');
    expect(JSON.parse(tool.attributes['input.value'] as string)).to.deep.equal({ city: 'Atlantis' });
    // What the SDK gave the model instead of a result.
    expect(tool.attributes['output.value']).to.equal('An error occurred while running the tool. Please try again.');
    expectOnlyErrors(spans, [tool]);
    expectOneLlmSpanPerRequest(suite, spans);
    expectAllEnded(suite);
  });

  it('a tool that throws with errorFunction: null: TOOL, AGENT and CHAIN ERROR, the app gets the SDK\'s ToolCallError unchanged', async () => {
    suite.server.handle(scripted([calls('get_weather', { city: 'Atlantis' }, 1)]));
    const fatalTool = suite.agents.tool({
      name: 'get_weather',
      description: 'The weather of a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
      strict: true,
      errorFunction: null,
      execute: async () => {
        throw new Error('no weather station in Atlantis');
      },
    });
    const error = await tracing.inParent('app', () => caught(() => suite.agents.run(weatherAgent({ tools: [fatalTool] }), 'Weather in Atlantis?')));
    expect(error).to.be.instanceOf(suite.agents.ToolCallError);
    expect((error as Error).message).to.equal('Failed to run function tools: Error: no weather station in Atlantis');

    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Weather agent AGENT', `      ${LLM}`, '      get_weather TOOL']);
    const [tool, agent, chain] = [only(spans, 'get_weather'), only(spans, 'Weather agent'), only(spans, 'Agent workflow')];
    expectFailed(tool, 'Error running tool: Error: no weather station in Atlantis');
    const runError = `${AGENT_RUN_ERROR}: ToolCallError: Failed to run function tools: Error: no weather station in Atlantis`;
    expectFailed(agent, runError);
    expectFailed(chain, runError);
    expectOnlyErrors(spans, [tool, agent, chain]);
    expectOneLlmSpanPerRequest(suite, spans);
    expectAllEnded(suite);
  });

  describe('guardrails', () => {
    const inputGuardrail = (tripped: boolean) => ({
      name: 'no_math',
      runInParallel: false,
      execute: async () => ({ tripwireTriggered: tripped, outputInfo: { reason: tripped ? 'math' : 'fine' } }),
    });
    const outputGuardrail = (tripped: boolean) => ({
      name: 'no_shouting',
      execute: async () => ({ tripwireTriggered: tripped, outputInfo: { reason: tripped ? 'shouting' : 'fine' } }),
    });

    function expectGuardrail(spans: ReadableSpan[], name: string, triggered: boolean, parent: ReadableSpan): ReadableSpan {
      const guardrail = only(spans, name);
      expect(kindOf(guardrail)).to.equal('GUARDRAIL');
      expect(guardrail.attributes['infinium.guardrail.triggered']).to.equal(triggered);
      expectChildOf(guardrail, parent);
      return guardrail;
    }

    it('input guardrail not tripped: a GUARDRAIL span (triggered false) before the LLM span, all OK', async () => {
      suite.server.handle(scripted([says('Sunny.', 1)]));
      const result = await tracing.inParent('app', () => suite.agents.run(weatherAgent({ inputGuardrails: [inputGuardrail(false)] }), WEATHER_QUESTION));
      expect(result.finalOutput).to.equal('Sunny.');
      const spans = await tracing.spans();
      expectOneTree(spans);
      expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Weather agent AGENT', '      no_math GUARDRAIL', `      ${LLM}`]);
      expectGuardrail(spans, 'no_math', false, only(spans, 'Weather agent'));
      expectOnlyErrors(spans);
      expectOneLlmSpanPerRequest(suite, spans);
      expectAllEnded(suite);
    });

    it('input guardrail tripped: GUARDRAIL triggered, AGENT and CHAIN ERROR, no model request, the app catches InputGuardrailTripwireTriggered', async () => {
      suite.server.handle(scripted([]));
      const error = await tracing.inParent('app', () =>
        caught(() => suite.agents.run(weatherAgent({ inputGuardrails: [inputGuardrail(true)] }), 'What is 2 + 2?')),
      );
      expect(error).to.be.instanceOf(suite.agents.InputGuardrailTripwireTriggered);
      expect(suite.server.requests).to.have.length(0);

      const spans = await tracing.spans();
      expectOneTree(spans);
      expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Weather agent AGENT', '      no_math GUARDRAIL']);
      const [agent, chain] = [only(spans, 'Weather agent'), only(spans, 'Agent workflow')];
      expectGuardrail(spans, 'no_math', true, agent);
      const runError = `${AGENT_RUN_ERROR}: InputGuardrailTripwireTriggered: Input guardrail triggered: {"reason":"math"}`;
      expectFailed(agent, runError);
      expectFailed(chain, runError);
      expectOnlyErrors(spans, [agent, chain]);
      expectAllEnded(suite);
    });

    it('output guardrail not tripped: the GUARDRAIL span (triggered false) after the LLM span, all OK', async () => {
      suite.server.handle(scripted([says('Sunny.', 1)]));
      const result = await tracing.inParent('app', () => suite.agents.run(weatherAgent({ outputGuardrails: [outputGuardrail(false)] }), WEATHER_QUESTION));
      expect(result.finalOutput).to.equal('Sunny.');
      const spans = await tracing.spans();
      expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Weather agent AGENT', `      ${LLM}`, '      no_shouting GUARDRAIL']);
      expectGuardrail(spans, 'no_shouting', false, only(spans, 'Weather agent'));
      expectOnlyErrors(spans);
      expectOneLlmSpanPerRequest(suite, spans);
      expectAllEnded(suite);
    });

    it('output guardrail tripped: GUARDRAIL triggered, AGENT and CHAIN ERROR, the app catches OutputGuardrailTripwireTriggered', async () => {
      suite.server.handle(scripted([says('SUNNY!', 1)]));
      const error = await tracing.inParent('app', () =>
        caught(() => suite.agents.run(weatherAgent({ outputGuardrails: [outputGuardrail(true)] }), WEATHER_QUESTION)),
      );
      expect(error).to.be.instanceOf(suite.agents.OutputGuardrailTripwireTriggered);
      expect((error as Error).message).to.equal('Output guardrail triggered: {"reason":"shouting"}');

      const spans = await tracing.spans();
      expectOneTree(spans);
      expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Weather agent AGENT', `      ${LLM}`, '      no_shouting GUARDRAIL']);
      const [agent, chain] = [only(spans, 'Weather agent'), only(spans, 'Agent workflow')];
      expectGuardrail(spans, 'no_shouting', true, agent);
      const runError = `${AGENT_RUN_ERROR}: OutputGuardrailTripwireTriggered: Output guardrail triggered: {"reason":"shouting"}`;
      expectFailed(agent, runError);
      expectFailed(chain, runError);
      expectOnlyErrors(spans, [agent, chain]);
      expectOneLlmSpanPerRequest(suite, spans);
      expectAllEnded(suite);
    });
  });
});
