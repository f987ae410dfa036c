import { expect } from 'chai';
import { waitFor } from '../../helpers/wait';
import { calls, says, scripted } from './fixtures';
import { REQUEST_MODEL, useAgentsSuite } from './suite';
import { expectAllEnded, expectOneLlmSpanPerRequest, expectOneTree, expectOnlyErrors, outline, WEATHER_QUESTION } from './tree';

const LLM = `chat ${REQUEST_MODEL} LLM`;

describe('OpenAI Agents: streamed runs the app does not read to the end', function () {
  const suite = useAgentsSuite();
  const { tracing } = suite;

  function weatherAgent() {
    return new suite.agents.Agent({ name: 'Weather agent', instructions: 'Answer.', model: REQUEST_MODEL, tools: [suite.weatherTool()] });
  }

  /** The SDK cancels the run when its stream is left; the spans end when its loop has ended them, on its own time. */
  async function everySpanEnded(): Promise<void> {
    await waitFor(() => suite.openSpans.open.size === 0, `every span ended (open: ${suite.openSpans.names().join(', ')})`);
  }

  it('the app breaks out after the first event: the run is cancelled, every span still ends, one tree', async () => {
    suite.server.handle(scripted([calls('get_weather', { city: 'Paris' }, 1), says('Sunny.', 2)]));
    const cancelled = await tracing.inParent('app', async () => {
      const streamed = await suite.agents.run(weatherAgent(), WEATHER_QUESTION, { stream: true });
      for await (const event of streamed) {
        expect(event.type).to.equal('raw_model_stream_event');
        break;
      }
      await streamed.completed;
      return streamed.cancelled;
    });
    expect(cancelled).to.equal(true);
    await everySpanEnded();
    const spans = await tracing.spans();
    expectOneTree(spans);
    // The model request of the first turn was made; the tool and the second turn never ran.
    expect(suite.server.requests).to.have.length(1);
    expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Weather agent AGENT', `      ${LLM}`]);
    expectOnlyErrors(spans);
    expect(suite.recorder.events.filter((e) => e.startsWith('start ')).length, 'the SDK ended every span it started').to.equal(
      suite.recorder.events.filter((e) => e.startsWith('end ')).length,
    );
  });

  it('the app aborts through its signal mid-stream: every span ends, the app sees what it sees without us', async () => {
    suite.server.handle(scripted([calls('get_weather', { city: 'Paris' }, 1), says('Sunny.', 2)]));
    const controller = new AbortController();
    await tracing.inParent('app', async () => {
      const streamed = await suite.agents.run(weatherAgent(), WEATHER_QUESTION, { stream: true, signal: controller.signal });
      for await (const event of streamed) {
        expect(event.type).to.equal('raw_model_stream_event');
        controller.abort();
        break;
      }
      await streamed.completed;
    });
    await everySpanEnded();
    const spans = await tracing.spans();
    expectOneTree(spans);
    // Aborted after its first event, the run made one request and never ran the tool.
    expect(suite.server.requests).to.have.length(1);
    expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Weather agent AGENT', `      ${LLM}`]);
    expectOnlyErrors(spans);
  });

  it('a streamed run with a handoff, read to the end: both agents, the handoff, one LLM span per request, all ended at completion', async () => {
    suite.server.handle(
      scripted([calls('get_weather', { city: 'Paris' }, 1), calls('transfer_to_French_agent', {}, 2), says('Il fait beau.', 3)]),
    );
    const french = new suite.agents.Agent({ name: 'French agent', instructions: 'French.', model: REQUEST_MODEL });
    const triage = new suite.agents.Agent({ name: 'Triage', instructions: 'Help.', model: REQUEST_MODEL, tools: [suite.weatherTool()], handoffs: [french] });
    await tracing.inParent('app', async () => {
      const streamed = await suite.agents.run(triage, WEATHER_QUESTION, { stream: true });
      for await (const event of streamed) void event;
      await streamed.completed;
      expect(streamed.finalOutput).to.equal('Il fait beau.');
    });
    expectAllEnded(suite);
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
    expectOneLlmSpanPerRequest(suite, spans);
    expectOnlyErrors(spans);
  });
});
