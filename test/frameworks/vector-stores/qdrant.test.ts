import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { errorType } from '../../../lib/instrumentation/llm-call';
import { llmSpans } from '../../helpers/tracing';
import { MANY_POINTS, QDRANT_POINTS } from './fake-stores';
import { useStores } from './harness';
import { QDRANT_SDKS } from './store-sdks';

for (const qdrantSdk of QDRANT_SDKS) {
  describe(`vector stores: ${qdrantSdk.label} through its real SDK against a local server`, () => {
    const stores = useStores({ qdrant: qdrantSdk });
    const { tracing, only, qdrant } = stores;
    const server127 = () => stores.local();

    it('search: a RETRIEVER span with the points as documents, their payload as metadata', async () => {
      const found = await qdrant().search('docs', { vector: [1, 2, 3], limit: 2 });
      expect(found).to.deep.equal(QDRANT_POINTS);
      const span = await only();
      expect(span.name).to.equal('search docs');
      expect(span.attributes).to.deep.equal({
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

    it("upsert and retrieve are CLIENT spans; a failed search keeps Qdrant's ApiError and its status", async () => {
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

    if (!qdrantSdk.universalQuery) {
      it('has no universal query API (query, queryBatch, queryGroups came in 1.10): nothing to patch there, the rest patched', () => {
        const proto = stores.sdk.QdrantClient.prototype;
        expect([proto.query, proto.queryBatch, proto.queryGroups]).to.deep.equal([undefined, undefined, undefined]);
      });
      return;
    }

    it('query: a RETRIEVER span with the points of its answer as documents', async () => {
      await qdrant().query('docs', { query: { nearest: [1, 2, 3, 4] }, limit: 1 });
      const span = await only();
      expect(span.name).to.equal('query docs');
      expect(span.attributes).to.deep.equal({
        'openinference.span.kind': 'RETRIEVER',
        'db.system.name': 'qdrant',
        'db.operation.name': 'query',
        'db.collection.name': 'docs',
        'db.query.summary': 'query docs',
        ...server127(),
        'db.vector.query.top_k': 1,
        'infinium.retrieval.query_vector_dimensions': 4,
        'db.response.returned_rows': 1,
        'retrieval.documents.0.document.id': '7',
        'retrieval.documents.0.document.metadata': JSON.stringify(QDRANT_POINTS[0].payload),
        'retrieval.documents.0.document.score': 0.88,
      });
    });

    it('a query by document (Qdrant embeds the text) has the text as its input', async () => {
      await qdrant().query('docs', { query: { text: 'what is qdrant?', model: 'sentence-transformers/all-minilm-l6-v2' } });
      const span = await only();
      expect(span.attributes).to.include({ 'input.value': 'what is qdrant?', 'input.mime_type': 'text/plain' });
      expect(span.attributes).to.not.have.property('infinium.retrieval.query_vector_dimensions');
    });
  });
}
