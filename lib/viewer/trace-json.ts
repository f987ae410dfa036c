import { SPAN_KINDS, STATUS_CODES } from './model';
import type { DatabaseSync } from './sqlite';
import { micros, toSummary } from './store-queries';
import type { TraceRow } from './trace-row';

/**
 * One trace as the API's JSON text (`GET /api/traces/:id`), or null if unknown: its summary, and its
 * spans in start order, at most `maxSpans` of them and `maxBytes` of JSON (`truncated` says when spans
 * were left out; `summary.spanCount` how many there are). Unbounded, a 100,000-span agent run was a 135 MB
 * answer, 1 GB at the viewer's peak and a page holding 146 MB (docs/viewer.md, "Very large traces").
 * Read in pages along the (trace_id, start_ms) index, so that neither the rows nor the text held ever
 * pass the bounds by much (one page of rows; the span that crosses `maxBytes` is left out).
 * Built as text: the attributes, events and resources are stored as JSON already, and parsing them only
 * to serialize them again would double the cost of opening a large trace.
 */
export const MAX_TRACE_SPANS = 5000;
export const MAX_TRACE_BYTES = 32 * 1024 * 1024;
const PAGE = 250;

interface SpanRow {
  rowid: number;
  span_id: string;
  parent: string | null;
  name: string;
  span_kind: number;
  oi_kind: string | null;
  service: string;
  start_ms: number;
  end_ms: number;
  status_code: number;
  status_message: string | null;
  attributes: string;
  events: string | null;
  resource_id: number;
  scope_name: string;
  scope_version: string | null;
}

export function traceJson(db: DatabaseSync, traceId: string, maxSpans = MAX_TRACE_SPANS, maxBytes = MAX_TRACE_BYTES): string | null {
  const row = db.prepare(`SELECT * FROM traces WHERE trace_id = ?`).get(traceId) as unknown as TraceRow | undefined;
  if (!row) return null;
  const columns = `rowid, span_id, parent, name, span_kind, oi_kind, service, start_ms, end_ms, status_code, status_message,
    attributes, events, resource_id, scope_name, scope_version`;
  const first = db.prepare(`SELECT ${columns} FROM spans WHERE trace_id = ? ORDER BY start_ms, rowid LIMIT ?`);
  const after = db.prepare(
    `SELECT ${columns} FROM spans WHERE trace_id = ? AND (start_ms, rowid) > (?, ?) ORDER BY start_ms, rowid LIMIT ?`,
  );
  const resources = new Map<number, string>();
  const resourceOf = db.prepare(`SELECT json FROM resources WHERE id = ?`);
  const parts: string[] = [];
  let bytes = 0;
  let truncated = false;
  let last: SpanRow | undefined;
  for (;;) {
    const want = Math.min(PAGE, maxSpans + 1 - parts.length);
    const page = (last ? after.all(traceId, last.start_ms, last.rowid, want) : first.all(traceId, want)) as unknown as SpanRow[];
    for (const span of page) {
      if (parts.length === maxSpans) {
        truncated = true;
        break;
      }
      let resource = resources.get(span.resource_id);
      if (resource === undefined) {
        resource = String(resourceOf.get(span.resource_id)?.json ?? '{}');
        resources.set(span.resource_id, resource);
      }
      const text = spanJson(span, resource);
      const size = Buffer.byteLength(text) + 1; // and its comma
      if (bytes + size > maxBytes) {
        truncated = true;
        break;
      }
      bytes += size;
      parts.push(text);
    }
    if (truncated || page.length < want) break;
    last = page[page.length - 1];
  }
  const summary = JSON.stringify(toSummary(row));
  return `{"traceId":"${traceId}","summary":${summary},"truncated":${truncated},"spans":[${parts.join(',')}]}`;
}

function spanJson(row: SpanRow, resource: string): string {
  return (
    `{"spanId":"${row.span_id}","parentSpanId":${row.parent ? `"${row.parent}"` : 'null'},"name":${JSON.stringify(row.name)},` +
    `"spanKind":"${SPAN_KINDS[row.span_kind] ?? 'INTERNAL'}","oiKind":${JSON.stringify(row.oi_kind)},` +
    `"service":${JSON.stringify(row.service)},"startMs":${row.start_ms},"durationMs":${micros(row.end_ms - row.start_ms)},` +
    `"status":{"code":"${STATUS_CODES[row.status_code] ?? 'UNSET'}","message":${JSON.stringify(row.status_message)}},` +
    `"attributes":${row.attributes},"events":${row.events ?? '[]'},"resource":${resource},` +
    `"scope":{"name":${JSON.stringify(row.scope_name)},"version":${JSON.stringify(row.scope_version)}}}`
  );
}
