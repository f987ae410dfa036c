import type { AttributeValue } from '@opentelemetry/api';
import type { CallRecord, RerankDocument } from '../record/call-record';
import { MimeType, OI } from './attributes';
import { indexedKey, IndexedKey } from './indexed-keys';

/** The renderer's masking sink, as far as this file needs it (kept structural: render.ts imports this file). */
interface Sink {
  put(key: string, value: AttributeValue | undefined): void;
}

/**
 * The RERANKER part of a call record: `reranker.model_name`, `.query`, `.top_k`, and the documents in and
 * out (`reranker.input_documents.<i>.document.content`, `reranker.output_documents.<i>.document.score`, …).
 * The query also goes to `input.value`. Every value passes through the sink, so the masking applies.
 */
export function renderReranker(out: Sink, record: CallRecord): void {
  const rerank = record.rerank;
  if (!rerank) return;
  out.put(OI.RERANKER_MODEL_NAME, rerank.model ?? record.responseModel ?? record.requestModel);
  out.put(OI.RERANKER_QUERY, rerank.query);
  out.put(OI.RERANKER_TOP_K, rerank.topK);
  renderDocuments(out, INPUT_DOCUMENT_KEYS, rerank.inputDocuments);
  renderDocuments(out, OUTPUT_DOCUMENT_KEYS, rerank.outputDocuments);
  if (rerank.query !== undefined) {
    out.put(OI.INPUT_VALUE, rerank.query);
    out.put(OI.INPUT_MIME_TYPE, MimeType.TEXT);
  }
}

interface DocumentKeys {
  id: IndexedKey;
  content: IndexedKey;
  score: IndexedKey;
}

function documentKeys(list: string): DocumentKeys {
  const p = `${list}.`;
  return {
    id: indexedKey(p, `.${OI.DOCUMENT_ID}`),
    content: indexedKey(p, `.${OI.DOCUMENT_CONTENT}`),
    score: indexedKey(p, `.${OI.DOCUMENT_SCORE}`),
  };
}

const INPUT_DOCUMENT_KEYS = documentKeys(OI.RERANKER_INPUT_DOCUMENTS);
const OUTPUT_DOCUMENT_KEYS = documentKeys(OI.RERANKER_OUTPUT_DOCUMENTS);

function renderDocuments(out: Sink, keys: DocumentKeys, documents: RerankDocument[]): void {
  for (let i = 0; i < documents.length; i++) {
    const d = documents[i];
    if (!d) continue;
    if (d.id !== undefined) out.put(keys.id(i), d.id);
    if (d.content !== undefined) out.put(keys.content(i), d.content);
    if (d.score !== undefined && Number.isFinite(d.score)) out.put(keys.score(i), d.score);
  }
}
