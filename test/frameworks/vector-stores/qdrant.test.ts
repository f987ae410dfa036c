import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { errorType } from '../../../lib/instrumentation/llm-call';
import { llmSpans } from '../../helpers/tracing';
import { MANY_POINTS, QDRANT_GROUPS, QDRANT_POINTS } from './fake-stores';
import { useStores } from './harness';
import { QDRANT_SDKS } from './store-sdks';

const [POINT, UUID_POINT] = QDRANT_POINTS;

/** The documents keys of points, in order, each one's metadata led by `tag` (its query's index or its group's id). */
function pointDocuments(points: ReadonlyArray<{ point: (typeof QDRANT_POINTS)[number]; tag?: [string, unknown] }>): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  points.forEach(({ point, tag }, i) => {
    const metadata = { ...(tag ? { [tag[0]]: tag[1] } : {}), ...point.payload };
    attributes[`retrieval.documents.${i}.document.id`] = String(point.id);
    if (Object.keys(metadata).length > 0) attributes[`retrieval.documents.${i}.document.metadata`] = JSON.stringify(metadata);
    attributes[`retrieval.documents.${i}.document.score`] = point.score;
  });
  return attributes;
}

for (const qdrantSdk of QDRANT_SDKS) {
  describe(`vector stores: ${qdrantSdk.label} through its real SDK against a local server`, () => {
    const stores = useStores({ qdrant: qdrantSdk });
    const { tracing, only, qdrant } = stores;
    const retriever = (operation: string, extra: Record<string, unknown>) => stores.retriever('qdrant', operation, 'docs', extra);

    it('search: a RETRIEVER span with the points as documents, their payload as metadata', async () => {
      const found = await qdrant().search('docs', { vector: [1, 2, 3], limit: 2 });
      expect(found).to.deep.equal(QDRANT_POINTS);
      const span = await only();
      expect(span.name).to.equal('search docs');
      expect(span.attributes).to.deep.equal({
        ...retriever('search', { 'db.vector.query.top_k': 2, 'infinium.retrieval.query_vector_dimensions': 3, 'db.response.returned_rows': 2 }),
        ...pointDocuments([{ point: POINT }, { point: UUID_POINT }]),
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

    it('searchBatch of two searches: one BATCH search span, every answer\'s points as documents tagged with their query\'s index', async () => {
      const found = await qdrant().searchBatch('docs', { searches: [{ vector: [1, 2, 3], limit: 2 }, { vector: [4, 5, 6], limit: 2 }] });
      expect(found).to.deep.equal([QDRANT_POINTS, [POINT]]);
      const span = await only();
      expect(span.name).to.equal('BATCH search docs');
      expect(span.attributes).to.deep.equal({
        ...retriever('BATCH search', { 'db.operation.batch.size': 2, 'db.vector.query.top_k': 2, 'infinium.retrieval.query_vector_dimensions': 3, 'db.response.returned_rows': 3 }),
        ...pointDocuments([{ point: POINT, tag: ['query_index', 0] }, { point: UUID_POINT, tag: ['query_index', 0] }, { point: POINT, tag: ['query_index', 1] }]),
      });
    });

    it('searchBatch of no search is an empty batch, as the conventions say: BATCH search of size 0, no documents', async () => {
      expect(await qdrant().searchBatch('docs', { searches: [] })).to.deep.equal([]);
      const span = await only();
      expect(span.attributes).to.deep.equal(retriever('BATCH search', { 'db.operation.batch.size': 0, 'db.response.returned_rows': 0 }));
    });

    it('searchBatch of one search is a plain search (no batch, no index); searches with different limits give no top_k', async () => {
      await qdrant().searchBatch('docs', { searches: [{ vector: [1, 2, 3, 4], limit: 5 }] });
      await qdrant().searchBatch('docs', { searches: [{ vector: [1, 2], limit: 5 }, { vector: [1, 2], limit: 3 }, { vector: [1, 2], limit: 3 }] });
      const [one, three] = llmSpans(await tracing.spans());
      expect(one.attributes).to.deep.equal({
        ...retriever('search', { 'db.vector.query.top_k': 5, 'infinium.retrieval.query_vector_dimensions': 4, 'db.response.returned_rows': 2 }),
        ...pointDocuments([{ point: POINT }, { point: UUID_POINT }]),
      });
      expect(three.name).to.equal('BATCH search docs');
      expect(three.attributes).to.not.have.property('db.vector.query.top_k');
      expect(three.attributes['db.operation.batch.size']).to.equal(3);
      expect(three.attributes['db.response.returned_rows']).to.equal(5);
    });

    it('searchPointGroups: one search_groups span, every group\'s hits as documents tagged with the group\'s id', async () => {
      const found = await qdrant().searchPointGroups('docs', { vector: [1, 2, 3], group_by: 'source', group_size: 1, limit: 2 });
      expect(found).to.deep.equal(QDRANT_GROUPS);
      const span = await only();
      expect(span.name).to.equal('search_groups docs');
      expect(span.attributes).to.deep.equal({
        ...retriever('search_groups', { 'db.vector.query.top_k': 2, 'infinium.retrieval.query_vector_dimensions': 3, 'db.response.returned_rows': 2 }),
        ...pointDocuments([{ point: POINT, tag: ['group_id', 'wiki'] }, { point: UUID_POINT, tag: ['group_id', 3] }]),
      });
    });

    it('recommend and discoverPoints: RETRIEVER spans, an example or target vector counted (point ids are not vectors)', async () => {
      const client = qdrant();
      expect(await client.recommend('docs', { positive: [7, [0.1, 0.2, 0.3, 0.4, 0.5]], limit: 2 })).to.deep.equal(QDRANT_POINTS);
      await client.recommend('docs', { positive: [7, 8] });
      await client.discoverPoints('docs', { target: [1, 2, 3], context: [{ positive: 7, negative: 8 }], limit: 2 });
      const [byVector, byIds, discover] = llmSpans(await tracing.spans());
      const documents = pointDocuments([{ point: POINT }, { point: UUID_POINT }]);
      expect(byVector.attributes).to.deep.equal({
        ...retriever('recommend', { 'db.vector.query.top_k': 2, 'infinium.retrieval.query_vector_dimensions': 5, 'db.response.returned_rows': 2 }),
        ...documents,
      });
      expect(byIds.attributes).to.deep.equal({ ...retriever('recommend', { 'db.vector.query.top_k': 10, 'db.response.returned_rows': 2 }), ...documents });
      expect(discover.attributes).to.deep.equal({
        ...retriever('discover', { 'db.vector.query.top_k': 2, 'infinium.retrieval.query_vector_dimensions': 3, 'db.response.returned_rows': 2 }),
        ...documents,
      });
    });

    it('recommendBatch (and its older spelling recommend_batch), discoverBatchPoints and recommendPointGroups: one span each, documents tagged', async () => {
      const client = qdrant();
      const two = { searches: [{ positive: [7], limit: 2 }, { positive: [8], limit: 2 }] };
      await client.recommendBatch('docs', two);
      await client.recommend_batch('docs', two);
      await client.discoverBatchPoints('docs', { searches: [{ target: 7, limit: 2 }, { target: 8, limit: 2 }] });
      await client.recommendPointGroups('docs', { positive: [7], group_by: 'source', group_size: 1, limit: 2 });
      const spans = llmSpans(await tracing.spans());
      expect(spans.map((s) => s.name)).to.deep.equal(['BATCH recommend docs', 'BATCH recommend docs', 'BATCH discover docs', 'recommend_groups docs']);
      const batched = pointDocuments([{ point: POINT, tag: ['query_index', 0] }, { point: UUID_POINT, tag: ['query_index', 0] }, { point: POINT, tag: ['query_index', 1] }]);
      for (const [span, operation] of [[spans[0], 'BATCH recommend'], [spans[1], 'BATCH recommend'], [spans[2], 'BATCH discover']] as const) {
        expect(span.attributes).to.deep.equal({ ...retriever(operation, { 'db.operation.batch.size': 2, 'db.vector.query.top_k': 2, 'db.response.returned_rows': 3 }), ...batched });
      }
      expect(spans[3].attributes).to.deep.equal({
        ...retriever('recommend_groups', { 'db.vector.query.top_k': 2, 'db.response.returned_rows': 2 }),
        ...pointDocuments([{ point: POINT, tag: ['group_id', 'wiki'] }, { point: UUID_POINT, tag: ['group_id', 3] }]),
      });
    });

    it('a failed searchBatch: the ApiError unchanged, an ERROR span with the status', async () => {
      const error = await qdrant().searchBatch('fail-docs', { searches: [{ vector: [1, 2], limit: 1 }, { vector: [1, 2], limit: 1 }] }).catch((e: unknown) => e);
      expect((error as { status?: number }).status).to.equal(400);
      const span = await only();
      expect(span.name).to.equal('BATCH search fail-docs');
      expect(span.status.code).to.equal(SpanStatusCode.ERROR);
      expect(span.attributes['db.response.status_code']).to.equal('400');
      expect(span.attributes).to.not.have.property('retrieval.documents.0.document.id');
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
        ...retriever('query', { 'db.vector.query.top_k': 1, 'infinium.retrieval.query_vector_dimensions': 4, 'db.response.returned_rows': 1 }),
        ...pointDocuments([{ point: POINT }]),
      });
    });

    it('a query by document (Qdrant embeds the text) has the text as its input', async () => {
      await qdrant().query('docs', { query: { text: 'what is qdrant?', model: 'sentence-transformers/all-minilm-l6-v2' } });
      const span = await only();
      expect(span.attributes).to.include({ 'input.value': 'what is qdrant?', 'input.mime_type': 'text/plain' });
      expect(span.attributes).to.not.have.property('infinium.retrieval.query_vector_dimensions');
    });

    it('queryBatch: one BATCH query span, the texts of queries by document as the input, the points tagged with their query\'s index', async () => {
      const found = await qdrant().queryBatch('docs', {
        searches: [{ query: { text: 'what is qdrant?', model: 'm' }, limit: 2 }, { query: { text: 'vector search', model: 'm' }, limit: 2 }],
      });
      expect(found).to.deep.equal([{ points: QDRANT_POINTS }, { points: [POINT] }]);
      const span = await only();
      expect(span.name).to.equal('BATCH query docs');
      expect(span.attributes).to.deep.equal({
        ...retriever('BATCH query', { 'db.operation.batch.size': 2, 'db.vector.query.top_k': 2, 'db.response.returned_rows': 3 }),
        'input.value': JSON.stringify(['what is qdrant?', 'vector search']),
        'input.mime_type': 'application/json',
        ...pointDocuments([{ point: POINT, tag: ['query_index', 0] }, { point: UUID_POINT, tag: ['query_index', 0] }, { point: POINT, tag: ['query_index', 1] }]),
      });
    });

    it('queryGroups: one query_groups span, the groups\' hits tagged with their group\'s id', async () => {
      await qdrant().queryGroups('docs', { query: [1, 2, 3], group_by: 'source', limit: 2 });
      const span = await only();
      expect(span.attributes).to.deep.equal({
        ...retriever('query_groups', { 'db.vector.query.top_k': 2, 'infinium.retrieval.query_vector_dimensions': 3, 'db.response.returned_rows': 2 }),
        ...pointDocuments([{ point: POINT, tag: ['group_id', 'wiki'] }, { point: UUID_POINT, tag: ['group_id', 3] }]),
      });
    });
  });
}
