import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { REDACTED } from '../../../lib/masking/mask';
import { cannedModel } from './canned-model';
import { calls, says, scripted } from './fixtures';
import { REQUEST_MODEL, useAgentsSuite } from './suite';
import { kindOf, ofKind, only, outline, parentOf } from './tree';

/**
 * Words only the app's content holds: the question, a tool argument and result, a guardrail's info, the
 * answers, and the messages of a model request only the SDK's span describes. A custom span's data is the
 * app's own label for it (`metadata`, as LangChain's run metadata): it stays, as the last test shows.
 */
const PLANTED = ['Zanzibar', 'Quokka', 'Xylophone', 'Kerguelen', 'Tasmanian', 'Platypus'];

/** Everything a span exports, as one text. */
function everythingOf(spans: ReadableSpan[]): string {
  return JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events, s.status]));
}

/** What must stay when content is hidden: the tree (names, kinds), the agent and tool names, and every token count. */
function shapeOf(spans: ReadableSpan[]) {
  const kept = (prefix: string) => spans.map((s) => Object.entries(s.attributes).filter(([k]) => k.startsWith(prefix))).filter((e) => e.length > 0);
  return {
    outline: outline(spans),
    tokens: kept('llm.token_count.'),
    models: kept('llm.model_name'),
    agents: kept('agent.name'),
    tools: kept('tool.name'),
    handoffs: kept('infinium.handoff.'),
    guardrails: kept('infinium.guardrail.'),
  };
}

describe('OpenAI Agents: capture-off and OPENINFERENCE_HIDE_* remove every text, and keep kinds, names and tokens', function () {
  const suite = useAgentsSuite();
  const { tracing } = suite;

  /** A handoff run with a tool call and a guardrail, with the planted words in its content. */
  async function runEverything(): Promise<ReadableSpan[]> {
    tracing.reset();
    suite.server.requests.length = 0;
    suite.server.handle(
      scripted([calls('get_weather', { city: 'Zanzibar' }, 1), calls('transfer_to_French_agent', {}, 2), says('Xylophone weather in Zanzibar.', 3)]),
    );
    const french = new suite.agents.Agent({ name: 'French agent', instructions: 'Answer in French, Tasmanian style.', model: REQUEST_MODEL });
    const triage = new suite.agents.Agent({
      name: 'Triage',
      instructions: 'Help.',
      model: REQUEST_MODEL,
      tools: [suite.weatherTool()],
      handoffs: [french],
      inputGuardrails: [{ name: 'moderation', runInParallel: false, execute: async () => ({ tripwireTriggered: false, outputInfo: { note: 'Kerguelen' } }) }],
    });
    const canned = new suite.agents.Agent({ name: 'Canned agent', instructions: 'x', model: cannedModel(suite.agents, 'Platypus answer.', 'Platypus question?') as never });
    const result = await tracing.inParent('app', () =>
      suite.agents.withTrace('Desk', () =>
        suite.agents.withCustomSpan(
          async () => {
            await suite.agents.run(canned, 'Platypus question?');
            return suite.agents.run(triage, 'Weather in Zanzibar for the Quokka?');
          },
          { data: { name: 'desk', data: { note: 'Wombat' } } },
        ),
      ),
    );
    expect(result.finalOutput).to.equal('Xylophone weather in Zanzibar.');
    return [...(await tracing.spans())];
  }

  async function expectHidden(configure: () => void, restore: () => void): Promise<void> {
    const shown = await runEverything();
    const text = everythingOf(shown);
    for (const word of ['Zanzibar', 'Quokka', 'Xylophone', 'Platypus']) expect(text, `${word} recorded with content on (the check below can fail)`).to.contain(word);
    expect(ofKind(shown, 'AGENT'), 'the agent spans (the check below can fail)').to.have.length(3);
    configure();
    try {
      const hidden = await runEverything();
      const hiddenText = everythingOf(hidden);
      for (const word of PLANTED) expect(hiddenText, `${word} left with content hidden`).not.to.contain(word);
      expect(shapeOf(hidden)).to.deep.equal(shapeOf(shown));
      expect(hidden.filter((s) => kindOf(s) === 'LLM')).to.have.length(suite.server.requests.length + 1).and.length(4);
    } finally {
      restore();
    }
  }

  it('captureContent: false', async () => {
    await expectHidden(
      () => suite.instrumentation.setConfig({ captureContent: false }),
      () => suite.instrumentation.setConfig({}),
    );
  });

  it('INFINIUM_CAPTURE_CONTENT=false, with no config in code', async () => {
    await expectHidden(
      () => {
        process.env.INFINIUM_CAPTURE_CONTENT = 'false';
        suite.instrumentation.setConfig({});
      },
      () => {
        delete process.env.INFINIUM_CAPTURE_CONTENT;
        suite.instrumentation.setConfig({});
      },
    );
  });

  it('OPENINFERENCE_HIDE_INPUTS=true and OPENINFERENCE_HIDE_OUTPUTS=true', async () => {
    await expectHidden(
      () => {
        process.env.OPENINFERENCE_HIDE_INPUTS = 'true';
        process.env.OPENINFERENCE_HIDE_OUTPUTS = 'true';
        suite.instrumentation.setConfig({});
      },
      () => {
        delete process.env.OPENINFERENCE_HIDE_INPUTS;
        delete process.env.OPENINFERENCE_HIDE_OUTPUTS;
        suite.instrumentation.setConfig({});
      },
    );
  });

  it('OPENINFERENCE_HIDE_INPUTS alone: the inputs go (question, tool arguments), the outputs stay', async () => {
    process.env.OPENINFERENCE_HIDE_INPUTS = 'true';
    suite.instrumentation.setConfig({});
    try {
      const spans = await runEverything();
      const tool = spans.find((s) => s.name === 'get_weather')!;
      expect(tool.attributes['input.value']).to.equal(REDACTED);
      expect(tool.attributes['output.value']).to.equal('sunny in Zanzibar');
      const chain = parentOf(spans, only(spans, 'Triage'))!;
      expect(chain.attributes['input.value']).to.equal(REDACTED);
      expect(chain.attributes['output.value']).to.equal('Xylophone weather in Zanzibar.');
      expect(everythingOf(spans)).not.to.contain('Quokka');
    } finally {
      delete process.env.OPENINFERENCE_HIDE_INPUTS;
      suite.instrumentation.setConfig({});
    }
  });

  it('a custom span\'s data is its metadata, kept with content off (the app\'s label, as LangChain run metadata)', async () => {
    suite.instrumentation.setConfig({ captureContent: false });
    try {
      const spans = await runEverything();
      expect(JSON.parse(String(only(spans, 'desk').attributes['metadata']))).to.deep.equal({ note: 'Wombat' });
    } finally {
      suite.instrumentation.setConfig({});
    }
  });
});
