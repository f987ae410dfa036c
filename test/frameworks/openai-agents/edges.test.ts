import { expect } from 'chai';
import { z } from 'zod';
import type { FakeResponse, ReceivedRequest } from '../../helpers/fake-llm-server';
import { waitFor } from '../../helpers/wait';
import { calls, says, scripted, Turn, usageOf } from './fixtures';
import { REQUEST_MODEL, useAgentsSuite } from './suite';
import { childrenOf, expectAllEnded, expectChildOf, expectOneLlmSpanPerRequest, expectOneTree, expectOnlyErrors, only, outline, WEATHER_QUESTION } from './tree';

const LLM = `chat ${REQUEST_MODEL} LLM`;

describe('OpenAI Agents: parallel tool calls, structured output, approvals, a guardrail tripping while the model answers', function () {
  const suite = useAgentsSuite();
  const { tracing } = suite;

  it('two tool calls in one response (run concurrently): two TOOL spans under the AGENT, each app span under its own TOOL', async () => {
    const twoCalls: Turn = {
      calls: [
        { name: 'lookup', args: { city: 'Paris' }, callId: 'call_paris' },
        { name: 'lookup', args: { city: 'Oslo' }, callId: 'call_oslo' },
      ],
      usage: usageOf(1),
    };
    suite.server.handle(scripted([twoCalls, says('Both found.', 2)]));
    const appTracer = tracing.provider.getTracer('the-app');
    const lookup = suite.agents.tool({
      name: 'lookup',
      description: 'Looks a city up',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
      strict: true,
      execute: async (input: unknown) => {
        const { city } = input as { city: string };
        // Interleave the two calls: each yields before and after starting its span.
        await new Promise((resolve) => setImmediate(resolve));
        return appTracer.startActiveSpan(`find ${city}`, async (span) => {
          await new Promise((resolve) => setImmediate(resolve));
          span.end();
          return `${city} found`;
        });
      },
    });
    const agent = new suite.agents.Agent({ name: 'Finder', instructions: 'Find.', model: REQUEST_MODEL, tools: [lookup] });
    await tracing.inParent('app', () => suite.agents.run(agent, 'Find Paris and Oslo'));
    const spans = await tracing.spans();
    expectOneTree(spans);
    const tools = childrenOf(spans, only(spans, 'Finder')).filter((s) => s.name === 'lookup');
    expect(tools).to.have.length(2);
    for (const tool of tools) {
      const city = JSON.parse(String(tool.attributes['input.value'])).city as string;
      expect(tool.attributes['output.value']).to.equal(`${city} found`);
      expectChildOf(only(spans, `find ${city}`), tool);
    }
    expectOneLlmSpanPerRequest(suite, spans);
    expectAllEnded(suite);
  });

  it('structured output (outputType): the CHAIN and AGENT output the object as JSON', async () => {
    suite.server.handle(scripted([says('{"city":"Paris","celsius":21}', 1)]));
    const agent = new suite.agents.Agent({
      name: 'Reporter',
      instructions: 'Report.',
      model: REQUEST_MODEL,
      outputType: z.object({ city: z.string(), celsius: z.number() }),
    });
    const result = await tracing.inParent('app', () => suite.agents.run(agent, WEATHER_QUESTION));
    expect(result.finalOutput).to.deep.equal({ city: 'Paris', celsius: 21 });
    const spans = await tracing.spans();
    for (const name of ['Agent workflow', 'Reporter']) {
      const span = only(spans, name);
      expect(JSON.parse(String(span.attributes['output.value'])), name).to.deep.equal({ city: 'Paris', celsius: 21 });
      expect(span.attributes['output.mime_type'], name).to.equal('application/json');
    }
    expectAllEnded(suite);
  });

  it('a tool needing approval: the run stops with an interruption (every span ended), the approved run resumes as its own tree', async () => {
    suite.server.handle(scripted([calls('get_weather', { city: 'Paris' }, 1), says('Sunny.', 2)]));
    const guarded = suite.agents.tool({
      name: 'get_weather',
      description: 'The weather of a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
      strict: true,
      needsApproval: true,
      execute: async (input: unknown) => `sunny in ${(input as { city: string }).city}`,
    });
    const agent = new suite.agents.Agent({ name: 'Careful agent', instructions: 'Answer.', model: REQUEST_MODEL, tools: [guarded] });
    const first = await tracing.inParent('app', () => suite.agents.run(agent, WEATHER_QUESTION));
    expect(first.interruptions).to.have.length(1);
    expectAllEnded(suite);
    expect(outline(await tracing.spans())).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Careful agent AGENT', `      ${LLM}`]);

    tracing.reset();
    first.state.approve(first.interruptions[0]);
    const second = await tracing.inParent('app', () => suite.agents.run(agent, first.state));
    expect(second.finalOutput).to.equal('Sunny.');
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Careful agent AGENT', '      get_weather TOOL', `      ${LLM}`]);
    expect(only(spans, 'get_weather').attributes['output.value']).to.equal('sunny in Paris');
    expectOnlyErrors(spans);
    expectAllEnded(suite);
  });

  it('an input guardrail (run in parallel) trips while the model request is in flight: the app gets the tripwire, every span ends', async () => {
    // The order is forced without timers: the guardrail decides once the request has arrived, the server answers once it has decided.
    let received!: () => void;
    const requestReceived = new Promise<void>((resolve) => (received = resolve));
    let trip!: () => void;
    const tripped = new Promise<void>((resolve) => (trip = resolve));
    const answer = scripted([says('Too late.', 1)]);
    suite.server.handle(async (request: ReceivedRequest): Promise<FakeResponse> => {
      received();
      await tripped;
      return answer(request);
    });
    const agent = new suite.agents.Agent({
      name: 'Weather agent',
      instructions: 'Answer.',
      model: REQUEST_MODEL,
      inputGuardrails: [
        {
          name: 'slow_check',
          execute: async () => {
            await requestReceived;
            trip();
            return { tripwireTriggered: true, outputInfo: {} };
          },
        },
      ],
    });
    let caught: unknown;
    await tracing.inParent('app', async () => {
      try {
        await suite.agents.run(agent, WEATHER_QUESTION);
      } catch (err) {
        caught = err;
      }
    });
    expect(caught).to.be.instanceOf(suite.agents.InputGuardrailTripwireTriggered);
    await waitFor(() => suite.openSpans.open.size === 0, `every span ended (open: ${suite.openSpans.names().join(', ')})`);
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(only(spans, 'slow_check').attributes['infinium.guardrail.triggered']).to.equal(true);
    expect(spans.filter((s) => s.attributes['openinference.span.kind'] === 'LLM')).to.have.length(suite.server.requests.length).and.length(1);
    expect(outline(spans).slice(0, 3)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Weather agent AGENT']);
  });

  it('two agents as tools called in one response (their runs concurrent): each nested run under its own TOOL span', async () => {
    const bothCalls: Turn = {
      calls: [
        { name: 'ask_french', args: { input: 'Paris?' }, callId: 'call_fr' },
        { name: 'ask_german', args: { input: 'Berlin?' }, callId: 'call_de' },
      ],
      usage: usageOf(1),
    };
    suite.server.handle((request) => {
      const input = JSON.stringify(request.body.input);
      if (input.includes('function_call_output')) return scripted([says('Both answered.', 1)])(request);
      if (input.includes('Paris?')) return scripted([says('Il fait beau.', 1)])(request);
      if (input.includes('Berlin?')) return scripted([says('Es ist sonnig.', 1)])(request);
      return scripted([bothCalls])(request);
    });
    const french = new suite.agents.Agent({ name: 'French agent', instructions: 'French.', model: REQUEST_MODEL });
    const german = new suite.agents.Agent({ name: 'German agent', instructions: 'German.', model: REQUEST_MODEL });
    const boss = new suite.agents.Agent({
      name: 'Boss',
      instructions: 'Ask both.',
      model: REQUEST_MODEL,
      tools: [french.asTool({ toolName: 'ask_french', toolDescription: 'French' }), german.asTool({ toolName: 'ask_german', toolDescription: 'German' })],
    });
    const result = await tracing.inParent('app', () => suite.agents.run(boss, 'Ask both'));
    expect(result.finalOutput).to.equal('Both answered.');
    const spans = await tracing.spans();
    expectOneTree(spans);
    for (const [toolName, agentName, answer] of [['ask_french', 'French agent', 'Il fait beau.'], ['ask_german', 'German agent', 'Es ist sonnig.']]) {
      const tool = only(spans, toolName);
      expect(tool.attributes['output.value']).to.equal(answer);
      expect(outline(spans, tool)).to.deep.equal([`${toolName} TOOL`, '  Agent workflow CHAIN', `    ${agentName} AGENT`, `      ${LLM}`]);
    }
    expect(spans.filter((s) => s.attributes['openinference.span.kind'] === 'LLM')).to.have.length(suite.server.requests.length).and.length(4);
    expectAllEnded(suite);
  });

  it('a stream left while its tool is still running: the tool finishes later, every span still ends', async () => {
    suite.server.handle(scripted([calls('slow_lookup', { city: 'Paris' }, 1), says('Found.', 2)]));
    let started!: () => void;
    const toolStarted = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = suite.agents.tool({
      name: 'slow_lookup',
      description: 'Slow',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
      strict: true,
      execute: async () => {
        started();
        await gate;
        return 'found';
      },
    });
    const agent = new suite.agents.Agent({ name: 'Finder', instructions: 'Find.', model: REQUEST_MODEL, tools: [slow] });
    await tracing.inParent('app', async () => {
      const streamed = await suite.agents.run(agent, 'Find Paris', { stream: true });
      const iterator = streamed[Symbol.asyncIterator]();
      await iterator.next();
      await toolStarted;
      await iterator.return?.();
      release();
      await streamed.completed;
    });
    await waitFor(() => suite.openSpans.open.size === 0, `every span ended (open: ${suite.openSpans.names().join(', ')})`);
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans).slice(0, 5)).to.deep.equal(['app -', '  Agent workflow CHAIN', '    Finder AGENT', `      ${LLM}`, '      slow_lookup TOOL']);
    expect(spans.filter((s) => s.attributes['openinference.span.kind'] === 'LLM')).to.have.length(suite.server.requests.length);
  });
});
