import { expect } from 'chai';
import { rejectionsOf } from '../../helpers/rejections';
import { waitFor } from '../../helpers/wait';
import { cannedModel, CANNED_MODEL } from './canned-model';
import { calls, says, scripted } from './fixtures';
import { REQUEST_MODEL, useAgentsSuite } from './suite';
import { expectAllEnded, expectOneTree, kindOf, ofKind, only, outline, tokensOf, WEATHER_QUESTION } from './tree';

const LLM = `chat ${REQUEST_MODEL} LLM`;

describe('OpenAI Agents: disabled, SDK tracing off, a model nothing of ours serves, no unhandled rejection', function () {
  const suite = useAgentsSuite();
  const { tracing } = suite;

  function weatherAgent(options: Record<string, unknown> = {}) {
    return new suite.agents.Agent({ name: 'Weather agent', instructions: 'Answer.', model: REQUEST_MODEL, tools: [suite.weatherTool()], ...options });
  }

  function script() {
    suite.server.handle(scripted([calls('get_weather', { city: 'Paris' }, 1), says('Sunny.', 2)]));
  }

  it('the instrumentation disabled: no span of ours (neither agent nor LLM spans), the app\'s result unchanged; enabled again: the tree is back', async () => {
    script();
    suite.instrumentation.disable();
    let result;
    try {
      result = await tracing.inParent('app', () => suite.agents.run(weatherAgent(), WEATHER_QUESTION));
    } finally {
      suite.instrumentation.enable();
    }
    expect(result.finalOutput).to.equal('Sunny.');
    expect(outline(await tracing.spans())).to.deep.equal(['app -']);
    expect(suite.recorder.started()).to.have.length(7);

    tracing.reset();
    suite.server.requests.length = 0;
    script();
    await tracing.inParent('app', () => suite.agents.run(weatherAgent(), WEATHER_QUESTION));
    expect(outline(await tracing.spans())).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Weather agent AGENT', `      ${LLM}`, '      get_weather TOOL', `      ${LLM}`]);
  });

  it('the app turned the SDK\'s tracing off (setTracingDisabled): only our LLM spans, under the app span; no SDK processor called', async () => {
    script();
    suite.agents.setTracingDisabled(true);
    try {
      await tracing.inParent('app', () => suite.agents.run(weatherAgent(), WEATHER_QUESTION));
    } finally {
      suite.agents.setTracingDisabled(false);
    }
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(['app -', `  ${LLM}`, `  ${LLM}`]);
    expect(ofKind(spans, 'LLM')).to.have.length(suite.server.requests.length);
    expect(suite.recorder.events).to.deep.equal([]);
    expectAllEnded(suite);
  });

  it('a model of the app\'s own (no OpenAI client of ours under it): the SDK\'s generation span rendered as the one LLM span, model and tokens from its data', async () => {
    const model = cannedModel(suite.agents, 'Canned sunshine.', WEATHER_QUESTION);
    const agent = new suite.agents.Agent({ name: 'Canned agent', instructions: 'x', model: model as never });
    const result = await tracing.inParent('app', () => suite.agents.run(agent, WEATHER_QUESTION));
    expect(result.finalOutput).to.equal('Canned sunshine.');
    expect(suite.server.requests).to.have.length(0);

    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Canned agent AGENT', `      chat ${CANNED_MODEL} LLM`]);
    const llm = only(spans, `chat ${CANNED_MODEL}`);
    expect(kindOf(llm)).to.equal('LLM');
    expect(llm.attributes['llm.model_name']).to.equal(CANNED_MODEL);
    expect(tokensOf(llm)).to.deep.equal({ prompt: 7, completion: 3, total: 10, cacheRead: 2, reasoning: 1 });
    expect(llm.attributes['llm.input_messages.0.message.content']).to.equal(WEATHER_QUESTION);
    expect(llm.attributes['llm.output_messages.0.message.content']).to.equal('Canned sunshine.');
    expectAllEnded(suite);
  });

  it('the bridge forgets every run it saw: plain, streamed, abandoned, tripped, interrupted for approval (nothing kept per run)', async () => {
    // White-box: our bridge is the lookup of the storage we installed; its per-span and per-trace maps must empty.
    const bridge = () => {
      const storage = (globalThis as Record<symbol, unknown>)[Symbol.for('openai.agents.core.asyncLocalStorage')] as { lookup?: Record<string, Map<unknown, unknown>> };
      return { spans: storage.lookup?.spans?.size, traces: storage.lookup?.traces?.size };
    };
    suite.server.handle(
      scripted([calls('get_weather', { city: 'Paris' }, 1), says('Sunny.', 2), calls('get_weather', { city: 'Paris' }, 3), says('Sunny.', 4), calls('get_weather', { city: 'Paris' }, 5), calls('get_weather', { city: 'Paris' }, 6)]),
    );
    await suite.agents.run(weatherAgent(), WEATHER_QUESTION);
    const streamed = await suite.agents.run(weatherAgent(), WEATHER_QUESTION, { stream: true });
    for await (const event of streamed) void event;
    await streamed.completed;
    const abandoned = await suite.agents.run(weatherAgent(), WEATHER_QUESTION, { stream: true });
    for await (const event of abandoned) {
      void event;
      break;
    }
    await abandoned.completed;
    const tripwire = { name: 'no', runInParallel: false, execute: async () => ({ tripwireTriggered: true, outputInfo: {} }) };
    await suite.agents.run(weatherAgent({ inputGuardrails: [tripwire] }), WEATHER_QUESTION).catch(() => undefined);
    const needsApproval = suite.agents.tool({
      name: 'get_weather',
      description: 'The weather of a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
      strict: true,
      needsApproval: true,
      execute: async () => 'sunny',
    });
    const interrupted = await suite.agents.run(weatherAgent({ tools: [needsApproval] }), WEATHER_QUESTION);
    expect(interrupted.interruptions).to.have.length(1);
    expect(suite.server.requests).to.have.length(6);
    await suite.agents.getGlobalTraceProvider().forceFlush();
    await waitFor(() => suite.openSpans.open.size === 0, 'every span ended');
    expect(bridge()).to.deep.equal({ spans: 0, traces: 0 });
  });

  describe('never an unhandled rejection the SDK would not make itself', () => {
    const scenarios: Array<[string, () => Promise<void>]> = [
      [
        'a run with a tool call',
        async () => {
          script();
          await suite.agents.run(weatherAgent(), WEATHER_QUESTION);
        },
      ],
      [
        'a tool that throws',
        async () => {
          suite.server.handle(scripted([calls('get_weather', { city: 'Atlantis' }, 1), says('None.', 2)]));
          await suite.agents.run(weatherAgent(), WEATHER_QUESTION);
        },
      ],
      [
        'an input guardrail tripped',
        async () => {
          suite.server.handle(scripted([]));
          const guardrail = { name: 'no', runInParallel: false, execute: async () => ({ tripwireTriggered: true, outputInfo: {} }) };
          await suite.agents.run(weatherAgent({ inputGuardrails: [guardrail] }), WEATHER_QUESTION).catch((err: unknown) => {
            expect(err).to.be.instanceOf(suite.agents.InputGuardrailTripwireTriggered);
          });
        },
      ],
      [
        'the model answering HTTP 500, streamed',
        async () => {
          suite.server.reply({ status: 500, json: { error: { message: 'The server had an error', type: 'server_error' } } });
          const streamed = await suite.agents.run(weatherAgent(), WEATHER_QUESTION, { stream: true });
          await (async () => {
            for await (const event of streamed) void event;
          })().catch(() => undefined);
          await streamed.completed.catch(() => undefined);
        },
      ],
      [
        'a stream abandoned after its first event',
        async () => {
          script();
          const streamed = await suite.agents.run(weatherAgent(), WEATHER_QUESTION, { stream: true });
          for await (const event of streamed) {
            void event;
            break;
          }
          await streamed.completed;
        },
      ],
    ];
    for (const [name, scenario] of scenarios) {
      it(`${name}: the same rejection events with us as without`, async () => {
        const without = await rejectionsOf(suite.instrumentation, false, scenario);
        const traced = await rejectionsOf(suite.instrumentation, true, scenario);
        expect(traced).to.deep.equal(without);
        expect(traced).to.deep.equal([]);
      });
    }
  });

  it('the SDK logs no error of its own with the bridge in place (console.error, console.warn) during a run', async () => {
    suite.server.handle(scripted([calls('get_weather', { city: 'Paris' }, 1), says('Sunny.', 2), calls('get_weather', { city: 'Oslo' }, 3), says('Sunny.', 4)]));
    const logged: string[] = [];
    const original = { error: console.error, warn: console.warn };
    console.error = (...args: unknown[]) => void logged.push(`error ${args.map(String).join(' ')}`);
    console.warn = (...args: unknown[]) => void logged.push(`warn ${args.map(String).join(' ')}`);
    try {
      const streamed = await suite.agents.run(weatherAgent(), WEATHER_QUESTION, { stream: true });
      for await (const event of streamed) void event;
      await streamed.completed;
      await suite.agents.run(weatherAgent(), WEATHER_QUESTION);
    } finally {
      console.error = original.error;
      console.warn = original.warn;
    }
    expect(logged).to.deep.equal([]);
  });
});
