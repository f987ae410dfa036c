import { STATUS_CODES } from './model';
import type { DatabaseSync, SqlValue } from './sqlite';
import { splitSet } from './store-schema';
import type { TraceRow } from './trace-row';

/** The API's reads: the trace list (filters, newest first, by cursor) and the facets (one trace: trace-json.ts). */

export interface TraceFilter {
  service?: string;
  status?: string;
  kind?: string;
  model?: string;
  fromMs?: number;
  toMs?: number;
  q?: string;
  limit: number;
  /** The `next` of the previous page: `<startMs>:<traceId>`. */
  before?: string;
}

export interface TraceSummary {
  traceId: string;
  rootName: string;
  service: string;
  startMs: number;
  durationMs: number;
  status: string;
  spanCount: number;
  llmCount: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costUsd: number | null;
  models: string[];
  kinds: string[];
}

/** LIKE pattern matching `text` anywhere, with `!` as the escape character. */
function containing(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

const setMember = (value: string): string => containing(`|${value.replace(/\|/g, '/')}|`);

export function listTraces(db: DatabaseSync, filter: TraceFilter): { traces: TraceSummary[]; next: string | null } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (sql: string, ...values: SqlValue[]): void => {
    where.push(sql);
    params.push(...values);
  };
  if (filter.service) add(`services LIKE ? ESCAPE '!'`, setMember(filter.service));
  if (filter.kind) add(`kinds LIKE ? ESCAPE '!'`, setMember(filter.kind.toUpperCase()));
  if (filter.model) add(`models LIKE ? ESCAPE '!'`, setMember(filter.model));
  const status = filter.status ? STATUS_CODES.indexOf(filter.status.toUpperCase() as (typeof STATUS_CODES)[number]) : -1;
  if (status >= 0) add(`status = ?`, status);
  if (filter.fromMs !== undefined) add(`start_ms >= ?`, filter.fromMs);
  if (filter.toMs !== undefined) add(`start_ms <= ?`, filter.toMs);
  const cursor = filter.before ? /^(-?[\d.e+-]+):([0-9a-f]{32})$/.exec(filter.before) : null;
  if (cursor) add(`(start_ms < ? OR (start_ms = ? AND trace_id < ?))`, Number(cursor[1]), Number(cursor[1]), cursor[2]);
  if (filter.q) {
    // Names, then content: attribute and event values are searched in their stored JSON text, so the
    // query is JSON-escaped the same way (quotes, newlines) to match inside a value.
    const name = containing(filter.q);
    const content = containing(JSON.stringify(filter.q).slice(1, -1));
    add(
      `EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = traces.trace_id AND
        (s.name LIKE ? ESCAPE '!' OR s.attributes LIKE ? ESCAPE '!' OR s.events LIKE ? ESCAPE '!'))`,
      name,
      content,
      content,
    );
  }
  const sql = `SELECT * FROM traces ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY start_ms DESC, trace_id DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...params, filter.limit + 1) as unknown as TraceRow[];
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return { traces: page.map(toSummary), next: rows.length > filter.limit && last ? `${last.start_ms}:${last.trace_id}` : null };
}

export function toSummary(row: TraceRow): TraceSummary {
  return {
    traceId: row.trace_id,
    rootName: row.root_name,
    service: row.service,
    startMs: row.start_ms,
    durationMs: micros(row.end_ms - row.start_ms),
    status: STATUS_CODES[row.status] ?? 'UNSET',
    spanCount: row.span_count,
    llmCount: row.llm_count,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    totalTokens: row.total_tokens,
    costUsd: row.cost,
    models: splitSet(row.models),
    kinds: splitSet(row.kinds),
  };
}

export function facets(db: DatabaseSync): { services: string[]; models: string[]; kinds: string[] } {
  const values = (kind: string): string[] =>
    (db.prepare(`SELECT value FROM facets WHERE kind = ? ORDER BY value`).all(kind) as Array<{ value: string }>).map((r) => r.value);
  return { services: values('services'), models: values('models'), kinds: values('kinds') };
}

/** Milliseconds to the microsecond: the precision timestamps are stored with, without float residue. */
export function micros(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
