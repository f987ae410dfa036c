import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { agentReplies, answer, embeddings } from './fixtures';
import { useLangChainSuite } from './suite';
import { kindOf, outline } from './tree';

/** Words that only the app's content holds: template variables, messages, tool arguments and results, documents. */
const PLANTED = ['Xylophonist', 'Quokka', 'Zanzibar', 'Kerguelen', 'Tasmanian'];

/** Everything a span exports, as one text. */
function everythingOf(spans: ReadableSpan[]): string {
  return JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events, s.status]));
}

/** What must stay when content is off: the tree (names, kinds) and every token count. */
function shapeOf(spans: ReadableSpan[]) {
  const counts = spans.map((s) => Object.entries(s.attributes).filter(([k]) => k.startsWith('llm.token_count.')));
  return { outline: outline(spans), kinds: spans.map(kindOf).sort(), counts: counts.filter((c) => c.length > 0) };
}

describe('LangChain e2e: capture-off hides all content of every run, and keeps the tree', function () {
  const suite = useLangChainSuite();
  const { tracing } = suite;

  /** A chain, an agent turn and a retrieval, each under its own app span, with the planted words in their content. */
  async function runEverything(): Promise<ReadableSpan[]> {
    suite.server.handle((request) => {
      if (request.path.endsWith('/embeddings')) return { json: embeddings(request.body.input) };
      if (request.body.tools) return agentReplies(request);
      return { json: answer('Quokka answer', { prompt: 31, completion: 4 }) };
    });
    const { Document } = suite.lc.documents;
    const vectorStore = await suite.lc.memory.MemoryVectorStore.fromDocuments(
      [new Document({ id: 'k1', pageContent: 'Kerguelen is remote.', metadata: { about: 'Tasmanian devil' } })],
      suite.embeddingsModel(),
    );
    tracing.reset();
    await tracing.inParent('chain-app', () => suite.qaChain().invoke({ persona: 'Xylophonist', question: 'Quokka question?' }));
    await tracing.inParent('agent-app', () => suite.weatherAgent().invoke({ messages: [{ role: 'user', content: 'Weather in Zanzibar?' }] }));
    await tracing.inParent('retriever-app', () => vectorStore.asRetriever(1).invoke('Kerguelen Quokka'));
    // A copy: the exporter's list is live, and the next run's store would add its embedding span to it.
    return [...(await tracing.spans())];
  }

  it('captureContent: false leaves no planted word on any span; names, kinds, the tree and token counts are unchanged', async () => {
    const withContent = await runEverything();
    const text = everythingOf(withContent);
    for (const word of PLANTED) expect(text, `${word} recorded with content on (the check below can fail)`).to.contain(word);
    expect(withContent.filter((s) => kindOf(s) === 'LLM')).to.have.length(3);

    suite.instrumentation.setConfig({ captureContent: false });
    const withoutContent = await runEverything();
    const hidden = everythingOf(withoutContent);
    for (const word of PLANTED) expect(hidden, `${word} left with content off`).not.to.contain(word);
    expect(shapeOf(withoutContent)).to.deep.equal(shapeOf(withContent));
    const tool = withoutContent.find((s) => kindOf(s) === 'TOOL')!;
    expect(tool.attributes['tool.name']).to.equal('get_weather');
    const agent = withoutContent.find((s) => kindOf(s) === 'AGENT')!;
    expect(agent.attributes['agent.name']).to.equal('weather_agent');
  });

  it('INFINIUM_CAPTURE_CONTENT=false does the same without any config in code', async () => {
    process.env.INFINIUM_CAPTURE_CONTENT = 'false';
    try {
      suite.instrumentation.setConfig({});
      const spans = await runEverything();
      const hidden = everythingOf(spans);
      for (const word of PLANTED) expect(hidden, `${word} left with content off`).not.to.contain(word);
      expect(spans.filter((s) => kindOf(s) === 'LLM')).to.have.length(3);
    } finally {
      delete process.env.INFINIUM_CAPTURE_CONTENT;
      suite.instrumentation.setConfig({});
    }
  });
});
