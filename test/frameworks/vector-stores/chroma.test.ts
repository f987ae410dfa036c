import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { isWrapped } from '@opentelemetry/instrumentation';
import { llmSpans, useInstrumentation } from '../../helpers/tracing';
import { CHROMA_QUERY } from './fake-stores';
import { useStores } from './harness';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('vector stores: Chroma through its real SDK against a local server; conventions; disable()', () => {
  const stores = useStores();
  const { tracing, only, pineconeIndex, chromaCollection } = stores;

  it('with the GenAI conventions too, a query is also a GenAI retrieval; the db keys are the same', async () => {
    const { instrumentation } = useInstrumentation(tracing);
    instrumentation.setConfig({ semconv: 'openinference,gen_ai' });
    await (await chromaCollection()).query({ queryTexts: ['what is chroma?'], nResults: 2 });
    const span = await only();
    expect(span.attributes).to.include({
      'gen_ai.operation.name': 'retrieval',
      'gen_ai.retrieval.query.text': 'what is chroma?',
      'db.system.name': 'chroma',
      'db.query.summary': 'query notes',
      'openinference.span.kind': 'RETRIEVER',
    });
  });

  it('Chroma query: the query text is the input, the documents have content and distances as scores', async () => {
    const collection = await chromaCollection();
    const result = await collection.query({ queryTexts: ['what is chroma?'], nResults: 2 });
    expect(result.ids).to.deep.equal(CHROMA_QUERY.ids);
    const span = await only();
    expect(span.name).to.equal('query notes');
    expect(span.attributes).to.deep.equal({
      ...stores.retriever('chroma', 'query', 'notes', { 'db.vector.query.top_k': 2, 'db.response.returned_rows': 2 }),
      'input.value': 'what is chroma?',
      'input.mime_type': 'text/plain',
      'retrieval.documents.0.document.id': 'c1',
      'retrieval.documents.0.document.content': 'Chroma stores documents.',
      'retrieval.documents.0.document.metadata': '{"topic":"db"}',
      'retrieval.documents.0.document.score': 0.12,
      'retrieval.documents.1.document.id': 'c2',
      'retrieval.documents.1.document.content': 'Embeddings live here.',
      'retrieval.documents.1.document.score': 0.4,
    });
  });

  it('Chroma by embedding: no input, the dimension count; add, get and delete are CLIENT spans; an error passes unchanged', async () => {
    const collection = await chromaCollection();
    await collection.query({ queryEmbeddings: [[0.5, 0.5, 0.5, 0.5]] });
    await collection.add({ ids: ['n1'], embeddings: [[1, 2, 3]], documents: ['new note'] });
    await collection.get({ ids: ['c1'] });
    await collection.delete({ ids: ['c1'] });
    const failing = await chromaCollection('failing');
    const error = await failing.query({ queryEmbeddings: [[1, 2, 3]] }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(Error);
    const spans = llmSpans(await tracing.spans());
    expect(spans.map((s) => s.name)).to.deep.equal(['query notes', 'add notes', 'get notes', 'delete notes', 'query failing']);
    expect(spans[0].attributes).to.not.have.property('input.value');
    expect(spans[0].attributes['infinium.retrieval.query_vector_dimensions']).to.equal(4);
    expect(spans[0].attributes['db.vector.query.top_k']).to.equal(10);
    expect(spans[1].attributes).to.not.have.property('openinference.span.kind');
    expect(JSON.stringify(spans[1].attributes)).to.not.include('new note');
    expect(spans[2].attributes['db.response.returned_rows']).to.equal(1);
    expect(spans[4].status.code).to.equal(SpanStatusCode.ERROR);
    expect(spans[4].attributes['error.type']).to.equal((error as Error).constructor.name);
  });

  it('a Chroma collection handle (client.collection(id)) is traced once per call, though it overrides the base method', async () => {
    const client = new stores.sdk.ChromaClient({ host: '127.0.0.1', port: stores.port, tenant: 't1', database: 'd1' });
    const handle = client.collection('abc');
    await handle.query({ queryEmbeddings: [[1, 2, 3]], nResults: 2 });
    await handle.search({ rank: { $knn: { query: [1, 2, 3] } }, limit: 2 });
    const spans = llmSpans(await tracing.spans());
    expect(spans.map((s) => s.name)).to.deep.equal(['query', 'search']);
    expect(spans.map((s) => s.attributes['db.response.returned_rows'])).to.deep.equal([2, 2]);
    expect(spans[1].attributes['infinium.retrieval.query_vector_dimensions']).to.equal(3);
  });

  it("the collection discovery keeps the client's answers: a factory's rejection unchanged and handled once by the app; a subclass's collections traced", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const client = new stores.sdk.ChromaClient({ host: '127.0.0.1', port: stores.port, tenant: 't1', database: 'd1' });
      const pending = client.getCollection({ name: 'absent' });
      const error = await pending.catch((e: unknown) => e);
      expect((error as Error).constructor.name).to.equal('ChromaNotFoundError');
      const AppClient = class extends stores.sdk.ChromaClient {} as unknown as typeof stores.sdk.ChromaClient;
      const collection = await new AppClient({ host: '127.0.0.1', port: stores.port, tenant: 't1', database: 'd1' }).getCollection({ name: 'notes', embeddingFunction: { generate: async (texts: string[]) => texts.map(() => [1, 2, 3]) } });
      await collection.get({ ids: ['c1'] });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).to.deep.equal([]);
    expect(llmSpans(await tracing.spans()).map((s) => s.name)).to.deep.equal(['get notes']);
  });

  it('disable() restores every method and enable() traces again', async () => {
    const { instrumentation } = useInstrumentation(tracing);
    expect(isWrapped(stores.sdk.Index.prototype.query)).to.equal(true);
    expect(isWrapped(stores.sdk.QdrantClient.prototype.search)).to.equal(true);
    expect(isWrapped(stores.sdk.ChromaClient.prototype.getCollection)).to.equal(true);
    const collection = await chromaCollection();
    const base = Object.getPrototypeOf(collection);
    expect(isWrapped(base.query)).to.equal(true);
    expect([stores.sdk.QdrantClient.prototype.searchBatch, stores.sdk.QdrantClient.prototype.queryGroups, base.search].map(isWrapped)).to.deep.equal([true, true, true]);
    instrumentation.disable();
    try {
      for (const fn of [stores.sdk.Index.prototype.query, stores.sdk.Index.prototype.upsert, stores.sdk.QdrantClient.prototype.search, stores.sdk.QdrantClient.prototype.query, stores.sdk.QdrantClient.prototype.searchBatch, stores.sdk.QdrantClient.prototype.queryGroups, stores.sdk.ChromaClient.prototype.getCollection, base.query, base.search, base.add]) {
        expect(isWrapped(fn)).to.equal(false);
      }
      await pineconeIndex().query({ topK: 1, vector: [1, 2, 3] });
      await collection.query({ queryEmbeddings: [[1, 2, 3]] });
      expect(llmSpans(await tracing.spans())).to.have.length(0);
    } finally {
      instrumentation.enable();
    }
    await collection.query({ queryEmbeddings: [[1, 2, 3]] });
    expect(llmSpans(await tracing.spans()).map((s) => s.name)).to.deep.equal(['query notes']);
  });
});
