import { expect } from 'chai';
import { llmSpans } from '../../helpers/tracing';
import { chatCompletion } from '../../providers/openai/fixtures';
import { expectChildOf, kindOf, only, outline } from './e2e/tree';
import { appSpan, expectAllOk, usePatchSuite } from './patch-suite';

/**
 * The LangChain patches through the real @langchain/core (CommonJS build, in process): runs traced with no
 * callbacks passed, bodies in their run's context, a model run's SDK call as its one LLM span, disable()
 * and enable(), the app's own callbacks. Streams: patch-streams.test.ts.
 */
describe('LangChain patches (real @langchain/core, CommonJS)', () => {
  const { suite, lambda } = usePatchSuite();

  it('a sequence of lambdas invoked with no callbacks: a CHAIN span per run, parented by run id, under the app span', async () => {
    const { RunnableSequence } = suite.lc.runnables;
    const chain = RunnableSequence.from([lambda('add_one', (x: number) => x + 1), lambda('double', (x: number) => x * 2)]).withConfig({ runName: 'pipeline' });
    expect(await suite.tracing.inParent('app', () => chain.invoke(1))).to.equal(4);
    const spans = await suite.tracing.spans();
    expect(outline(spans)).to.deep.equal(['app -', '  pipeline CHAIN', '    add_one CHAIN', '    double CHAIN']);
    expectAllOk(spans);
    expect(only(spans, 'add_one').attributes['input.value']).to.equal('1');
    expect(only(spans, 'double').attributes['output.value']).to.equal('4');
  });

  it("a span started in a lambda's or a tool's body is a child of that run's span", async () => {
    const { RunnableSequence } = suite.lc.runnables;
    const lookup = suite.lc.tools.tool(
      async ({ city }: { city: string }) => {
        appSpan('GET /weather');
        return `Sunny in ${city}`;
      },
      { name: 'lookup', description: 'weather', schema: suite.lc.zod.z.object({ city: suite.lc.zod.z.string() }) },
    );
    const chain = RunnableSequence.from([
      lambda('fetch_city', async (city: string) => {
        appSpan('SELECT city');
        return { city };
      }),
      lookup,
    ]).withConfig({ runName: 'pipeline' });
    expect(await chain.invoke('Paris')).to.equal('Sunny in Paris');
    const spans = await suite.tracing.spans();
    expect(outline(spans)).to.deep.equal(['pipeline CHAIN', '  fetch_city CHAIN', '    SELECT city -', '  lookup TOOL', '    GET /weather -']);
  });

  it("a class-based tool's _call: its spans are under its TOOL span", async () => {
    const { StructuredTool } = suite.lc.tools;
    const { z } = suite.lc.zod;
    class WeatherTool extends StructuredTool {
      name = 'weather';
      description = 'weather of a city';
      schema = z.object({ city: z.string() });
      async _call({ city }: { city: string }): Promise<string> {
        appSpan('GET /weather');
        return `Sunny in ${city}`;
      }
    }
    const chain = lambda('pick', (city: string) => ({ city })).pipe(new WeatherTool()).withConfig({ runName: 'pipeline' });
    expect(await chain.invoke('Oslo')).to.equal('Sunny in Oslo');
    const spans = await suite.tracing.spans();
    // (The tool span's name is the handler's business: LangChain gives a class-based tool's run no name.)
    const tools = spans.filter((s) => kindOf(s) === 'TOOL');
    expect(tools).to.have.length(1);
    expectChildOf(tools[0], only(spans, 'pipeline'));
    expectChildOf(only(spans, 'GET /weather'), tools[0]);
    expect(spans).to.have.length(4);
  });

  it("concurrent runs (Promise.all): each body's span is under its own run", async () => {
    const step = lambda('step', async (x: number) => {
      await new Promise((resolve) => setImmediate(resolve));
      appSpan(`work ${x}`);
      return x;
    });
    expect(await Promise.all([step.invoke(1), step.invoke(2)])).to.deep.equal([1, 2]);
    const spans = await suite.tracing.spans();
    const steps = spans.filter((s) => s.name === 'step');
    expect(steps).to.have.length(2);
    expect(steps.map((s) => s.attributes['input.value']).sort()).to.deep.equal(['1', '2']);
    for (const run of steps) expectChildOf(only(spans, `work ${String(run.attributes['input.value'])}`), run);
  });

  it("a retriever's work (its HTTP calls) is under the RETRIEVER span; an LLM's run is its LLM span", async () => {
    const { lc } = suite;
    const { BaseRetriever } = require('@langchain/core/retrievers') as typeof import('@langchain/core/retrievers');
    const { Document } = require('@langchain/core/documents') as typeof import('@langchain/core/documents');
    class SearchRetriever extends BaseRetriever {
      override lc_namespace = ['test'];
      override async _getRelevantDocuments(query: string) {
        appSpan('GET /search');
        return [new Document({ id: 'd1', pageContent: `about ${query}` })];
      }
    }
    expect(await new SearchRetriever().invoke('cats')).to.have.length(1);
    const llmChain = lambda('ask', (q: string) => q).pipe(new lc.testing.FakeLLM({})).withConfig({ runName: 'qa' });
    expect(await llmChain.invoke('echo me')).to.equal('echo me');
    const spans = await suite.tracing.spans();
    expect(outline(spans)).to.deep.equal(['SearchRetriever RETRIEVER', '  GET /search -', 'qa CHAIN', '  ask CHAIN', '  text_completion LLM']);
  });

  it('a chat model calling the OpenAI SDK inside a chain: the SDK span is the one LLM span, under the chain', async () => {
    const { lc, server } = suite;
    server.reply({ json: chatCompletion() });
    const client = new lc.OpenAI({ apiKey: 'sk-test', baseURL: `${server.origin}/v1`, maxRetries: 0 });
    const { BaseChatModel } = lc.chatModels;
    const { AIMessage } = lc.messages;
    class SdkChatModel extends BaseChatModel {
      _llmType(): string {
        return 'sdk-chat';
      }
      async _generate(messages: Array<{ content: unknown }>) {
        const completion = await client.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: messages.map((m) => ({ role: 'user' as const, content: String(m.content) })),
        });
        const text = completion.choices[0].message.content ?? '';
        return { generations: [{ text, message: new AIMessage(text) }] };
      }
    }
    const chain = lambda('ask', (q: string) => q).pipe(new SdkChatModel({})).withConfig({ runName: 'qa' });
    const answer = await suite.tracing.inParent('app', () => chain.invoke('Hi'));
    expect(answer.content).to.equal('Hello there!');
    const spans = await suite.tracing.spans();
    expect(server.requests).to.have.length(1);
    expect(llmSpans(spans).filter((s) => kindOf(s) === 'LLM')).to.have.length(1);
    expect(outline(spans)).to.deep.equal(['app -', '  qa CHAIN', '    ask CHAIN', '    chat gpt-4o-mini LLM']);
    const llm = only(spans, 'chat gpt-4o-mini');
    expectChildOf(llm, only(spans, 'qa'));
    expect(llm.attributes['llm.token_count.total']).to.equal(29);
  });

  it('a run tagged langsmith:hidden has no span: its body\'s spans, its tool and its model run sit under the visible parent', async () => {
    const { z } = suite.lc.zod;
    const lookup = suite.lc.tools.tool(
      async ({ city }: { city: string }) => {
        appSpan('GET /weather');
        return `Sunny in ${city}`;
      },
      { name: 'lookup', description: 'weather', schema: z.object({ city: z.string() }) },
    );
    const model = new suite.lc.testing.FakeListChatModel({ responses: ['pong'] });
    // Tags are inherited: the inner lambda is hidden too, the tool and the model run are never hidden.
    const inner = lambda('inner_bookkeeping', async (city: string) => {
      appSpan('SELECT city');
      await model.invoke('ping');
      return lookup.invoke({ city });
    });
    const bookkeeping = lambda('bookkeeping', (city: string) => inner.invoke(city)).withConfig({ tags: ['langsmith:hidden'] });
    const chain = lambda('start', (city: string) => city).pipe(bookkeeping).withConfig({ runName: 'pipeline' });
    expect(await suite.tracing.inParent('app', () => chain.invoke('Oslo'))).to.equal('Sunny in Oslo');
    const spans = await suite.tracing.spans();
    // The model run's LLM span starts at the run's start (performance clock): its place among siblings is checked apart.
    expect(outline(spans).filter((line) => line !== '    chat LLM')).to.deep.equal(['app -', '  pipeline CHAIN', '    start CHAIN', '    SELECT city -', '    lookup TOOL', '      GET /weather -']);
    expectChildOf(only(spans, 'chat'), only(spans, 'pipeline'));
    expect(spans).to.have.length(7);
    expect(spans.filter((s) => s.name.includes('bookkeeping'))).to.deep.equal([]);
    expectAllOk(spans);
  });

  it("a model whose SDK is not patched (FakeListChatModel): LangChain's run is the LLM span", async () => {
    const model = new suite.lc.testing.FakeListChatModel({ responses: ['pong'] });
    const chain = lambda('ask', (q: string) => q).pipe(model).withConfig({ runName: 'qa' });
    expect((await chain.invoke('ping')).content).to.equal('pong');
    const spans = await suite.tracing.spans();
    expect(outline(spans)).to.deep.equal(['qa CHAIN', '  ask CHAIN', '  chat LLM']);
    expect(only(spans, 'chat').attributes['llm.output_messages.0.message.content']).to.equal('pong');
  });

  it('disable() stops tracing runs and unwraps every patch; enable() restores both', async () => {
    const { lc, instrumentation } = suite;
    const manager = lc.callbackManager.CallbackManager as unknown as { _configureSync: () => unknown };
    const chain = lambda('step', (x: number) => x + 1);
    instrumentation.disable();
    try {
      expect(manager._configureSync()).to.equal(undefined);
      expect(await chain.invoke(1)).to.equal(2);
      expect(await suite.tracing.spans()).to.deep.equal([]);
    } finally {
      instrumentation.enable();
    }
    const configured = manager._configureSync() as { handlers: Array<{ name: string }> };
    expect(configured.handlers.map((h) => h.name)).to.deep.equal(['infinium_otel']);
    expect(await chain.invoke(1)).to.equal(2);
    expect(outline(await suite.tracing.spans())).to.deep.equal(['step CHAIN']);
  });

  it("the app's own callbacks keep working, and our handler is added once", async () => {
    const seen: string[] = [];
    const own = { handleChainStart: (_s: unknown, _i: unknown, _id: string, _p: unknown, _t: unknown, _m: unknown, _rt: unknown, name: string) => void seen.push(name) };
    const chain = suite.lc.runnables.RunnableSequence.from([lambda('a', (x: number) => x), lambda('b', (x: number) => x)]).withConfig({ runName: 'seq' });
    await chain.invoke(1, { callbacks: [own] });
    expect(seen).to.deep.equal(['seq', 'a', 'b']);
    expect(outline(await suite.tracing.spans())).to.deep.equal(['seq CHAIN', '  a CHAIN', '  b CHAIN']);
  });
});
