import type { ReceivedSpan } from './model';
import { joinSet, splitSet } from './store-schema';
import type { CallFigures, SpanFacts } from './summaries';

/** A trace's summary row (the `traces` table), and how new spans update it. */
export interface TraceRow {
  trace_id: string;
  root_name: string;
  /** The root span's id once it arrived; until then the earliest span stands in for it. */
  root_span: string | null;
  service: string;
  services: string;
  start_ms: number;
  end_ms: number;
  /** 0 UNSET, 1 OK, 2 ERROR: ERROR when any span failed, else the root's status. */
  status: number;
  has_error: number;
  root_status: number;
  span_count: number;
  llm_count: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost: number | null;
  models: string;
  kinds: string;
  seen_ms: number;
}

export interface NewSpan {
  span: ReceivedSpan;
  facts: SpanFacts;
}

/** The row with `spans` (new to the store, all of this trace) added; `row` undefined for a new trace. */
export function mergeSpans(row: TraceRow | undefined, traceId: string, spans: readonly NewSpan[], now: number): TraceRow {
  const first = spans[0].span;
  const out: TraceRow = row
    ? { ...row }
    : {
        trace_id: traceId,
        root_name: first.name,
        root_span: null,
        service: first.service,
        services: '',
        start_ms: first.startMs,
        end_ms: first.endMs,
        status: 0,
        has_error: 0,
        root_status: first.statusCode,
        span_count: 0,
        llm_count: 0,
        prompt_tokens: 0,
        completion_tokens: 0,
        total_tokens: 0,
        cost: null,
        models: '',
        kinds: '',
        seen_ms: now,
      };
  const services = new Set(splitSet(out.services));
  const kinds = new Set(splitSet(out.kinds));
  for (const { span, facts } of spans) {
    const isRoot = span.parentSpanId === null;
    if (isRoot || (out.root_span === null && span.startMs < out.start_ms)) {
      out.root_name = span.name;
      out.service = span.service;
      out.root_status = span.statusCode;
      if (isRoot) out.root_span = span.spanId;
    }
    out.start_ms = Math.min(out.start_ms, span.startMs);
    out.end_ms = Math.max(out.end_ms, span.endMs);
    if (span.statusCode === 2) out.has_error = 1;
    services.add(span.service);
    if (facts.oiKind) kinds.add(facts.oiKind);
    out.span_count++;
  }
  out.status = out.has_error ? 2 : out.root_status;
  out.services = joinSet(services);
  out.kinds = joinSet(kinds);
  out.seen_ms = now;
  return out;
}

/**
 * Counts one model call in the row (`sign` 1), or takes it back (-1: the call turned out to be a duplicate
 * of its parent's, which arrived later). Cost is summed to 1e-12 USD, so that many small prices add up
 * without float residue. A model once listed stays listed.
 */
export function countCall(row: TraceRow, call: CallFigures, sign: 1 | -1): void {
  if (call.costUsd !== null) row.cost = Math.round(((row.cost ?? 0) + sign * call.costUsd) * 1e12) / 1e12;
  if (call.llm === 0) return;
  row.llm_count += sign;
  row.prompt_tokens += sign * (call.promptTokens ?? 0);
  row.completion_tokens += sign * (call.completionTokens ?? 0);
  row.total_tokens += sign * (call.totalTokens ?? 0);
  if (sign > 0 && call.model && !row.models.includes(`|${call.model}|`)) row.models = joinSet([...splitSet(row.models), call.model]);
}

export const TRACE_COLUMNS = [
  'trace_id',
  'root_name',
  'root_span',
  'service',
  'services',
  'start_ms',
  'end_ms',
  'status',
  'has_error',
  'root_status',
  'span_count',
  'llm_count',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'cost',
  'models',
  'kinds',
  'seen_ms',
] as const satisfies ReadonlyArray<keyof TraceRow>;
