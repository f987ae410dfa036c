import { expect } from 'chai';
import * as stable from '@opentelemetry/semantic-conventions';
import * as incubating from '@opentelemetry/semantic-conventions/incubating';
import { resolveTraceConfig } from '../../lib/masking/trace-config';
import type { DbOperation, RunRecord } from '../../lib/record/run-record';
import { DEFAULT_CONVENTIONS } from '../../lib/config/semconv';
import { DB_KEYS, dbQuerySummary, dbStartAttributes } from '../../lib/semconv/render-db';
import { renderRunRecord, runStartAttributes } from '../../lib/semconv/render-run';

const DB: DbOperation = {
  system: 'qdrant',
  operation: 'search',
  collection: 'docs',
  server: { address: 'qdrant.local', port: 6333 },
  topK: 5,
  queryVectorDimensions: 1536,
};

describe('render-db: the OTel database attributes of a vector store call', () => {
  it('spells the stable and incubating keys as @opentelemetry/semantic-conventions does', () => {
    expect(DB_KEYS.SYSTEM_NAME).to.equal(stable.ATTR_DB_SYSTEM_NAME);
    expect(DB_KEYS.OPERATION_NAME).to.equal(stable.ATTR_DB_OPERATION_NAME);
    expect(DB_KEYS.OPERATION_BATCH_SIZE).to.equal(stable.ATTR_DB_OPERATION_BATCH_SIZE);
    expect(DB_KEYS.COLLECTION_NAME).to.equal(stable.ATTR_DB_COLLECTION_NAME);
    expect(DB_KEYS.QUERY_SUMMARY).to.equal(stable.ATTR_DB_QUERY_SUMMARY);
    expect(DB_KEYS.RESPONSE_STATUS_CODE).to.equal(stable.ATTR_DB_RESPONSE_STATUS_CODE);
    expect(DB_KEYS.SERVER_ADDRESS).to.equal(stable.ATTR_SERVER_ADDRESS);
    expect(DB_KEYS.SERVER_PORT).to.equal(stable.ATTR_SERVER_PORT);
    expect(DB_KEYS.RESPONSE_RETURNED_ROWS).to.equal(incubating.ATTR_DB_RESPONSE_RETURNED_ROWS);
  });

  it('names the call `{operation} {collection}` (the operation alone without a collection)', () => {
    expect(dbQuerySummary(DB)).to.equal('search docs');
    expect(dbQuerySummary({ system: 'pinecone', operation: 'query' })).to.equal('query');
  });

  it('are no content: every masking flag and captureContent: false keep them', () => {
    const hidden = resolveTraceConfig({ captureContent: false, hideInputs: true, hideOutputs: true }, {});
    const expected = {
      'db.system.name': 'qdrant',
      'db.operation.name': 'search',
      'db.collection.name': 'docs',
      'db.query.summary': 'search docs',
      'server.address': 'qdrant.local',
      'server.port': 6333,
      'db.vector.query.top_k': 5,
      'infinium.retrieval.query_vector_dimensions': 1536,
    };
    expect(dbStartAttributes(DB, hidden)).to.deep.equal(expected);
    expect(dbStartAttributes(DB, resolveTraceConfig({}, {}))).to.deep.equal(expected);
  });

  it('a RETRIEVER run with db facts: named at start, returned rows and status at the end, beside its documents', () => {
    const config = resolveTraceConfig({}, {});
    const record: RunRecord = {
      kind: 'RETRIEVER', name: 'search docs', input: 'q', db: { ...DB, returnedRows: 1, statusCode: '503' },
      documents: [{ id: '1', score: 0.5 }], startedAt: 0,
    };
    expect(runStartAttributes(record, config, DEFAULT_CONVENTIONS)).to.include({ 'openinference.span.kind': 'RETRIEVER', 'db.system.name': 'qdrant', 'db.query.summary': 'search docs' });
    const end = renderRunRecord(record, config, DEFAULT_CONVENTIONS);
    expect(end).to.include({ 'db.response.returned_rows': 1, 'db.response.status_code': '503', 'retrieval.documents.0.document.id': '1' });
    expect(end).to.not.have.property('db.system.name');
  });
});
