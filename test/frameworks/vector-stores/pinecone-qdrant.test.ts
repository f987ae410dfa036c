import { expect } from 'chai';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { errorType } from '../../../lib/instrumentation/llm-call';
import { llmSpans } from '../../helpers/tracing';
import { MANY_POINTS, PINECONE_MATCHES, QDRANT_POINTS } from './fake-stores';
import { useStores } from './harness';

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

describe('vector stores: Pinecone and Qdrant through their real SDKs against a local server', () => {
  const stores = useStores();
  const { tracing, only, pineconeIndex, qdrant } = stores;
  const server127 = () => stores.local();

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
    const index = pineconeIndex(`${stores.server.origin}/fail`);
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
    const index = new stores.sdk.Pinecone({ apiKey: 'sk-test', controllerHostUrl: stores.server.origin }).index({ name: 'catalog' });
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

  it("more documents than the span holds: whole documents up to the SDK's 128 attributes, counting the db keys it started with", async () => {
    await qdrant().search('many-docs', { vector: [1, 2, 3], limit: 60 });
    const span = await only();
    const keys = Object.keys(span.attributes);
    // 9 start keys (kind, 8 db), returned_rows, then 3 keys a document: 39 documents make 127, a 40th 130.
    expect(keys).to.have.length(127);
    expect(span.attributes['db.response.returned_rows']).to.equal(60);
    const documents = keys.filter((key) => key.startsWith('retrieval.documents.'));
    expect(documents).to.have.length(39 * 3);
    for (let i = 0; i < 39; i++) {
      expect(span.attributes).to.include({
        [`retrieval.documents.${i}.document.id`]: String(i),
        [`retrieval.documents.${i}.document.score`]: MANY_POINTS[i].score,
        [`retrieval.documents.${i}.document.metadata`]: JSON.stringify({ n: i }),
      });
    }
  });

  it('a Qdrant query by document (Qdrant embeds the text) has the text as its input', async () => {
    await qdrant().query('docs', { query: { text: 'what is qdrant?', model: 'sentence-transformers/all-minilm-l6-v2' } });
    const span = await only();
    expect(span.attributes).to.include({ 'input.value': 'what is qdrant?', 'input.mime_type': 'text/plain' });
    expect(span.attributes).to.not.have.property('infinium.retrieval.query_vector_dimensions');
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

  it('concurrent queries each get their own span under their own parent', async () => {
    const index = pineconeIndex();
    await Promise.all(['a', 'b', 'c'].map((name) => tracing.inParent(name, () => index.query({ topK: 1, vector: [1, 2, 3] }))));
    const spans = await tracing.spans();
    const queries = llmSpans(spans);
    expect(queries).to.have.length(3);
    const parents = queries.map((q) => spans.find((s) => s.spanContext().spanId === q.parentSpanContext?.spanId)?.name).sort();
    expect(parents).to.deep.equal(['a', 'b', 'c']);
  });
});
