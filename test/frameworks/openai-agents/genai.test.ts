import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { calls, says, scripted, usageOf } from './fixtures';
import { REQUEST_MODEL, useAgentsSuite } from './suite';
import { expectAllEnded, expectOneTree, only, outline, WEATHER_QUESTION } from './tree';

/** The attributes of `span` whose keys start with one of `prefixes`, for an exact comparison. */
function pick(span: ReadableSpan, ...prefixes: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(span.attributes).filter(([key]) => prefixes.some((p) => key.startsWith(p))));
}

describe('OpenAI Agents: the OpenTelemetry GenAI conventions (semconv: gen_ai)', function () {
  const suite = useAgentsSuite();
  const { tracing } = suite;

  async function runHandoff(): Promise<ReadableSpan[]> {
    suite.server.handle(scripted([calls('get_weather', { city: 'Paris' }, 1), calls('transfer_to_French_agent', {}, 2), says('Il fait beau.', 3)]));
    const french = new suite.agents.Agent({ name: 'French agent', instructions: 'French.', model: REQUEST_MODEL });
    const triage = new suite.agents.Agent({
      name: 'Triage',
      instructions: 'Help.',
      model: REQUEST_MODEL,
      tools: [suite.weatherTool()],
      handoffs: [french],
      inputGuardrails: [{ name: 'moderation', runInParallel: false, execute: async () => ({ tripwireTriggered: false, outputInfo: {} }) }],
    });
    await tracing.inParent('app', () => suite.agents.run(triage, WEATHER_QUESTION));
    const spans = await tracing.spans();
    expectOneTree(spans);
    expectAllEnded(suite);
    return spans;
  }

  it('gen_ai alone: invoke_agent / execute_tool names, the agent and tool keys, exact gen_ai.usage on each chat span', async () => {
    suite.instrumentation.setConfig({ semconv: 'gen_ai' });
    const spans = await runHandoff();
    expect(outline(spans)).to.deep.equal([
      'app -',
      '  Agent workflow -',
      '    invoke_agent Triage -',
      '      moderation -',
      `      chat ${REQUEST_MODEL} -`,
      '      execute_tool get_weather -',
      `      chat ${REQUEST_MODEL} -`,
      '      execute_tool handoff -',
      '    invoke_agent French agent -',
      `      chat ${REQUEST_MODEL} -`,
    ]);
    expect(pick(only(spans, 'invoke_agent Triage'), 'gen_ai.')).to.deep.equal({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'Triage' });
    expect(pick(only(spans, 'execute_tool get_weather'), 'gen_ai.')).to.deep.equal({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.arguments': '{"city":"Paris"}',
      'gen_ai.tool.call.result': 'sunny in Paris',
    });
    const chats = spans.filter((s) => s.name === `chat ${REQUEST_MODEL}`);
    expect(chats).to.have.length(suite.server.requests.length).and.length(3);
    chats.forEach((chat, i) => {
      const usage = usageOf(i + 1);
      expect(pick(chat, 'gen_ai.usage.')).to.deep.equal({
        'gen_ai.usage.input_tokens': usage.input,
        'gen_ai.usage.output_tokens': usage.output,
        'gen_ai.usage.cache_read.input_tokens': usage.cached,
        'gen_ai.usage.reasoning.output_tokens': usage.reasoning,
      });
    });
  });

  it('gen_ai alone still writes Infinium\'s own keys: the handoff\'s agents and whether the guardrail tripped', async () => {
    suite.instrumentation.setConfig({ semconv: 'gen_ai' });
    const spans = await runHandoff();
    expect(pick(only(spans, 'execute_tool handoff'), 'infinium.')).to.deep.equal({
      'infinium.handoff.from_agent': 'Triage',
      'infinium.handoff.to_agent': 'French agent',
    });
    expect(pick(only(spans, 'moderation'), 'infinium.')).to.deep.equal({ 'infinium.guardrail.triggered': false });
  });

  it('both conventions: the OpenInference names and kinds, the GenAI keys beside them', async () => {
    suite.instrumentation.setConfig({ semconv: 'openinference,gen_ai' });
    const spans = await runHandoff();
    expect(outline(spans)).to.deep.equal([
      'app -',
      '  Agent workflow CHAIN',
      '    Triage AGENT',
      '      moderation GUARDRAIL',
      `      chat ${REQUEST_MODEL} LLM`,
      '      get_weather TOOL',
      `      chat ${REQUEST_MODEL} LLM`,
      '      handoff to French agent TOOL',
      '    French agent AGENT',
      `      chat ${REQUEST_MODEL} LLM`,
    ]);
    expect(only(spans, 'French agent').attributes['gen_ai.agent.name']).to.equal('French agent');
    expect(only(spans, 'handoff to French agent').attributes['infinium.handoff.to_agent']).to.equal('French agent');
  });
});
