import { expect } from 'chai';
import { startFakeLlmServer } from '../../../helpers/fake-llm-server';
import { waitFor } from '../../../helpers/wait';
import { agentReplies, answer } from './fixtures';
import { useLangChainSuite } from './suite';
import { expectOneTree, ofKind, outline } from './tree';

/** A callback handler of the app's own, counting what it is told. */
function countingHandler() {
  const counts: Record<string, number> = {};
  const count = (name: string) => () => void (counts[name] = (counts[name] ?? 0) + 1);
  const names = ['handleChainStart', 'handleChainEnd', 'handleChatModelStart', 'handleLLMEnd', 'handleToolStart', 'handleToolEnd'];
  return { counts, handler: Object.fromEntries(names.map((name) => [name, count(name)])) };
}

describe('LangChain e2e: the app\'s own callbacks and LangSmith tracing keep working', function () {
  const suite = useLangChainSuite();
  const { tracing } = suite;
  const inputs = { persona: 'a teacher', question: 'Capital of France?' };

  it('a handler the app passes in `callbacks` gets every event of a chain; our tree is the same as without it', async () => {
    suite.server.reply({ json: answer('Paris') });
    await suite.qaChain().invoke(inputs);
    const without = outline(await tracing.spans());
    tracing.reset();

    const app = countingHandler();
    expect(await suite.qaChain().invoke(inputs, { callbacks: [app.handler] })).to.equal('Paris');
    // The sequence, the prompt and the parser; one model run.
    expect(app.counts).to.deep.equal({ handleChainStart: 3, handleChainEnd: 3, handleChatModelStart: 1, handleLLMEnd: 1 });
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(without);
  });

  it('a handler the app passes to an agent run gets every event of the graph; our tree is the same as without it', async () => {
    suite.server.handle(agentReplies);
    await suite.weatherAgent().invoke({ messages: [{ role: 'user', content: 'Weather in Paris?' }] });
    const without = outline(await tracing.spans());
    tracing.reset();

    const app = countingHandler();
    await suite.weatherAgent().invoke({ messages: [{ role: 'user', content: 'Weather in Paris?' }] }, { callbacks: [app.handler] });
    // The graph, __start__, twice (agent node, its sequence, its prompt, its branch), the tools node; two model runs, one tool run.
    expect(app.counts).to.deep.equal({ handleChainStart: 11, handleChainEnd: 11, handleChatModelStart: 2, handleLLMEnd: 2, handleToolStart: 1, handleToolEnd: 1 });
    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(without);
    expect(ofKind(spans, 'LLM')).to.have.length(suite.server.requests.length / 2);
  });

  it('LANGSMITH_TRACING to a local LangSmith endpoint: LangSmith still posts the chain\'s runs, and our tree is unchanged', async function () {
    this.timeout(60_000);
    const langsmith = await startFakeLlmServer();
    langsmith.handle((request) => (request.method === 'GET' ? { json: { version: '0.10.0', batch_ingest_config: {} } } : { status: 202, json: {} }));
    const env = { LANGSMITH_TRACING: 'true', LANGCHAIN_TRACING_V2: 'true', LANGSMITH_ENDPOINT: langsmith.origin, LANGSMITH_API_KEY: 'fake-langsmith-key', LANGSMITH_PROJECT: 'e2e' };
    try {
      Object.assign(process.env, env);
      suite.server.reply({ json: answer('Paris') });
      expect(await tracing.inParent('app', () => suite.qaChain().invoke(inputs))).to.equal('Paris');
      const posted = () => langsmith.requests.filter((r) => r.method === 'POST' && r.path.includes('/runs'));
      await waitFor(() => posted().some((r) => JSON.stringify(r.body).includes('RunnableSequence')), 'LangSmith receives the RunnableSequence run');
      const spans = await tracing.spans();
      expectOneTree(spans);
      expect(outline(spans)).to.deep.equal(['app -', '  RunnableSequence CHAIN', '    ChatPromptTemplate PROMPT', '    chat gpt-4o-mini LLM', '    StrOutputParser CHAIN']);
    } finally {
      for (const key of Object.keys(env)) delete process.env[key];
      await langsmith.stop();
    }
  });
});
