import { expect } from 'chai';
import { AsyncLocalStorage } from 'node:async_hooks';
import { SpanKind } from '@opentelemetry/api';
import { calls, says, scripted } from './fixtures';
import { API_KEY, REQUEST_MODEL, useAgentsSuite } from './suite';
import { expectAllEnded, expectChildOf, expectOneTree, expectOnlyErrors, kindOf, only, outline, tokensOf, tokensOfRequest, WEATHER_QUESTION } from './tree';

const LLM = `chat ${REQUEST_MODEL} LLM`;

describe('OpenAI Agents: spans the app starts inside the SDK\'s work join the tree through the OTel context', function () {
  const suite = useAgentsSuite();
  const { tracing } = suite;
  // The app's own tracer, from the same provider (the tests register no global one).
  const appTracer = () => tracing.provider.getTracer('the-app');

  function lookupTool(body: (city: string) => Promise<string>) {
    return suite.agents.tool({
      name: 'lookup',
      description: 'Looks a city up',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
      strict: true,
      execute: async (input: unknown) => body((input as { city: string }).city),
    });
  }

  it('the app\'s own span (and a CLIENT span under it, after an await) started in a tool body is a child of the TOOL span', async () => {
    suite.server.handle(scripted([calls('lookup', { city: 'Paris' }, 1), says('Found.', 2)]));
    const tool = lookupTool((city) =>
      appTracer().startActiveSpan('db.lookup', async (span) => {
        await Promise.resolve();
        await new Promise((resolve) => setImmediate(resolve));
        appTracer().startSpan('GET /cities', { kind: SpanKind.CLIENT }).end();
        span.end();
        return `${city} found`;
      }),
    );
    const agent = new suite.agents.Agent({ name: 'Finder', instructions: 'Find.', model: REQUEST_MODEL, tools: [tool] });
    await tracing.inParent('app', () => suite.agents.run(agent, 'Find Paris'));

    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal([
      'app -',
      '  Agent workflow CHAIN',
      '    Finder AGENT',
      `      ${LLM}`,
      '      lookup TOOL',
      '        db.lookup -',
      '          GET /cities -',
      `      ${LLM}`,
    ]);
    expectChildOf(only(spans, 'db.lookup'), only(spans, 'lookup'));
    expectAllEnded(suite);
  });

  it('a model call the tool makes itself (the same OpenAI client) is its own LLM span under the TOOL span, not merged with the agent\'s', async () => {
    suite.server.handle(scripted([calls('lookup', { city: 'Paris' }, 1), says('Paris is in France.', 2), says('Found.', 3)]));
    const tool = lookupTool(async (city) => {
      const client = suite.agents.getDefaultOpenAIClient() as unknown as {
        responses: { create(body: Record<string, unknown>): Promise<{ output_text: string }> };
      };
      const response = await client.responses.create({ model: REQUEST_MODEL, input: `Where is ${city}?` });
      return response.output_text;
    });
    const agent = new suite.agents.Agent({ name: 'Finder', instructions: 'Find.', model: REQUEST_MODEL, tools: [tool] });
    const result = await tracing.inParent('app', () => suite.agents.run(agent, 'Find Paris'));
    expect(result.finalOutput).to.equal('Found.');

    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Finder AGENT', `      ${LLM}`, '      lookup TOOL', `        ${LLM}`, `      ${LLM}`]);
    const toolSpan = only(spans, 'lookup');
    expect(toolSpan.attributes['output.value']).to.equal('Paris is in France.');
    const llms = spans.filter((s) => kindOf(s) === 'LLM');
    expect(llms).to.have.length(suite.server.requests.length).and.length(3);
    const inTool = llms.find((s) => s.parentSpanContext?.spanId === toolSpan.spanContext().spanId)!;
    expect(tokensOf(inTool)).to.deep.equal(tokensOfRequest(2));
    expect(inTool.attributes['llm.input_messages.0.message.content']).to.equal('Where is Paris?');
    expectOnlyErrors(spans);
    expectAllEnded(suite);
  });

  it('a span the app starts in a guardrail body is a child of the GUARDRAIL span', async () => {
    suite.server.handle(scripted([says('Sunny.', 1)]));
    const agent = new suite.agents.Agent({
      name: 'Weather agent',
      instructions: 'Answer.',
      model: REQUEST_MODEL,
      inputGuardrails: [
        {
          name: 'moderation',
          runInParallel: false,
          execute: async () => {
            appTracer().startSpan('moderation.check').end();
            return { tripwireTriggered: false, outputInfo: {} };
          },
        },
      ],
    });
    await tracing.inParent('app', () => suite.agents.run(agent, WEATHER_QUESTION));
    const spans = await tracing.spans();
    expectOneTree(spans);
    expectChildOf(only(spans, 'moderation.check'), only(spans, 'moderation'));
    expect(kindOf(only(spans, 'moderation'))).to.equal('GUARDRAIL');
    expectAllEnded(suite);
  });

  it('two runs at once (Promise.all) under one app span: each run\'s spans stay in its own CHAIN', async () => {
    // Each run's first request asks for the tool with its own city; the answers are told apart by the request.
    suite.server.handle((request) => {
      const input = JSON.stringify(request.body.input);
      const city = input.includes('Oslo') ? 'Oslo' : 'Paris';
      const second = input.includes('function_call_output');
      return scripted([second ? says(`Sunny in ${city}.`, 1) : calls('get_weather', { city }, 1, `call_${city}`)])(request);
    });
    const agent = () => new suite.agents.Agent({ name: 'Weather agent', instructions: 'Answer.', model: REQUEST_MODEL, tools: [suite.weatherTool()] });
    const results = await tracing.inParent('app', () =>
      Promise.all([suite.agents.run(agent(), 'Weather in Paris?'), suite.agents.run(agent(), 'Weather in Oslo?')]),
    );
    expect(results.map((r) => r.finalOutput)).to.deep.equal(['Sunny in Paris.', 'Sunny in Oslo.']);
    const spans = await tracing.spans();
    const app = expectOneTree(spans);
    const chains = spans.filter((s) => s.name === 'Agent workflow');
    expect(chains).to.have.length(2);
    for (const chain of chains) {
      expectChildOf(chain, app);
      const city = String(chain.attributes['input.value']).includes('Oslo') ? 'Oslo' : 'Paris';
      const under = (id: string | undefined): boolean => {
        for (let s = spans.find((x) => x.spanContext().spanId === id); s; s = spans.find((x) => x.spanContext().spanId === s!.parentSpanContext?.spanId)) {
          if (s === chain) return true;
        }
        return false;
      };
      const own = spans.filter((s) => under(s.parentSpanContext?.spanId));
      const expected = [`chat ${REQUEST_MODEL} LLM`, `chat ${REQUEST_MODEL} LLM`, 'Weather agent AGENT', 'get_weather TOOL'];
      expect(own.map((s) => `${s.name} ${kindOf(s)}`).sort()).to.deep.equal(expected.sort());
      expect(own.find((s) => s.name === 'get_weather')!.attributes['output.value']).to.equal(`sunny in ${city}`);
    }
    expect(spans.filter((s) => kindOf(s) === 'LLM')).to.have.length(suite.server.requests.length).and.length(4);
    expectAllEnded(suite);
  });

  it('the app sets its own context storage after the SDK loaded (setTracingContextStorage): the tree intact, still one LLM span per request', async () => {
    const key = Symbol.for('openai.agents.core.asyncLocalStorage');
    const before = (globalThis as Record<symbol, unknown>)[key];
    suite.agents.setTracingContextStorage(new AsyncLocalStorage() as never);
    try {
      suite.server.handle(scripted([calls('get_weather', { city: 'Paris' }, 1), says('Sunny.', 2)]));
      const agent = new suite.agents.Agent({ name: 'Weather agent', instructions: 'Answer.', model: REQUEST_MODEL, tools: [suite.weatherTool()] });
      await tracing.inParent('app', () => suite.agents.run(agent, WEATHER_QUESTION));
    } finally {
      suite.agents.setTracingContextStorage(before as never);
    }
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Weather agent AGENT', `      ${LLM}`, '      get_weather TOOL', `      ${LLM}`]);
    expect(spans.filter((s) => kindOf(s) === 'LLM')).to.have.length(suite.server.requests.length);
    expectAllEnded(suite);
  });

  it('spans the app starts after a run, and in its loop over a streamed run\'s events, are the app span\'s children, not the agent\'s', async () => {
    suite.server.handle(scripted([calls('get_weather', { city: 'Paris' }, 1), says('Sunny.', 2), calls('get_weather', { city: 'Oslo' }, 3), says('Sunny.', 4)]));
    const agent = () => new suite.agents.Agent({ name: 'Weather agent', instructions: 'Answer.', model: REQUEST_MODEL, tools: [suite.weatherTool()] });
    await tracing.inParent('app', async () => {
      await suite.agents.run(agent(), WEATHER_QUESTION);
      appTracer().startSpan('after.run').end();
      const streamed = await suite.agents.run(agent(), 'And in Oslo?', { stream: true });
      let seen = 0;
      for await (const event of streamed) {
        if (event.type === 'run_item_stream_event' && seen++ === 0) appTracer().startSpan('in.loop').end();
      }
      await streamed.completed;
      appTracer().startSpan('after.stream').end();
    });
    const spans = await tracing.spans();
    const app = expectOneTree(spans);
    for (const name of ['after.run', 'in.loop', 'after.stream']) expectChildOf(only(spans, name), app);
    expect(spans.filter((s) => kindOf(s) === 'LLM')).to.have.length(suite.server.requests.length).and.length(4);
    expectAllEnded(suite);
  });

  it('no span carries the API key', async () => {
    suite.server.handle(scripted([says('Sunny.', 1)]));
    await suite.agents.run(new suite.agents.Agent({ name: 'A', instructions: 'x', model: REQUEST_MODEL }), WEATHER_QUESTION);
    const text = JSON.stringify((await tracing.spans()).map((s) => [s.name, s.attributes, s.events]));
    expect(text).not.to.contain(API_KEY);
    expect(text.toLowerCase()).not.to.contain('authorization');
  });
});
