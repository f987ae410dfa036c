import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { TraceConfig } from '../masking/trace-config';
import type { ServerEndpoint } from '../record/call-record';
import type { DbOperation } from '../record/run-record';
import { AttributeSink } from './attribute-sink';

/**
 * The OpenTelemetry database conventions of a vector store's call (`DbOperation`), written on every such
 * span whatever conventions are chosen: they are a database span's own vocabulary, as `http.*` is an HTTP
 * span's. None is content: the query vector is only counted, and records written are never recorded.
 *
 * The stable keys are spelled here (test/semconv/render-db.test.ts checks them against
 * `@opentelemetry/semantic-conventions`), so that this file loads no package entry. No convention names a
 * vector query's size: `db.vector.query.top_k` is OpenLLMetry's key (what other vector-store
 * instrumentations write), and the query vector's length is ours.
 */
export const DB_KEYS = {
  SYSTEM_NAME: 'db.system.name',
  OPERATION_NAME: 'db.operation.name',
  OPERATION_BATCH_SIZE: 'db.operation.batch.size',
  COLLECTION_NAME: 'db.collection.name',
  QUERY_SUMMARY: 'db.query.summary',
  RESPONSE_RETURNED_ROWS: 'db.response.returned_rows',
  RESPONSE_STATUS_CODE: 'db.response.status_code',
  SERVER_ADDRESS: 'server.address',
  SERVER_PORT: 'server.port',
  VECTOR_QUERY_TOP_K: 'db.vector.query.top_k',
  QUERY_VECTOR_DIMENSIONS: 'infinium.retrieval.query_vector_dimensions',
} as const;

/**
 * `db.query.summary`, and the span's name, as the database conventions build it for a call with no query
 * text: `{operation} {collection}` (`query products`), the operation alone when the collection is unknown.
 */
export function dbQuerySummary(db: DbOperation): string {
  return db.collection ? `${db.operation} ${db.collection}` : db.operation;
}

/** Where the database keys go: a sink, or the counter of `dbStartKeyCount`. */
interface KeyWriter {
  put(key: string, value: AttributeValue | undefined): void;
}

/** What names the call: written when its span starts, so that samplers and `onStart` see them. */
export function renderDbStart(out: KeyWriter, db: DbOperation): void {
  out.put(DB_KEYS.SYSTEM_NAME, db.system);
  out.put(DB_KEYS.OPERATION_NAME, db.operation);
  out.put(DB_KEYS.OPERATION_BATCH_SIZE, db.batchSize);
  out.put(DB_KEYS.COLLECTION_NAME, db.collection);
  out.put(DB_KEYS.QUERY_SUMMARY, dbQuerySummary(db));
  renderDbServer(out, db.server);
  out.put(DB_KEYS.VECTOR_QUERY_TOP_K, db.topK);
  out.put(DB_KEYS.QUERY_VECTOR_DIMENSIONS, db.queryVectorDimensions);
}

/** What the answer said: how many results came back, the status code of a failure. */
export function renderDbEnd(out: AttributeSink, db: DbOperation): void {
  out.put(DB_KEYS.RESPONSE_RETURNED_ROWS, db.returnedRows);
  out.put(DB_KEYS.RESPONSE_STATUS_CODE, db.statusCode);
}

/** `server.address` and `server.port` (also once a store client learns its host during the call). */
export function renderDbServer(out: KeyWriter, server: ServerEndpoint | undefined): void {
  if (!server) return;
  out.put(DB_KEYS.SERVER_ADDRESS, server.address);
  out.put(DB_KEYS.SERVER_PORT, server.port);
}

/**
 * How many keys `renderDbStart` puts on the span at its start: a run rendered at the end (render-run.ts)
 * does not put them again, and must leave them their room under the SDK's attribute count limit.
 */
export function dbStartKeyCount(db: DbOperation): number {
  let count = 0;
  renderDbStart({
    put: (_key, value) => {
      // As AttributeSink.put: no value, no key.
      if (value !== undefined && value !== null) count++;
    },
  }, db);
  return count;
}

/** The start attributes of a database call that is no run (an upsert, a fetch, a query under a framework's retriever). */
export function dbStartAttributes(db: DbOperation, config: TraceConfig): Attributes {
  const out = new AttributeSink(config);
  renderDbStart(out, db);
  return out.attributes;
}
