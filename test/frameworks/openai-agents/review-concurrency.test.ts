import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { ReceivedRequest } from '../../helpers/fake-llm-server';
import { calls, chatJson, chatSse, responseJson, responseSse, says, type Turn } from './fixtures';
import { REQUEST_MODEL, useAgentsSuite } from './suite';
import { childrenOf, expectAllEnded, expectOneTree, kindOf, ofKind, outline } from './tree';

const CITIES = ['Paris', 'Oslo'] as const;

/**
 * The fake model's answer read from the request itself (concurrent requests arrive in any order): a tool's
 * own question gets a sentence, an agent's request with the tool's result the final answer, any other
 * agent request a call of `lookup` for the city it is about.
 */
let served = 0;
function answer(request: ReceivedRequest) {
  const n = ++served;
  const text = JSON.stringify(request.body);
  const city = CITIES.find((c) => text.includes(c)) ?? 'nowhere';
  const toolResult = text.includes('"role":"tool"') || text.includes('function_call_output') || text.includes('function_call_result');
  const turn: Turn = text.includes('Where is') ? says(`${city} is far.`, n) : toolResult ? says(`Done ${city}.`, n) : calls('lookup', { city }, n, `call_${city}_${n}`);
  const streamed = request.body?.stream === true;
  if (request.path.endsWith('/chat/completions')) return streamed ? { sse: chatSse(turn, n) } : { json: chatJson(turn, n) };
  return streamed ? { sse: responseSse(turn, n) } : { json: responseJson(turn, n) };
}

describe('OpenAI Agents review: concurrent runs whose tools call the model themselves, each request claimed by its own span', function () {
  this.timeout(30_000);
  const suite = useAgentsSuite();
  const { tracing } = suite;

  function cityAgent(city: string) {
    const lookup = suite.agents.tool({
      name: 'lookup',
      description: 'Where a city is.',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
      strict: true,
      execute: async (input: unknown) => {
        // The tool's own request, on the client the agents use: its own LLM span, under this TOOL span.
        const client = suite.agents.getDefaultOpenAIClient() as unknown as { chat: { completions: { create(body: unknown): Promise<{ choices: Array<{ message: { content: string } }> }> } } };
        const completion = await client.chat.completions.create({ model: REQUEST_MODEL, messages: [{ role: 'user', content: `Where is ${(input as { city: string }).city}?` }] });
        return completion.choices[0].message.content;
      },
    });
    return new suite.agents.Agent({ name: `${city} agent`, instructions: 'Look it up.', model: REQUEST_MODEL, tools: [lookup] });
  }

  async function runBoth(stream: boolean) {
    const one = async (city: string) => {
      if (!stream) return (await suite.agents.run(cityAgent(city), `Weather in ${city}`)).finalOutput;
      const result = await suite.agents.run(cityAgent(city), `Weather in ${city}`, { stream: true });
      for await (const event of result) void event;
      await result.completed;
      return result.finalOutput;
    };
    return tracing.inParent('app', () => Promise.all(CITIES.map(one)));
  }

  /** Each run's CHAIN: its exact tree, and every span in it (the LLM spans' messages above all) about its own city only. */
  function expectOwnTrees(spans: ReadableSpan[]) {
    const app = expectOneTree(spans);
    const chains = childrenOf(spans, app);
    expect(chains.map((c) => `${c.name} ${kindOf(c)}`)).to.deep.equal(['Agent workflow CHAIN', 'Agent workflow CHAIN']);
    const LLM = `chat ${REQUEST_MODEL} LLM`;
    for (const city of CITIES) {
      const chain = chains.find((c) => childrenOf(spans, c)[0]?.name === `${city} agent`)!;
      expect(outline(spans, chain), city).to.deep.equal(['Agent workflow CHAIN', `  ${city} agent AGENT`, `    ${LLM}`, '    lookup TOOL', `      ${LLM}`, `    ${LLM}`]);
      const other = CITIES.find((c) => c !== city)!;
      const inChain = (span: ReadableSpan): boolean => span === chain || spans.some((p) => p.spanContext().spanId === span.parentSpanContext?.spanId && inChain(p));
      for (const span of spans.filter((s) => s !== chain && inChain(s))) {
        const attributes = JSON.stringify(span.attributes);
        expect(attributes, `${span.name} in the ${city} run`).to.contain(city).and.not.contain(other);
      }
    }
  }

  for (const api of ['responses', 'chat_completions'] as const) {
    for (const stream of [false, true]) {
      it(`${api}, ${stream ? 'streamed' : 'JSON'}: two runs at once, one LLM span per request (six), each under its own run`, async () => {
        served = 0;
        suite.agents.setOpenAIAPI(api);
        suite.server.handle(answer);
        const outputs = await runBoth(stream);
        expect(outputs).to.deep.equal(['Done Paris.', 'Done Oslo.']);
        const spans = await tracing.spans();
        expect(suite.server.requests).to.have.length(6);
        expect(ofKind(spans, 'LLM')).to.have.length(6);
        expectOwnTrees(spans);
        expectAllEnded(suite);
      });
    }
  }
});
