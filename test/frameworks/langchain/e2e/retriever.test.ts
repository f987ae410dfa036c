import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { answer, EMBEDDING_MODEL, openAiRoutes } from './fixtures';
import { useLangChainSuite } from './suite';
import { attributesUnder, expectChildOf, expectOk, expectOneTree, isUnder, kindOf, ofKind, only, outline } from './tree';

const EMBEDDING_SPAN = `embeddings ${EMBEDDING_MODEL}`;

describe('LangChain e2e: a retriever over a MemoryVectorStore with OpenAI embeddings', function () {
  const suite = useLangChainSuite();
  const { tracing } = suite;

  /** A store of three documents (ids d1..d3); the spans and requests of filling it are cleared. */
  async function store() {
    suite.server.handle(openAiRoutes([{ json: answer('Paris') }]));
    const { Document } = suite.lc.documents;
    const documents = [
      new Document({ id: 'd1', pageContent: 'Paris is the capital of France.', metadata: { source: 'atlas', page: 1 } }),
      new Document({ id: 'd2', pageContent: 'Lyon is known for its food.', metadata: { source: 'guide', page: 7 } }),
      new Document({ id: 'd3', pageContent: 'Berlin is the capital of Germany.', metadata: { source: 'atlas', page: 2 } }),
    ];
    const vectorStore = await suite.lc.memory.MemoryVectorStore.fromDocuments(documents, suite.embeddingsModel());
    tracing.reset();
    suite.server.requests.length = 0;
    return vectorStore;
  }

  function embeddingRequests(): number {
    return suite.server.requests.filter((r) => r.path.endsWith('/embeddings')).length;
  }

  /** The two documents the query finds, as the RETRIEVER span must carry them (no scores: asRetriever gives none). */
  const FOUND = {
    'retrieval.documents.0.document.id': 'd1',
    'retrieval.documents.0.document.content': 'Paris is the capital of France.',
    'retrieval.documents.0.document.metadata': '{"source":"atlas","page":1}',
    'retrieval.documents.1.document.id': 'd2',
    'retrieval.documents.1.document.content': 'Lyon is known for its food.',
    'retrieval.documents.1.document.metadata': '{"source":"guide","page":7}',
  };

  function expectRetrieverSpan(spans: ReadableSpan[]): ReadableSpan {
    const retriever = only(spans, 'VectorStoreRetriever');
    expect(kindOf(retriever)).to.equal('RETRIEVER');
    expect(retriever.attributes['input.value']).to.equal('capital of France');
    expect(attributesUnder(retriever, 'retrieval.documents.')).to.deep.equal(FOUND);
    const embeddings = ofKind(spans, 'EMBEDDING');
    expect(embeddings).to.have.length(embeddingRequests()).and.length(1);
    expectChildOf(embeddings[0], retriever);
    expect(embeddings[0].name).to.equal(EMBEDDING_SPAN);
    expect(embeddings[0].attributes['embedding.embeddings.0.embedding.text']).to.equal('capital of France');
    for (const span of spans) expectOk(span);
    return retriever;
  }

  it('asRetriever(2).invoke: a RETRIEVER span with the query and exactly the 2 documents, the query\'s EMBEDDING span its child', async () => {
    const retriever = (await store()).asRetriever(2);
    const docs = await tracing.inParent('app', () => retriever.invoke('capital of France'));
    expect(docs.map((d) => d.id)).to.deep.equal(['d1', 'd2']);

    const spans = await tracing.spans();
    expectOneTree(spans);
    expect(outline(spans)).to.deep.equal(['app -', '  VectorStoreRetriever RETRIEVER', `    ${EMBEDDING_SPAN} EMBEDDING`]);
    expectRetrieverSpan(spans);
  });

  it('inside a RAG chain: the retriever and its embedding under the chain, one LLM span for the one chat request', async () => {
    const retriever = (await store()).asRetriever(2);
    const { RunnableSequence, RunnablePassthrough, RunnableLambda } = suite.lc.runnables;
    const joinDocs = RunnableLambda.from((docs: Array<{ pageContent: string }>) => docs.map((d) => d.pageContent).join('\n'));
    const prompt = suite.lc.prompts.ChatPromptTemplate.fromMessages([
      ['system', 'Answer from this context:\n{context}'],
      ['human', '{question}'],
    ]);
    const chain = RunnableSequence.from([
      { context: retriever.pipe(joinDocs), question: new RunnablePassthrough() },
      prompt,
      suite.chatModel(),
      new suite.lc.parsers.StringOutputParser(),
    ]);
    const result = await tracing.inParent('app', () => chain.invoke('capital of France'));
    expect(result).to.equal('Paris');

    const spans = await tracing.spans();
    const app = expectOneTree(spans);
    const root = spans.find((s) => s.name === 'RunnableSequence' && s.parentSpanContext?.spanId === app.spanContext().spanId)!;
    expect(root, 'the chain\'s root sequence').to.not.equal(undefined);
    const retrieverSpan = expectRetrieverSpan(spans);
    expect(isUnder(spans, retrieverSpan, root)).to.equal(true);

    const llms = ofKind(spans, 'LLM');
    expect(llms).to.have.length(suite.server.requests.length - embeddingRequests()).and.length(1);
    expectChildOf(llms[0], root);
    expect(llms[0].attributes['llm.input_messages.0.message.content']).to.equal(
      'Answer from this context:\nParis is the capital of France.\nLyon is known for its food.',
    );
    expect(root.attributes['output.value']).to.equal('Paris');
  });
});
