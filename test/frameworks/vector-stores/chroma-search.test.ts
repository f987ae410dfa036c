import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { llmSpans, useInstrumentation } from '../../helpers/tracing';
import { CHROMA_SEARCH_ROW } from './fake-stores';
import { useStores } from './harness';

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

/** Chroma's answer rows as documents, each one's metadata led by its query's index when there are several. */
function chromaDocuments(rows: number, scores: readonly number[]): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (let q = 0, i = 0; q < rows; q++) {
    for (let r = 0; r < CHROMA_SEARCH_ROW.ids.length; r++, i++) {
      const metadata = { ...(rows > 1 ? { query_index: q } : {}), ...CHROMA_SEARCH_ROW.metadatas[r] };
      attributes[`retrieval.documents.${i}.document.id`] = CHROMA_SEARCH_ROW.ids[r];
      attributes[`retrieval.documents.${i}.document.content`] = CHROMA_SEARCH_ROW.documents[r];
      if (Object.keys(metadata).length > 0) attributes[`retrieval.documents.${i}.document.metadata`] = JSON.stringify(metadata);
      attributes[`retrieval.documents.${i}.document.score`] = scores[r];
    }
  }
  return attributes;
}

describe('vector stores: Chroma 3.5.0 batches of queries and its search API', () => {
  const stores = useStores();
  const { tracing, only, chromaCollection } = stores;
  // The rank builders, from the chromadb the harness loaded once the instrumentation was on.
  const Knn = (options: unknown) => require('chromadb').Knn(options);
  const Rrf = (options: unknown) => require('chromadb').Rrf(options);
  const newSearch = () => new (require('chromadb').Search)();

  const notes = (operation: string, extra: Record<string, unknown>) => stores.retriever('chroma', operation, 'notes', extra);

  it('a query of two texts is one BATCH query span: both texts the input, every row\'s documents tagged with their query\'s index', async () => {
    const result = await (await chromaCollection()).query({ queryTexts: ['what is chroma?', 'where are embeddings?'], nResults: 2 });
    expect(result.ids).to.deep.equal([CHROMA_SEARCH_ROW.ids, CHROMA_SEARCH_ROW.ids]);
    const span = await only();
    expect(span.name).to.equal('BATCH query notes');
    expect(span.attributes).to.deep.equal({
      ...notes('BATCH query', { 'db.operation.batch.size': 2, 'db.vector.query.top_k': 2, 'db.response.returned_rows': 4 }),
      'input.value': JSON.stringify(['what is chroma?', 'where are embeddings?']),
      'input.mime_type': 'application/json',
      ...chromaDocuments(2, [0.12, 0.4]),
    });
  });

  it('search() by text (a Knn rank): one RETRIEVER span, the text the input, the rows as documents with their scores', async () => {
    const result = await (await chromaCollection()).search({ rank: Knn({ query: 'what is chroma?' }), limit: 2 });
    expect(result.ids).to.deep.equal([CHROMA_SEARCH_ROW.ids]);
    const span = await only();
    expect(span.name).to.equal('search notes');
    expect(span.attributes).to.deep.equal({
      ...notes('search', { 'db.vector.query.top_k': 2, 'db.response.returned_rows': 2 }),
      'input.value': 'what is chroma?',
      'input.mime_type': 'text/plain',
      ...chromaDocuments(1, CHROMA_SEARCH_ROW.scores),
    });
    const sent = stores.server.seen.find((r) => r.path.endsWith('/search'))!.body as { searches: Array<{ rank: { $knn: { query: unknown } } }> };
    expect(sent.searches[0].rank.$knn.query).to.deep.equal([1, 2, 3]);
  });

  it('search() of two Search builders (a vector, a fusion of a text and a vector) is one BATCH search span, the first vector counted', async () => {
    const collection = await chromaCollection();
    const byVector = newSearch().rank(Knn({ query: [0.1, 0.2, 0.3, 0.4] })).limit(2);
    const fused = newSearch().rank(Rrf({ ranks: [Knn({ query: 'fused text' }), Knn({ query: [1, 1, 1, 1, 1] })] })).limit(2);
    await collection.search([byVector, fused]);
    const span = await only();
    expect(span.name).to.equal('BATCH search notes');
    expect(span.attributes).to.deep.equal({
      ...notes('BATCH search', { 'db.operation.batch.size': 2, 'db.vector.query.top_k': 2, 'infinium.retrieval.query_vector_dimensions': 4, 'db.response.returned_rows': 4 }),
      'input.value': 'fused text',
      'input.mime_type': 'text/plain',
      ...chromaDocuments(2, CHROMA_SEARCH_ROW.scores),
    });
    expect(JSON.stringify(span.attributes)).to.not.include('0.1,0.2');
  });

  it('captureContent: false hides the search text and the documents\' content and metadata; ids, scores and db keys stay', async () => {
    const { instrumentation } = useInstrumentation(tracing);
    instrumentation.setConfig({ captureContent: false });
    await (await chromaCollection()).search({ rank: Knn({ query: 'secret question' }), limit: 2 });
    const span = await only();
    expect(span.attributes).to.include({
      'db.operation.name': 'search',
      'input.value': '__REDACTED__',
      'retrieval.documents.0.document.id': 'c1',
      'retrieval.documents.0.document.content': '__REDACTED__',
      'retrieval.documents.0.document.metadata': '__REDACTED__',
      'retrieval.documents.0.document.score': 0.12,
    });
    expect(JSON.stringify(span.attributes)).to.not.include('secret question');
  });

  it("a failed search: Chroma's error unchanged, one ERROR span", async () => {
    const failing = await chromaCollection('failing');
    const error = await failing.search({ rank: Knn({ query: [1, 2, 3] }), limit: 1 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(Error);
    const spans = llmSpans(await tracing.spans());
    expect(spans.map((s) => s.name)).to.deep.equal(['search failing']);
    expect(spans[0].status.code).to.equal(SpanStatusCode.ERROR);
    expect(spans[0].attributes['error.type']).to.equal((error as Error).constructor.name);
    expect(spans[0].attributes).to.not.have.property('retrieval.documents.0.document.id');
  });
});
