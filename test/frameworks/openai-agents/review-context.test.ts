import { expect } from 'chai';
import { calls, says, scripted } from './fixtures';
import { REQUEST_MODEL, useAgentsSuite } from './suite';
import { expectAllEnded, expectOneTree, outline } from './tree';

const LLM = `chat ${REQUEST_MODEL} LLM`;

describe('OpenAI Agents review: a run hangs on the app\'s span active where the app called the SDK', function () {
  const suite = useAgentsSuite();
  const { tracing } = suite;
  const appTracer = () => tracing.provider.getTracer('the-app');

  async function inSpan<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return appTracer().startActiveSpan(name, async (span) => {
      try {
        return await fn();
      } finally {
        span.end();
      }
    });
  }

  it('inside the app\'s withTrace, around the run, a span of the app\'s own: the run\'s CHAIN under that span, not beside it', async () => {
    suite.server.handle(scripted([says('Hi.', 1)]));
    const agent = new suite.agents.Agent({ name: 'Greeter', instructions: 'Greet.', model: REQUEST_MODEL });
    await tracing.inParent('app', () => suite.agents.withTrace('Conversation', () => inSpan('step', () => suite.agents.run(agent, 'Hi'))));
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(['app -', '  step -', '    Agent workflow CHAIN', '      Greeter AGENT', `        ${LLM}`]);
    expectAllEnded(suite);
  });

  it('a tool body that starts its own span, then its own trace with a run in it: that run under the app\'s span, under the TOOL', async () => {
    suite.server.handle(scripted([calls('consult', {}, 1), says('Expert says hi.', 2), says('Done.', 3)]));
    const expert = new suite.agents.Agent({ name: 'Expert', instructions: 'Advise.', model: REQUEST_MODEL });
    const consult = suite.agents.tool({
      name: 'consult',
      description: 'Asks the expert.',
      parameters: { type: 'object', properties: {}, required: [], additionalProperties: false },
      strict: true,
      execute: async () => inSpan('prepare', () => suite.agents.withTrace('Expert consultation', async () => (await suite.agents.run(expert, 'Advice?')).finalOutput)),
    });
    const agent = new suite.agents.Agent({ name: 'Asker', instructions: 'Ask.', model: REQUEST_MODEL, tools: [consult] });
    await tracing.inParent('app', () => suite.agents.run(agent, 'Ask the expert'));
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal([
      'app -',
      '  Agent workflow CHAIN',
      '    Asker AGENT',
      `      ${LLM}`,
      '      consult TOOL',
      '        prepare -',
      '          Agent workflow CHAIN',
      '            Expert AGENT',
      `              ${LLM}`,
      `      ${LLM}`,
    ]);
    expectAllEnded(suite);
  });
});
