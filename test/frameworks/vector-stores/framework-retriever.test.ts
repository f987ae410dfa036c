import { expect } from 'chai';
import { context, SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { markFrameworkRetriever } from '../../../lib/instrumentation/run-scope';
import { lc } from '../langchain/langchain-modules';
import { createTracing, useInstrumentation } from '../../helpers/tracing';
import { FakeStores, PINECONE_MATCHES } from './fake-stores';

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
type PineconeIndex = { query(options: { topK: number; vector: number[]; includeMetadata?: boolean }): Promise<{ matches: any[] }> };

/**
 * A LangChain vector store over a Pinecone index, as @langchain/pinecone writes one (that package is not
 * installed here): the query vector from the embeddings, the matches' `text` metadata as the page content.
 */
function pineconeStore(index: PineconeIndex) {
  const { VectorStore } = require('@langchain/core/vectorstores') as typeof import('@langchain/core/vectorstores');
  class PineconeLikeStore extends VectorStore {
    _vectorstoreType(): string {
      return 'pinecone';
    }
    async addVectors(): Promise<void> {}
    async addDocuments(): Promise<void> {}
    async similaritySearchVectorWithScore(query: number[], k: number): Promise<[any, number][]> {
      const { matches } = await index.query({ topK: k, vector: query, includeMetadata: true });
      return matches.map((m) => {
        const { text, ...metadata } = m.metadata;
        return [new lc.documents.Document({ id: m.id, pageContent: text, metadata }), m.score];
      });
    }
  }
  return new PineconeLikeStore(new lc.testing.FakeEmbeddings(), {});
}

/** The documents' keys of a span. */
function documentKeys(span: ReadableSpan): string[] {
  return Object.keys(span.attributes).filter((key) => key.startsWith('retrieval.documents.'));
}

describe("vector stores under a framework's RETRIEVER run: the documents once, on the retriever", () => {
  const tracing = createTracing();
  let server: FakeStores;
  let index: PineconeIndex;

  before(async () => {
    useInstrumentation(tracing);
    const { Pinecone } = require('@pinecone-database/pinecone');
    server = await new FakeStores().start();
    index = new Pinecone({ apiKey: 'sk-test' }).index({ name: 'products', host: server.origin });
  });
  after(() => server.stop());
  beforeEach(() => {
    useInstrumentation(tracing);
    tracing.reset();
  });

  it("a LangChain retriever over the store: its RETRIEVER span has the documents, the store's query is its CLIENT child with the db attributes only", async () => {
    const retriever = pineconeStore(index).asRetriever(2);
    const documents = await tracing.inParent('app', () => retriever.invoke('capital of France?'));
    expect(documents.map((d: { id?: string }) => d.id)).to.deep.equal(['doc-1', 'doc-2']);
    const spans = await tracing.spans();
    expect(spans.map((s) => s.name)).to.deep.equal(['query products', 'VectorStoreRetriever', 'app']);
    const [query, run, app] = spans;
    expect(run.attributes['openinference.span.kind']).to.equal('RETRIEVER');
    expect(run.attributes['input.value']).to.equal('capital of France?');
    expect(run.attributes['retrieval.documents.0.document.content']).to.equal(PINECONE_MATCHES[0].metadata.text);
    expect(run.parentSpanContext?.spanId).to.equal(app.spanContext().spanId);
    expect(query.parentSpanContext?.spanId).to.equal(run.spanContext().spanId);
    expect(query.kind).to.equal(SpanKind.CLIENT);
    expect(query.attributes).to.deep.equal({
      'db.system.name': 'pinecone',
      'db.operation.name': 'query',
      'db.collection.name': 'products',
      'db.query.summary': 'query products',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(server.origin).port),
      'db.vector.query.top_k': 2,
      'infinium.retrieval.query_vector_dimensions': 4,
      'db.response.returned_rows': 2,
    });
    expect(documentKeys(query)).to.deep.equal([]);
  });

  it('concurrent retriever runs (batch) each parent their own query; a query beside them keeps its documents', async () => {
    const retriever = pineconeStore(index).asRetriever(1);
    await tracing.inParent('app', () => Promise.all([retriever.batch(['a', 'b']), index.query({ topK: 2, vector: [1, 2, 3] })]));
    const spans = await tracing.spans();
    const runs = spans.filter((s) => s.name === 'VectorStoreRetriever');
    const queries = spans.filter((s) => s.name === 'query products');
    expect(runs).to.have.length(2);
    expect(queries).to.have.length(3);
    const app = spans.find((s) => s.name === 'app')!;
    const beside = queries.filter((q) => q.parentSpanContext?.spanId === app.spanContext().spanId);
    expect(beside).to.have.length(1);
    expect(beside[0].attributes['openinference.span.kind']).to.equal('RETRIEVER');
    expect(documentKeys(beside[0])).to.have.length(6);
    const under = queries.filter((q) => q !== beside[0]).map((q) => runs.findIndex((r) => r.spanContext().spanId === q.parentSpanContext?.spanId));
    expect(under.sort()).to.deep.equal([0, 1]);
    for (const query of queries.filter((q) => q !== beside[0])) expect(documentKeys(query)).to.deep.equal([]);
  });

  it('a context marked as a framework retriever (the LlamaIndex helper) gets the same: db attributes, no documents', async () => {
    await tracing.inParent('retrieve', () => context.with(markFrameworkRetriever(context.active()), () => index.query({ topK: 2, vector: [1, 2, 3] })));
    const [query] = await tracing.spans();
    expect(query.name).to.equal('query products');
    expect(query.attributes).to.not.have.property('openinference.span.kind');
    expect(query.attributes['db.response.returned_rows']).to.equal(2);
    expect(documentKeys(query)).to.deep.equal([]);
  });
});
