import { expect } from 'chai';
import { createCallRecord, CallRecord } from '../../lib/record/call-record';
import { resolveTraceConfig, TraceConfigOptions } from '../../lib/masking/trace-config';
import { renderCallRecord } from '../../lib/semconv/render';

function rerankRecord(): CallRecord {
  const record = createCallRecord('RERANKER', 'rerank', 'cohere', 'cohere');
  record.requestModel = 'rerank-v3.5';
  record.rerank = {
    model: 'rerank-v3.5',
    query: 'capital?',
    topK: 1,
    inputDocuments: [{ id: '0', content: 'Paris' }, { id: '1', content: 'Oslo' }],
    outputDocuments: [{ id: '1', content: 'Oslo', score: 0.9 }],
  };
  record.latencyMs = 12;
  return record;
}

const render = (options: TraceConfigOptions = {}) => renderCallRecord(rerankRecord(), resolveTraceConfig(options, {}));

describe('renderCallRecord: RERANKER records (render-reranker.ts)', () => {
  it('writes the reranker keys, and no LLM model keys', () => {
    expect(render()).to.deep.equal({
      'openinference.span.kind': 'RERANKER',
      'llm.provider': 'cohere',
      'llm.system': 'cohere',
      'reranker.model_name': 'rerank-v3.5',
      'reranker.query': 'capital?',
      'reranker.top_k': 1,
      'reranker.input_documents.0.document.id': '0',
      'reranker.input_documents.0.document.content': 'Paris',
      'reranker.input_documents.1.document.id': '1',
      'reranker.input_documents.1.document.content': 'Oslo',
      'reranker.output_documents.0.document.id': '1',
      'reranker.output_documents.0.document.content': 'Oslo',
      'reranker.output_documents.0.document.score': 0.9,
      'input.value': 'capital?',
      'input.mime_type': 'text/plain',
      'llm.latency_ms': 12,
    });
  });

  it('input text masking hides the query and input documents; output text masking the output documents', () => {
    const inputs = render({ hideInputText: true });
    expect([inputs['reranker.query'], inputs['reranker.input_documents.1.document.content'], inputs['reranker.output_documents.0.document.content']]).to.deep.equal(['__REDACTED__', '__REDACTED__', 'Oslo']);
    const outputs = render({ hideOutputText: true });
    expect([outputs['reranker.query'], outputs['reranker.output_documents.0.document.content'], outputs['reranker.output_documents.0.document.score']]).to.deep.equal(['capital?', '__REDACTED__', 0.9]);
  });
});
