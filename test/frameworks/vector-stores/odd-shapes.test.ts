import { expect } from 'chai';
import { CHROMA_METHODS } from '../../../lib/frameworks/vector-stores/chroma';
import { PINECONE_METHODS } from '../../../lib/frameworks/vector-stores/pinecone';
import { PINECONE_DOCUMENT_METHODS } from '../../../lib/frameworks/vector-stores/pinecone-documents';
import { QDRANT_METHODS } from '../../../lib/frameworks/vector-stores/qdrant';

/**
 * The adapters read shapes another major (or a bug) may change: on any input, `describe` and `read` answer
 * (no throw, which would cost the span) and read only what is there. The wrapper's own guard is the last line.
 */
const ODD = [undefined, null, 0, 'text', [], {}, [null], { searches: null }, { searches: [null, 1] }, { groups: [null, { hits: 'x' }] }, { ids: [null, ['a']] }];

describe('vector stores: every adapter on odd shapes', () => {
  const adapters = { ...prefixed('pinecone', PINECONE_METHODS), ...prefixed('documents', PINECONE_DOCUMENT_METHODS), ...prefixed('qdrant', QDRANT_METHODS), ...prefixed('chroma', CHROMA_METHODS) };

  for (const [name, method] of Object.entries(adapters)) {
    it(`${name}: describe and read answer on every odd input`, () => {
      for (const self of ODD) {
        for (const argument of ODD) {
          expect(() => method.describe(self, [argument, argument]), `${name} describe ${JSON.stringify([self, argument])}`).to.not.throw();
          expect(() => method.read?.(argument), `${name} read ${JSON.stringify(argument)}`).to.not.throw();
        }
      }
    });
  }

  it('a batch or grouped answer of odd parts keeps the documents it can read, in order, and counts the rows', () => {
    expect(QDRANT_METHODS.searchBatch.read!([[{ id: 1, score: 0.5 }], 'x', null, [{ id: 2 }]])).to.deep.equal({
      documents: [{ id: '1', score: 0.5, metadata: { query_index: 0 } }, { id: '2', score: undefined, metadata: { query_index: 3 } }],
      returnedRows: 2,
    });
    expect(QDRANT_METHODS.searchPointGroups.read!({ groups: [null, { id: 'g', hits: [{ id: 3, payload: { query_index: 'theirs' } }] }] })).to.deep.equal({
      documents: [{ id: '3', score: undefined, metadata: { group_id: 'g', query_index: 'theirs' } }],
      returnedRows: 1,
    });
  });

  it("a store's own field of the tag's name wins: the record's metadata is never altered", () => {
    expect(QDRANT_METHODS.searchBatch.read!([[{ id: 1, payload: { query_index: 'theirs' } }], []])).to.deep.equal({
      documents: [{ id: '1', score: undefined, metadata: { query_index: 'theirs' } }],
      returnedRows: 1,
    });
  });

  it('a Chroma search whose rank cannot be read (its toJSON throws) keeps the rest: its limit, the other search\'s text', () => {
    const unreadable = { rank: { toJSON: () => { throw new Error('boom'); } }, limit: 3 };
    expect(CHROMA_METHODS.search.describe({}, [[unreadable, { rank: { $knn: { query: 'plain json' } }, limit: 3 }]])).to.deep.equal({
      collection: undefined,
      server: undefined,
      operation: 'BATCH search',
      batchSize: 2,
      topK: 3,
      queryVectorDimensions: undefined,
      queryText: ['plain json'],
    });
  });
});

function prefixed<T>(prefix: string, methods: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(methods).map(([name, method]) => [`${prefix}.${name}`, method]));
}
