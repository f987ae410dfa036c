import type { CallRecord, RerankDocument } from '../../record/call-record';
import { asArray, asNumber, asRecord, asString, Json, without } from '../../record/read';

/**
 * Cohere `embed` and `rerank` (v2). Both report `meta.billedUnits`: input tokens for embed, search units
 * for rerank (a search unit is not a token, so a rerank span has no token counts).
 * https://docs.cohere.com/reference/embed, https://docs.cohere.com/reference/rerank
 */
const NOT_EMBED_PARAMETERS = new Set(['texts', 'images', 'inputs']);

export function readEmbedRequest(record: CallRecord, request: Json): void {
  record.embeddings = asArray(request.texts).map((text) => ({ text: asString(text) }));
  record.invocationParameters = without(request, NOT_EMBED_PARAMETERS);
}

/** Float vectors are recorded (the other types are quantized or base64 forms of the same vectors). */
export function readEmbedResponse(record: CallRecord, value: unknown): void {
  const response = asRecord(value);
  if (!response) return;
  const float = asArray(asRecord(response.embeddings)?.float);
  const count = Math.max(float.length, record.embeddings?.length ?? 0);
  const embeddings = [];
  for (let i = 0; i < count; i++) {
    const vector = float[i];
    embeddings.push({ text: record.embeddings?.[i]?.text, vector: isNumbers(vector) ? vector : undefined });
  }
  record.embeddings = embeddings;
  const prompt = asNumber(asRecord(asRecord(response.meta)?.billedUnits)?.inputTokens);
  if (prompt !== undefined) record.usage = { prompt };
}

function isNumbers(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((n) => typeof n === 'number');
}

const NOT_RERANK_PARAMETERS = new Set(['query', 'documents', 'topN']);

export function readRerankRequest(record: CallRecord, request: Json): void {
  record.rerank = {
    model: asString(request.model),
    query: asString(request.query),
    topK: asNumber(request.topN),
    inputDocuments: asArray(request.documents).map(readDocument),
    outputDocuments: [],
  };
  record.invocationParameters = without(request, NOT_RERANK_PARAMETERS);
}

/** Each result points into the request's documents by `index`; its id is that index. */
export function readRerankResponse(record: CallRecord, value: unknown): void {
  const rerank = record.rerank;
  if (!rerank) return;
  rerank.outputDocuments = asArray(asRecord(value)?.results).map((item) => {
    const result = asRecord(item);
    const index = asNumber(result?.index);
    const doc: RerankDocument = { score: asNumber(result?.relevanceScore) };
    if (index !== undefined) {
      doc.id = String(index);
      doc.content = rerank.inputDocuments[index]?.content;
    }
    return doc;
  });
}

/** v2 documents are strings; older forms are `{ text }` objects. */
function readDocument(value: unknown, index: number): RerankDocument {
  const content = typeof value === 'string' ? value : asString(asRecord(value)?.text);
  return { id: String(index), content };
}
