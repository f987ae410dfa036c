import type { RunDocument, RunRecord } from '../../record/run-record';
import { asArray, asNumber, asRecord, asString } from '../../record/read';

/**
 * LlamaIndex.TS shapes as neutral `RunRecord`s: the run's kind and name, its input (the query or the chat
 * message), its output (the response text), a retrieval's documents. Only this folder knows these shapes.
 */

/** What is traced: a query engine's `query`, a chat engine's `chat`, a retriever's `retrieve`. */
export type LlamaIndexOperation = 'query' | 'chat' | 'retrieve';

/** The run's record at its start: CHAIN for an engine, RETRIEVER for a retriever, named by the class (`RetrieverQueryEngine`). */
export function startRecord(operation: LlamaIndexOperation, self: unknown, params: unknown): RunRecord {
  const record: RunRecord = {
    kind: operation === 'retrieve' ? 'RETRIEVER' : 'CHAIN',
    name: classNameOf(self) ?? operation,
    startedAt: performance.now(),
  };
  record.input = operation === 'chat' ? messageText(asRecord(params)?.message) : queryText(operation === 'query' ? asRecord(params)?.query : params);
  return record;
}

/** Whether the call asked for a stream (`{ stream: true }`): its result is then an async iterable of responses. */
export function isStreamed(operation: LlamaIndexOperation, params: unknown): boolean {
  return operation !== 'retrieve' && asRecord(params)?.stream === true;
}

/** A finished call's result on its record: a retrieval's documents, an engine's response text. */
export function noteResult(record: RunRecord, result: unknown): void {
  if (record.kind === 'RETRIEVER') record.documents = documentsOf(result);
  else record.output = responseText(result);
}

/** The text of one streamed response (`EngineResponse.delta`), '' when it has none. */
export function deltaText(chunk: unknown): string {
  return asString(readField(chunk, 'delta')) ?? '';
}

/** Exactly the nodes returned (`NodeWithScore[]`): id, text, metadata, and the score where there is one. */
function documentsOf(nodes: unknown): RunDocument[] {
  const documents: RunDocument[] = [];
  for (const item of asArray(nodes)) {
    const node = asRecord(asRecord(item)?.node);
    if (!node) continue;
    const document: RunDocument = { id: asString(node.id_), content: asString(node.text) };
    const metadata = asRecord(node.metadata);
    if (metadata && Object.keys(metadata).length > 0) document.metadata = metadata;
    const score = asNumber(asRecord(item)?.score);
    if (score !== undefined) document.score = score;
    documents.push(document);
  }
  return documents;
}

/** A query as given: a string, or a QueryBundle (`{ query }`) whose query is text or message content. */
function queryText(query: unknown): unknown {
  if (typeof query === 'string') return query;
  const bundle = asRecord(query);
  return bundle && 'query' in bundle ? messageText(bundle.query) : undefined;
}

/** Message content: a string as it is; content parts (text, images) as they are, rendered as JSON. */
function messageText(content: unknown): unknown {
  return content === null ? undefined : content;
}

/** An EngineResponse's text (its `response` getter reads the message's text parts). */
function responseText(response: unknown): unknown {
  const text = readField(response, 'response');
  return typeof text === 'string' ? text : undefined;
}

/** A property read that a getter throwing cannot turn into our error. */
function readField(value: unknown, key: string): unknown {
  try {
    return value !== null && (typeof value === 'object' || typeof value === 'function') ? (value as Record<string, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
}

function classNameOf(self: unknown): string | undefined {
  const name = readField(readField(self, 'constructor'), 'name');
  return typeof name === 'string' && name !== '' ? name : undefined;
}
