import { expect } from 'chai';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { llmSpans } from '../../helpers/tracing';
import { PINECONE_DOCUMENT_MATCHES, PINECONE_HITS, PINECONE_MATCHES } from './fake-stores';
import { useStores } from './harness';
import { PINECONE_SDKS } from './store-sdks';

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

for (const pinecone of PINECONE_SDKS) {
  describe(`vector stores: ${pinecone.label} through its real SDK against a local server`, () => {
    const stores = useStores({ pinecone });
    const { tracing, only, pineconeIndex } = stores;
    const server127 = () => stores.local();
    /** A fetch of one record from \`products\`: the database keys alone. */
    const fetchedOne = () => ({
      'db.system.name': 'pinecone',
      'db.operation.name': 'fetch',
      'db.collection.name': 'products',
      'db.query.summary': 'fetch products',
      ...server127(),
      'db.response.returned_rows': 1,
    });

    it('query: one RETRIEVER CLIENT span, the matches as documents, the vector only counted', async () => {
      const result: any = await tracing.inParent('app', () => pineconeIndex().query({ topK: 2, vector: [0.1, 0.2, 0.3], includeMetadata: true }));
      expect(result.matches.map((m: { id: string }) => m.id)).to.deep.equal(['doc-1', 'doc-2']);
      const spans = await tracing.spans();
      const span = await only();
      expect(span.name).to.equal('query products');
      expect(span.kind).to.equal(SpanKind.CLIENT);
      expect(span.status.code).to.equal(SpanStatusCode.UNSET);
      expect(span.parentSpanContext?.spanId).to.equal(spans.find((s) => s.name === 'app')!.spanContext().spanId);
      expect(span.attributes).to.deep.equal({
        ...stores.retriever('pinecone', 'query', 'products', { 'db.vector.query.top_k': 2, 'infinium.retrieval.query_vector_dimensions': 3, 'db.response.returned_rows': 2 }),
        'retrieval.documents.0.document.id': 'doc-1',
        'retrieval.documents.0.document.metadata': JSON.stringify(PINECONE_MATCHES[0].metadata),
        'retrieval.documents.0.document.score': 0.92,
        'retrieval.documents.1.document.id': 'doc-2',
        'retrieval.documents.1.document.metadata': JSON.stringify(PINECONE_MATCHES[1].metadata),
        'retrieval.documents.1.document.score': 0.81,
      });
      expect(JSON.stringify(span.attributes)).to.not.include('0.1,0.2,0.3');
    });

    it('upsert, fetch and delete: CLIENT spans with the database attributes and no OpenInference kind', async () => {
      const index = pineconeIndex();
      await pinecone.upsert(index, [{ id: 'x', values: [1, 2, 3] }]);
      await pinecone.fetch(index, ['doc-1']);
      await pinecone.deleteOne(index, 'x');
      await pinecone.deleteMany(index, ['x', 'y']);
      const spans = llmSpans(await tracing.spans());
      expect(spans.map((s) => [s.name, s.kind])).to.deep.equal([
        ['upsert products', SpanKind.CLIENT], ['fetch products', SpanKind.CLIENT], ['delete products', SpanKind.CLIENT], ['delete products', SpanKind.CLIENT],
      ]);
      expect(spans[1].attributes).to.deep.equal(fetchedOne());
      for (const span of spans) expect(span.attributes).to.not.have.property('openinference.span.kind');
    });

    it("error: the SDK's own error reaches the app unchanged, the span is ERROR with the HTTP status", async () => {
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

    it('index by name only: the host the client resolves (control plane) is the server once the first call is in', async () => {
      const index = pinecone.index(stores.sdk, { apiKey: 'sk-test', controllerHostUrl: stores.server.origin }, 'catalog');
      await index.query({ topK: 1, id: 'doc-1' });
      const span = await only();
      expect(span.name).to.equal('query catalog');
      expect(span.attributes).to.include({ 'db.collection.name': 'catalog', ...server127(), 'db.vector.query.top_k': 1 });
      expect(span.attributes).to.not.have.property('infinium.retrieval.query_vector_dimensions');
    });

    if (pinecone.searchRecords) {
      it('searchRecords by text: a search RETRIEVER span, the text the input, the hits\' fields as metadata', async () => {
        const result: any = await pineconeIndex().searchRecords({ query: { topK: 1, inputs: { text: 'apples' } }, fields: ['chunk_text', 'category'] });
        expect(result.result.hits).to.deep.equal(PINECONE_HITS);
        const span = await only();
        expect(span.name).to.equal('search products');
        expect(span.attributes).to.deep.equal({
          ...stores.retriever('pinecone', 'search', 'products', { 'db.vector.query.top_k': 1, 'db.response.returned_rows': 1 }),
          'input.value': 'apples',
          'input.mime_type': 'text/plain',
          'retrieval.documents.0.document.id': 'rec-1',
          'retrieval.documents.0.document.metadata': JSON.stringify(PINECONE_HITS[0].fields),
          'retrieval.documents.0.document.score': 0.77,
        });
      });
    }

    if (pinecone.documents) {
      it('documents.search (and searchDocuments, which calls it): one search RETRIEVER span each, the matches\' fields as metadata', async () => {
        const index = pineconeIndex();
        const options = { scoreBy: [{ type: 'text', fields: ['title'], query: 'apple' }], topK: 2, includeFields: ['title', 'category'] };
        const result: any = await index.documents.search(options);
        expect(result.matches).to.deep.equal(PINECONE_DOCUMENT_MATCHES);
        await index.searchDocuments({ scoreBy: [{ type: 'dense_vector', field: 'embedding', values: [0.1, 0.2, 0.3, 0.4, 0.5] }], topK: 2 });
        const spans = llmSpans(await tracing.spans());
        expect(spans).to.have.length(2);
        const [search, byVector] = spans;
        const { _id, _score, ...fields } = PINECONE_DOCUMENT_MATCHES[0];
        const documents = {
          'retrieval.documents.0.document.id': _id,
          'retrieval.documents.0.document.metadata': JSON.stringify(fields),
          'retrieval.documents.0.document.score': _score,
          'retrieval.documents.1.document.id': 'article-2',
          'retrieval.documents.1.document.score': 0.9,
        };
        expect(search.attributes).to.deep.equal({
          ...stores.retriever('pinecone', 'search', 'products', { 'db.vector.query.top_k': 2, 'db.response.returned_rows': 2 }),
          'input.value': 'apple',
          'input.mime_type': 'text/plain',
          ...documents,
        });
        expect(byVector.attributes).to.deep.equal({
          ...stores.retriever('pinecone', 'search', 'products', { 'db.vector.query.top_k': 2, 'infinium.retrieval.query_vector_dimensions': 5, 'db.response.returned_rows': 2 }),
          ...documents,
        });
      });

      it('documents.upsert, fetch and delete: CLIENT spans with the database attributes only', async () => {
        const documents = pineconeIndex().documents;
        await documents.upsert({ documents: [{ _id: 'article-3', title: 'secret title' }] });
        await documents.fetch({ ids: ['article-1'] });
        await documents.delete({ ids: ['article-3'] });
        const spans = llmSpans(await tracing.spans());
        expect(spans.map((s) => s.name)).to.deep.equal(['upsert products', 'fetch products', 'delete products']);
        expect(spans[1].attributes).to.deep.equal(fetchedOne());
        expect(JSON.stringify(spans.map((s) => s.attributes))).to.not.include('secret title');
      });

      it('documents of an index by name only: the host the client resolves is the server once the call is in', async () => {
        const index = pinecone.index(stores.sdk, { apiKey: 'sk-test', controllerHostUrl: stores.server.origin }, 'catalog');
        await index.documents.search({ scoreBy: [{ type: 'query_string', query: 'title:apple' }], topK: 1 });
        const span = await only();
        expect(span.name).to.equal('search catalog');
        expect(span.attributes).to.include({ 'db.collection.name': 'catalog', ...server127(), 'input.value': 'title:apple' });
      });
    }

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
}

describe('vector stores: a Pinecone index given by host only', () => {
  it('is named from the host, as Pinecone builds it (8.x, 9.x: target.indexName; 2.x: target.index)', () => {
    const { PINECONE_METHODS } = require('../../../lib/frameworks/vector-stores/pinecone');
    const host = 'products-abc1234.svc.aped-4627-b74a.pinecone.io';
    const expected = { collection: 'products', server: { address: host, port: 443 }, topK: 3, queryVectorDimensions: 2 };
    expect(PINECONE_METHODS.query.describe({ target: { indexName: '', indexHostUrl: host } }, [{ topK: 3, vector: [1, 2] }])).to.deep.equal(expected);
    expect(PINECONE_METHODS.query.describe({ target: { index: '', indexHostUrl: host } }, [{ topK: 3, vector: [1, 2] }])).to.deep.equal(expected);
    expect(PINECONE_METHODS.query.describe({ target: { index: 'named', indexHostUrl: host } }, [{ topK: 3, vector: [1, 2] }])).to.deep.equal({ ...expected, collection: 'named' });
  });
});
