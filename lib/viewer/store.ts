import fs from 'node:fs';
import path from 'node:path';
import type { ReceivedSpan } from './model';
import type { DatabaseSync, SqlValue, StatementSync } from './sqlite';
import { loadSqlite } from './sqlite';
import { applySchema, splitSet } from './store-schema';
import { LLM_INFERRED, callFiguresOfRow, spanFacts } from './summaries';
import type { NewSpan, TraceRow } from './trace-row';
import { TRACE_COLUMNS, countCall, mergeSpans } from './trace-row';

export const DB_FILE = 'traces.db';

/**
 * The viewer's store: one SQLite database (node:sqlite) in the data folder. Writes come from one place,
 * the ingest queue, a transaction per group of requests; a span already stored (an exporter's retry) is
 * ignored, so a retried export never counts twice.
 */
export class TraceStore {
  readonly db: DatabaseSync;
  readonly file: string;
  private readonly insertSpan: StatementSync;
  private readonly getTrace: StatementSync;
  private readonly putTrace: StatementSync;
  private readonly llmKind: StatementSync;
  private readonly inferredChildren: StatementSync;
  private readonly insertResource: StatementSync;
  private readonly resourceId: StatementSync;
  private readonly insertFacet: StatementSync;
  private resourceIds = new Map<string, number>();
  private dirty = false;

  constructor(dir: string) {
    const sqlite = loadSqlite();
    if (!sqlite) throw new Error('node:sqlite is not available in this Node.js');
    fs.mkdirSync(dir, { recursive: true });
    this.file = dir === ':memory:' ? dir : path.join(dir, DB_FILE);
    this.db = new sqlite.DatabaseSync(this.file);
    applySchema(this.db);
    this.insertSpan = this.db.prepare(
      `INSERT OR IGNORE INTO spans (trace_id, span_id, parent, name, span_kind, oi_kind, start_ms, end_ms, status_code,
        status_message, service, attributes, events, resource_id, scope_name, scope_version, llm, prompt_tokens,
        completion_tokens, total_tokens, cost, model) VALUES (${placeholders(22)})`,
    );
    this.getTrace = this.db.prepare(`SELECT * FROM traces WHERE trace_id = ?`);
    this.putTrace = this.db.prepare(`INSERT OR REPLACE INTO traces (${TRACE_COLUMNS.join(', ')}) VALUES (${placeholders(TRACE_COLUMNS.length)})`);
    this.llmKind = this.db.prepare(`SELECT llm FROM spans WHERE trace_id = ? AND span_id = ?`);
    this.inferredChildren = this.db.prepare(
      `SELECT span_id, llm, prompt_tokens, completion_tokens, total_tokens, cost, model FROM spans
        WHERE trace_id = ? AND parent = ? AND llm = ${LLM_INFERRED}`,
    );
    this.insertResource = this.db.prepare(`INSERT OR IGNORE INTO resources (json) VALUES (?)`);
    this.resourceId = this.db.prepare(`SELECT id FROM resources WHERE json = ?`);
    this.insertFacet = this.db.prepare(`INSERT OR IGNORE INTO facets (kind, value) VALUES (?, ?)`);
  }

  /** Stores the requests' spans in one transaction; returns the ids of the traces that changed. */
  ingest(requests: ReadonlyArray<readonly ReceivedSpan[]>): string[] {
    const byTrace = new Map<string, NewSpan[]>();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for (const spans of requests) for (const span of spans) this.insertOne(span, byTrace);
      const now = Date.now();
      for (const [traceId, added] of byTrace) this.updateTrace(traceId, added, now);
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      // Resource ids handed out inside the rolled-back transaction do not exist any more.
      this.resourceIds.clear();
      throw error;
    }
    if (byTrace.size > 0) this.dirty = true;
    return [...byTrace.keys()];
  }

  private insertOne(span: ReceivedSpan, byTrace: Map<string, NewSpan[]>): void {
    const facts = spanFacts(span);
    const result = this.insertSpan.run(
      span.traceId,
      span.spanId,
      span.parentSpanId,
      span.name,
      span.spanKind,
      facts.oiKind,
      span.startMs,
      span.endMs,
      span.statusCode,
      span.statusMessage,
      span.service,
      JSON.stringify(span.attributes),
      span.events.length ? JSON.stringify(span.events) : null,
      this.resourceIdOf(span.resourceJson),
      span.scopeName,
      span.scopeVersion,
      facts.llm,
      facts.promptTokens,
      facts.completionTokens,
      facts.totalTokens,
      facts.costUsd,
      facts.model,
    );
    if (Number(result.changes) === 0) return; // already stored
    let added = byTrace.get(span.traceId);
    if (!added) byTrace.set(span.traceId, (added = []));
    added.push({ span, facts });
  }

  private resourceIdOf(json: string): number {
    let id = this.resourceIds.get(json);
    if (id === undefined) {
      this.insertResource.run(json);
      id = Number(this.resourceId.get(json)!.id);
      if (this.resourceIds.size > 1000) this.resourceIds.clear();
      this.resourceIds.set(json, id);
    }
    return id;
  }

  /**
   * The trace's summary row with the new spans in, its model calls counted incrementally, each once: an
   * inferred LLM span (GenAI keys only) whose parent is an LLM span is the same call seen twice (an SDK's
   * own span under an instrumentation's: Anthropic's `anthropic.messages.create` under ours). Children end
   * first, so such a child may be stored (and counted) before its parent arrives: it is taken back then.
   */
  private updateTrace(traceId: string, added: NewSpan[], now: number): void {
    const before = this.getTrace.get(traceId) as TraceRow | undefined;
    const row = mergeSpans(before, traceId, added, now);
    const llmHere = new Set(added.filter(({ facts }) => facts.llm > 0).map(({ span }) => span.spanId));
    for (const { span, facts } of added) {
      if (facts.llm === 0 && facts.costUsd === null) continue;
      const parent = span.parentSpanId;
      if (facts.llm === LLM_INFERRED && parent && (llmHere.has(parent) || Number(this.llmKind.get(traceId, parent)?.llm ?? 0) > 0)) continue;
      countCall(row, facts, 1);
    }
    if (before && llmHere.size > 0) {
      const addedIds = new Set(added.map(({ span }) => span.spanId));
      for (const id of llmHere) {
        for (const child of this.inferredChildren.all(traceId, id)) {
          if (!addedIds.has(String(child.span_id))) countCall(row, callFiguresOfRow(child), -1);
        }
      }
    }
    this.putTrace.run(...TRACE_COLUMNS.map((column) => row[column] as SqlValue));
    this.noteFacets(before, row);
  }

  private noteFacets(before: TraceRow | undefined, row: TraceRow): void {
    for (const kind of ['services', 'models', 'kinds'] as const) {
      if (before && before[kind] === row[kind]) continue;
      for (const value of splitSet(row[kind])) this.insertFacet.run(kind, value);
    }
  }

  /**
   * Makes what was committed durable against a power loss: a checkpoint syncs the WAL (synchronous=NORMAL
   * does not at commit). Called every second by the viewer when something was written.
   */
  checkpoint(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  }

  /** Forgets cached resource ids (after retention removed rows). */
  forgetResources(): void {
    this.resourceIds.clear();
  }

  close(): void {
    try {
      this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }
}

function placeholders(count: number): string {
  return new Array(count).fill('?').join(', ');
}
