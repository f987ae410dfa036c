import { context, Context, createContextKey, diag, Span, SpanKind, trace } from '@opentelemetry/api';
import { DEFAULT_CONVENTIONS } from '../../config/semconv';
import { isTracingSuppressed } from '../../compat/sdk-shared';
import { type CallRuntime, errorType } from '../../instrumentation/llm-call';
import type { AnyFunction, PatchHost } from '../../instrumentation/patching';
import { insideFrameworkRetriever } from '../../instrumentation/run-scope';
import { errorMessageText, recordFailure } from '../../masking/error-text';
import type { ServerEndpoint } from '../../record/call-record';
import type { DbOperation, RunDocument, RunRecord } from '../../record/run-record';
import { AttributeSink } from '../../semconv/attribute-sink';
import { ATTR_ERROR_TYPE } from '../../semconv/attributes';
import { dbQuerySummary, dbStartAttributes, renderDbEnd, renderDbServer } from '../../semconv/render-db';
import { renderRunRecord, runStartAttributes } from '../../semconv/render-run';
import { runObserved } from '../observed-call';

/**
 * One traced method of a vector store's client: its `db.operation.name`, and how the store's adapter
 * (pinecone.ts, qdrant.ts, chroma.ts: the only files that know the SDKs' shapes) reads the call and its answer.
 */
export interface StoreMethod {
  readonly operation: string;
  /** A similarity query: a RETRIEVER span with the documents, unless a framework's retriever above records them. */
  readonly query?: boolean;
  /** The call's facts, from the client object (`self`) and the method's arguments. Never the vectors themselves. */
  describe(self: unknown, args: readonly unknown[]): StoreRequest;
  /** What the answer says: the documents found, how many records came back. */
  read?(result: unknown): StoreAnswer;
  /** Where the client went, when it learns its host during the call (Pinecone resolves an index's host by name). */
  serverAfter?(self: unknown): ServerEndpoint | undefined;
}

export interface StoreRequest {
  /** `db.operation.name` when this call's differs from the method's (a batch of several queries: `BATCH search`). */
  operation?: string;
  /** `db.operation.batch.size`: the queries of a batch request (unset on a single query). */
  batchSize?: number;
  collection?: string;
  server?: ServerEndpoint;
  topK?: number;
  queryVectorDimensions?: number;
  /** The query's text, when the store embeds it (Chroma's `queryTexts`, Pinecone's integrated search). */
  queryText?: string | string[];
}

export interface StoreAnswer {
  documents?: RunDocument[];
  returnedRows?: number;
}

/** Marks the context a store call runs in: a traced method the SDK calls inside it (a subclass's `super.query`) makes no second span. */
const STORE_CALL_KEY = createContextKey('@infinium/otel vector store call');

/** The wrapper of one store method: each call one CLIENT span, the app getting exactly what the SDK returns or throws. */
export function storeMethodWrapper(host: PatchHost, system: string, method: StoreMethod) {
  return (original: AnyFunction): AnyFunction =>
    function tracedStoreCall(this: unknown, ...args: unknown[]) {
      const call = startStoreCall(host.runtime, system, method, this, args);
      if (!call) return original.apply(this, args);
      return runObserved(call.context, () => original.apply(this, args), (result) => call.answered(result, this), (error) => call.failed(error));
    };
}

function startStoreCall(runtime: CallRuntime, system: string, method: StoreMethod, self: unknown, args: unknown[]): StoreSpan | undefined {
  try {
    const parent = context.active();
    if (isTracingSuppressed(parent) || parent.getValue(STORE_CALL_KEY) === true) return undefined;
    const request = method.describe(self, args);
    const db: DbOperation = {
      system,
      operation: request.operation ?? method.operation,
      batchSize: request.batchSize,
      collection: request.collection || undefined,
      server: request.server,
      topK: request.topK,
      queryVectorDimensions: request.queryVectorDimensions,
    };
    // Under a framework's retriever the documents (and the query) are on its span: this call keeps only its database facts.
    const run: RunRecord | undefined = method.query && !insideFrameworkRetriever(parent)
      ? { kind: 'RETRIEVER', name: dbQuerySummary(db), input: queryInput(request.queryText), db, startedAt: performance.now() }
      : undefined;
    return new StoreSpan(runtime, method, db, run, parent);
  } catch (err) {
    diag.debug(`@infinium/otel: could not start a ${system} span`, err);
    return undefined;
  }
}

/** One text as it is; several (Chroma's batch of query texts) as their list. */
function queryInput(text: string | string[] | undefined): unknown {
  return Array.isArray(text) && text.length === 1 ? text[0] : text;
}

/**
 * A store call's CLIENT span, named as the database conventions name it (`query products`), ended exactly
 * once. Its attributes go through the one masking (AttributeSink): the database keys (render-db.ts), and for
 * a query the RETRIEVER run (render-run.ts: input, documents). Status: unset when answered, as database
 * spans are; ERROR with the SDK's error (its message capped and redacted) when it failed.
 */
class StoreSpan {
  readonly span: Span;
  readonly context: Context;
  private ended = false;

  constructor(
    private readonly runtime: CallRuntime,
    private readonly method: StoreMethod,
    private readonly db: DbOperation,
    private readonly run: RunRecord | undefined,
    parent: Context,
  ) {
    const config = runtime.traceConfig;
    const attributes = run ? runStartAttributes(run, config, this.conventions) : dbStartAttributes(db, config);
    this.span = runtime.tracer.startSpan(dbQuerySummary(db), { kind: SpanKind.CLIENT, attributes }, parent);
    this.context = trace.setSpan(parent, this.span).setValue(STORE_CALL_KEY, true);
  }

  answered(result: unknown, self: unknown): void {
    if (this.ended) return;
    try {
      const answer = this.method.read?.(result);
      this.db.returnedRows = answer?.returnedRows ?? answer?.documents?.length;
      if (this.run) this.run.documents = answer?.documents;
      this.learnServer(self);
    } catch (err) {
      diag.debug('@infinium/otel: could not read a vector store answer', err);
    }
    this.finish();
    this.span.end();
  }

  failed(error: unknown): void {
    if (this.ended) return;
    const maxLength = this.runtime.traceConfig.maxAttributeLength;
    const message = errorMessageText(error, maxLength);
    try {
      this.db.statusCode = statusCodeOf(error);
      if (this.run) this.run.error = { type: errorType(error), message };
    } catch (err) {
      diag.debug('@infinium/otel: could not read a vector store error', err);
    }
    this.finish(error);
    recordFailure(this.span, error, message, maxLength);
    this.span.end();
  }

  private get conventions() {
    return this.runtime.conventions ?? DEFAULT_CONVENTIONS;
  }

  private learnServer(self: unknown): void {
    if (this.db.server || !this.method.serverAfter) return;
    this.db.server = this.method.serverAfter(self);
    if (this.db.server && this.span.isRecording()) renderDbServer(new AttributeSink(this.runtime.traceConfig, this.span), this.db.server);
  }

  private finish(error?: unknown): void {
    this.ended = true;
    if (!this.span.isRecording()) return;
    try {
      const config = this.runtime.traceConfig;
      if (this.run) return void renderRunRecord(this.run, config, this.conventions, this.span);
      const out = new AttributeSink(config, this.span);
      if (error !== undefined) out.put(ATTR_ERROR_TYPE, errorType(error));
      renderDbEnd(out, this.db);
    } catch (err) {
      diag.debug('@infinium/otel: could not render vector store attributes', err);
    }
  }
}

/** The HTTP status a store's error carries (`status`, `statusCode`, `response.status`), as `db.response.status_code`. */
function statusCodeOf(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const e = error as { status?: unknown; statusCode?: unknown; response?: { status?: unknown } | null };
  const code = e.status ?? e.statusCode ?? e.response?.status;
  return Number.isSafeInteger(code) ? String(code) : undefined;
}
