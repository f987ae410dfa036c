import { expect } from 'chai';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { isWrapped } from '@opentelemetry/instrumentation';
import { errorType } from '../../../lib/instrumentation/llm-call';
import { createTracing, llmSpans, useInstrumentation } from '../../helpers/tracing';
import { CHROMA_QUERY, FakeStores, PINECONE_MATCHES, QDRANT_POINTS } from './fake-stores';

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
let Pinecone: any, Index: any, QdrantClient: any, ChromaClient: any;

/** A Chroma embedding function that embeds in process (no model call): every text is [1, 2, 3]. */
const embeddingFunction = { generate: async (texts: string[]) => texts.map(() => [1, 2, 3]) };

describe('vector stores: Pinecone, Qdrant, Chroma through their real SDKs against a local server', () => {
  const tracing = createTracing();
  let server: FakeStores;
  let port: number;

  before(async () => {
    // Loaded once the instrumentation is enabled, as an app loads them after its tracing file.
    useInstrumentation(tracing);
    ({ Pinecone, Index } = require('@pinecone-database/pinecone'));
    ({ QdrantClient } = require('@qdrant/js-client-rest'));
    ({ ChromaClient } = require('chromadb'));
    server = await new FakeStores().start();
    port = Number(new URL(server.origin).port);
  });
  after(() => server.stop());
  beforeEach(() => {
    useInstrumentation(tracing);
    tracing.reset();
    server.seen.length = 0;
  });

  async function only(): Promise<ReadableSpan> {
    const spans = llmSpans(await tracing.spans());
    expect(spans.map((s) => s.name)).to.have.length(1);
    return spans[0];
  }

  function pineconeIndex(host = server.origin) {
    return new Pinecone({ apiKey: 'sk-test' }).index({ name: 'products', host });
  }

  function qdrant() {
    return new QdrantClient({ url: server.origin, checkCompatibility: false });
  }

  async function chromaCollection(name = 'notes') {
    const client = new ChromaClient({ host: '127.0.0.1', port, tenant: 't1', database: 'd1' });
    return client.getCollection({ name, embeddingFunction });
  }

  const server127 = () => ({ 'server.address': '127.0.0.1', 'server.port': port });

  it('Pinecone query: one RETRIEVER CLIENT span, the matches as documents, the vector only counted', async () => {
    const result: any = await tracing.inParent('app', () => pineconeIndex().query({ topK: 2, vector: [0.1, 0.2, 0.3], includeMetadata: true }));
    expect(result.matches.map((m: { id: string }) => m.id)).to.deep.equal(['doc-1', 'doc-2']);
    const spans = await tracing.spans();
    const span = await only();
    expect(span.name).to.equal('query products');
    expect(span.kind).to.equal(SpanKind.CLIENT);
    expect(span.status.code).to.equal(SpanStatusCode.UNSET);
    expect(span.parentSpanContext?.spanId).to.equal(spans.find((s) => s.name === 'app')!.spanContext().spanId);
    expect(span.attributes).to.deep.equal({
      'openinference.span.kind': 'RETRIEVER',
      'db.system.name': 'pinecone',
      'db.operation.name': 'query',
      'db.collection.name': 'products',
      'db.query.summary': 'query products',
      ...server127(),
      'db.vector.query.top_k': 2,
      'infinium.retrieval.query_vector_dimensions': 3,
      'db.response.returned_rows': 2,
      'retrieval.documents.0.document.id': 'doc-1',
      'retrieval.documents.0.document.metadata': JSON.stringify(PINECONE_MATCHES[0].metadata),
      'retrieval.documents.0.document.score': 0.92,
      'retrieval.documents.1.document.id': 'doc-2',
      'retrieval.documents.1.document.metadata': JSON.stringify(PINECONE_MATCHES[1].metadata),
      'retrieval.documents.1.document.score': 0.81,
    });
    expect(JSON.stringify(span.attributes)).to.not.include('0.1,0.2,0.3');
  });

  it('Pinecone upsert, fetch and delete: CLIENT spans with the database attributes and no OpenInference kind', async () => {
    const index = pineconeIndex();
    await index.upsert({ records: [{ id: 'x', values: [1, 2, 3] }] });
    await index.fetch({ ids: ['doc-1'] });
    await index.deleteOne({ id: 'x' });
    await index.deleteMany({ ids: ['x', 'y'] });
    const spans = llmSpans(await tracing.spans());
    expect(spans.map((s) => [s.name, s.kind])).to.deep.equal([
      ['upsert products', SpanKind.CLIENT], ['fetch products', SpanKind.CLIENT], ['delete products', SpanKind.CLIENT], ['delete products', SpanKind.CLIENT],
    ]);
    expect(spans[1].attributes).to.deep.equal({
      'db.system.name': 'pinecone',
      'db.operation.name': 'fetch',
      'db.collection.name': 'products',
      'db.query.summary': 'fetch products',
      ...server127(),
      'db.response.returned_rows': 1,
    });
    for (const span of spans) expect(span.attributes).to.not.have.property('openinference.span.kind');
  });

  it("Pinecone error: the SDK's own error reaches the app unchanged, the span is ERROR with the HTTP status", async () => {
    const index = pineconeIndex(`${server.origin}/fail`);
    let caught: unknown;
    await index.query({ topK: 2, vector: [0.1, 0.2] }).catch((error: unknown) => (caught = error));
    expect((caught as Error).constructor.name).to.equal('PineconeBadRequestError');
    const span = await only();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.status.message).to.equal((caught as Error).message);
    expect(span.attributes['error.type']).to.equal('PineconeBadRequestError');
    expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
    expect(span.attributes).to.not.have.property('retrieval.documents.0.document.id');
  });

  it('Pinecone index by name only: the host the client resolves (control plane) is the server once the first call is in', async () => {
    const index = new Pinecone({ apiKey: 'sk-test', controllerHostUrl: server.origin }).index({ name: 'catalog' });
    await index.query({ topK: 1, id: 'doc-1' });
    const span = await only();
    expect(span.name).to.equal('query catalog');
    expect(span.attributes).to.include({ 'db.collection.name': 'catalog', ...server127(), 'db.vector.query.top_k': 1 });
    expect(span.attributes).to.not.have.property('infinium.retrieval.query_vector_dimensions');
  });

  it('a Pinecone index given by host only is named from the host, as Pinecone builds it', () => {
    const { PINECONE_METHODS } = require('../../../lib/frameworks/vector-stores/pinecone');
    const self = { target: { indexName: '', indexHostUrl: 'products-abc1234.svc.aped-4627-b74a.pinecone.io' } };
    expect(PINECONE_METHODS.query.describe(self, [{ topK: 3, vector: [1, 2] }])).to.deep.equal({
      collection: 'products',
      server: { address: 'products-abc1234.svc.aped-4627-b74a.pinecone.io', port: 443 },
      topK: 3,
      queryVectorDimensions: 2,
    });
  });

  it('Qdrant search and query: RETRIEVER spans with the points as documents, their payload as metadata', async () => {
    const client = qdrant();
    const found = await client.search('docs', { vector: [1, 2, 3], limit: 2 });
    expect(found).to.deep.equal(QDRANT_POINTS);
    await client.query('docs', { query: { nearest: [1, 2, 3, 4] }, limit: 1 });
    const [search, query] = llmSpans(await tracing.spans());
    expect(search.name).to.equal('search docs');
    expect(search.attributes).to.deep.equal({
      'openinference.span.kind': 'RETRIEVER',
      'db.system.name': 'qdrant',
      'db.operation.name': 'search',
      'db.collection.name': 'docs',
      'db.query.summary': 'search docs',
      ...server127(),
      'db.vector.query.top_k': 2,
      'infinium.retrieval.query_vector_dimensions': 3,
      'db.response.returned_rows': 2,
      'retrieval.documents.0.document.id': '7',
      'retrieval.documents.0.document.metadata': JSON.stringify(QDRANT_POINTS[0].payload),
      'retrieval.documents.0.document.score': 0.88,
      'retrieval.documents.1.document.id': 'a1b2c3d4-0000-4000-8000-000000000001',
      'retrieval.documents.1.document.score': 0.5,
    });
    expect(query.name).to.equal('query docs');
    expect(query.attributes['infinium.retrieval.query_vector_dimensions']).to.equal(4);
    expect(query.attributes['db.vector.query.top_k']).to.equal(1);
    expect(query.attributes['db.response.returned_rows']).to.equal(1);
  });

  it('a Qdrant query by document (Qdrant embeds the text) has the text as its input', async () => {
    await qdrant().query('docs', { query: { text: 'what is qdrant?', model: 'sentence-transformers/all-minilm-l6-v2' } });
    const span = await only();
    expect(span.attributes).to.include({ 'input.value': 'what is qdrant?', 'input.mime_type': 'text/plain' });
    expect(span.attributes).to.not.have.property('infinium.retrieval.query_vector_dimensions');
  });

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

  it("Qdrant upsert and retrieve are CLIENT spans; a failed search keeps Qdrant's ApiError and its status", async () => {
    const client = qdrant();
    await client.upsert('docs', { points: [{ id: 1, vector: [1, 2, 3] }] });
    await client.retrieve('docs', { ids: [7] });
    const error = await client.search('fail-docs', { vector: [1, 2] }).catch((e: unknown) => e);
    expect((error as { status?: number }).status).to.equal(400);
    const [upsert, retrieve, failed] = llmSpans(await tracing.spans());
    expect([upsert.name, retrieve.name, failed.name]).to.deep.equal(['upsert docs', 'retrieve docs', 'search fail-docs']);
    expect(upsert.attributes).to.not.have.property('openinference.span.kind');
    expect(retrieve.attributes['db.response.returned_rows']).to.equal(1);
    expect(failed.status.code).to.equal(SpanStatusCode.ERROR);
    expect(failed.attributes['error.type']).to.equal(errorType(error));
    expect(failed.attributes['db.response.status_code']).to.equal('400');
  });

  it('Chroma query: the query text is the input, the documents have content and distances as scores', async () => {
    const collection = await chromaCollection();
    const result = await collection.query({ queryTexts: ['what is chroma?'], nResults: 2 });
    expect(result.ids).to.deep.equal(CHROMA_QUERY.ids);
    const span = await only();
    expect(span.name).to.equal('query notes');
    expect(span.attributes).to.deep.equal({
      'openinference.span.kind': 'RETRIEVER',
      'db.system.name': 'chroma',
      'db.operation.name': 'query',
      'db.collection.name': 'notes',
      'db.query.summary': 'query notes',
      ...server127(),
      'db.vector.query.top_k': 2,
      'db.response.returned_rows': 2,
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
    const client = new ChromaClient({ host: '127.0.0.1', port, tenant: 't1', database: 'd1' });
    const handle = client.collection('abc');
    await handle.query({ queryEmbeddings: [[1, 2, 3]], nResults: 2 });
    const span = await only();
    expect(span.name).to.equal('query');
    expect(span.attributes['db.response.returned_rows']).to.equal(2);
  });

  it('concurrent queries each get their own span under their own parent', async () => {
    const index = pineconeIndex();
    await Promise.all(['a', 'b', 'c'].map((name) => tracing.inParent(name, () => index.query({ topK: 1, vector: [1, 2, 3] }))));
    const spans = await tracing.spans();
    const queries = llmSpans(spans);
    expect(queries).to.have.length(3);
    const parents = queries.map((q) => spans.find((s) => s.spanContext().spanId === q.parentSpanContext?.spanId)?.name).sort();
    expect(parents).to.deep.equal(['a', 'b', 'c']);
  });

  it('disable() restores every method and enable() traces again', async () => {
    const { instrumentation } = useInstrumentation(tracing);
    expect(isWrapped(Index.prototype.query)).to.equal(true);
    expect(isWrapped(QdrantClient.prototype.search)).to.equal(true);
    expect(isWrapped(ChromaClient.prototype.getCollection)).to.equal(true);
    const collection = await chromaCollection();
    const base = Object.getPrototypeOf(collection);
    expect(isWrapped(base.query)).to.equal(true);
    instrumentation.disable();
    try {
      for (const fn of [Index.prototype.query, Index.prototype.upsert, QdrantClient.prototype.search, QdrantClient.prototype.query, ChromaClient.prototype.getCollection, base.query, base.add]) {
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
