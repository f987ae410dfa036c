import { AttributeValue, Attributes, HrTime, SpanStatusCode } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '../compat/sdk-shared';
import { parentSpanContextOf } from '../compat/otel-line';
import type { ReadableSpan } from '../compat/sdk-types';
import { INFINIUM, OI } from '../semconv/attributes';

/**
 * The text of the tree view. One trace looks like this (the format is documented in
 * docs/configuration.md and kept stable; tests compare it byte for byte):
 *
 *   trace 0af7651916cd43dd8448eb211c80319c (agent-demo)
 *   agent [CHAIN] 142ms
 *   │  infinium.service=agent-demo infinium.duration_s=0.142 infinium.llm_call_count=2 infinium.prompt_fetch_count=1 infinium.cost_usd=0.0000078 infinium.unpriced_llm_call_count=0
 *   │  • infinium.prompt_fetch prompt.id=support-reply prompt.name=support prompt.version=3
 *   ├─ chat gpt-4o-mini [LLM] openai/gpt-4o-mini-2024-07-18 tokens=24+7=31 cost=$0.0000078 9ms
 *   └─ chat gpt-4o-mini [LLM] openai/gpt-4o-mini 3ms ERROR RateLimitError: 429 Rate limit reached
 */
export interface TraceGroup {
  traceId: string;
  spans: ReadableSpan[];
  /** The trace's local root never ended (printed at shutdown, or when the buffer is full). */
  incomplete?: boolean;
}

const MAX_MESSAGE = 120;

export function formatTrace(group: TraceGroup): string {
  const ids = new Set(group.spans.map((s) => s.spanContext().spanId));
  const children = new Map<string, ReadableSpan[]>();
  const roots: ReadableSpan[] = [];
  for (const span of group.spans) {
    const parentId = parentSpanContextOf(span)?.spanId;
    if (parentId && ids.has(parentId)) {
      const siblings = children.get(parentId) ?? [];
      siblings.push(span);
      children.set(parentId, siblings);
    } else {
      roots.push(span);
    }
  }
  const lines = [header(group, roots)];
  for (const root of byStart(roots)) renderNode(root, '', '', children, lines);
  return lines.join('\n') + '\n';
}

function header(group: TraceGroup, roots: ReadableSpan[]): string {
  const service = serviceOf(roots[0]);
  const parts = [`trace ${group.traceId}`];
  if (typeof service === 'string') parts.push(`(${service})`);
  if (group.incomplete) parts.push('(incomplete)');
  return parts.join(' ');
}

/**
 * The resource's `service.name`, unless it is OpenTelemetry's placeholder (`unknown_service:node`) and
 * the root names its service in `infinium.service` (InfiniumOTelExporter's roots do): then that one,
 * so the header and the root line agree.
 */
function serviceOf(root: ReadableSpan | undefined): unknown {
  const fromResource = root?.resource?.attributes?.['service.name'];
  const fromRoot = root?.attributes?.[INFINIUM.SERVICE];
  const placeholder = typeof fromResource !== 'string' || fromResource.startsWith('unknown_service');
  return placeholder && typeof fromRoot === 'string' && fromRoot !== '' ? fromRoot : fromResource;
}

function renderNode(
  span: ReadableSpan,
  firstPrefix: string,
  restPrefix: string,
  children: Map<string, ReadableSpan[]>,
  lines: string[],
): void {
  const kids = byStart(children.get(span.spanContext().spanId) ?? []);
  lines.push(firstPrefix + describeSpan(span));
  const detailPrefix = restPrefix + (kids.length > 0 ? '│  ' : '   ');
  const rollUp = infiniumAttributes(span.attributes);
  if (rollUp) lines.push(detailPrefix + rollUp);
  for (const event of span.events) {
    if (event.name === 'exception') continue; // shown as the span's error
    lines.push(detailPrefix + ['•', event.name, ...keyValues(event.attributes ?? {})].join(' '));
  }
  kids.forEach((kid, i) => {
    const last = i === kids.length - 1;
    renderNode(kid, restPrefix + (last ? '└─ ' : '├─ '), restPrefix + (last ? '   ' : '│  '), children, lines);
  });
}

/** `name [KIND] provider/model tokens=prompt+completion=total cost=$usd latency ERROR type: message`, absent parts left out. */
export function describeSpan(span: ReadableSpan): string {
  const a = span.attributes;
  const parts = [span.name];
  const kind = str(a[OI.OPENINFERENCE_SPAN_KIND]);
  if (kind) parts.push(`[${kind}]`);
  const model = str(a[OI.LLM_MODEL_NAME]) ?? str(a['gen_ai.response.model']) ?? str(a['gen_ai.request.model'])
    ?? str(a['llm.model']) ?? str(a[OI.EMBEDDING_MODEL_NAME]);
  const provider = str(a[OI.LLM_PROVIDER]) ?? str(a['gen_ai.provider.name']) ?? str(a['gen_ai.system']);
  if (model) parts.push(provider ? `${provider}/${model}` : model);
  const tokens = formatTokens(a);
  if (tokens) parts.push(tokens);
  const cost = num(a[OI.LLM_COST_TOTAL]);
  if (cost !== undefined) parts.push(`cost=$${formatUsd(cost)}`);
  parts.push(formatDuration(span.duration));
  if (span.status.code === SpanStatusCode.ERROR) parts.push(formatError(span));
  return parts.join(' ');
}

function formatTokens(a: Attributes): string | undefined {
  const prompt = num(a[OI.LLM_TOKEN_COUNT_PROMPT]) ?? num(a['gen_ai.usage.input_tokens']) ?? num(a['llm.prompt_tokens']);
  const completion = num(a[OI.LLM_TOKEN_COUNT_COMPLETION]) ?? num(a['gen_ai.usage.output_tokens'])
    ?? num(a['llm.completion_tokens']);
  const total = num(a[OI.LLM_TOKEN_COUNT_TOTAL])
    ?? (prompt !== undefined && completion !== undefined ? prompt + completion : undefined);
  if (prompt === undefined && completion === undefined && total === undefined) return undefined;
  return `tokens=${prompt ?? '?'}+${completion ?? '?'}=${total ?? '?'}`;
}

/** Dollars in plain decimals (no `1.6e-7`), to the 1e-12 the cost is kept to. */
export function formatUsd(usd: number): string {
  return usd.toFixed(12).replace(/\.?0+$/, '');
}

export function formatDuration(duration: HrTime): string {
  const ms = hrTimeToMilliseconds(duration);
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(2)}s`;
}

function formatError(span: ReadableSpan): string {
  const exception = span.events.find((e) => e.name === 'exception')?.attributes;
  const type = str(span.attributes['error.type']) ?? str(exception?.['exception.type']);
  const message = oneLine(span.status.message ?? str(exception?.['exception.message']) ?? '');
  if (type && message) return `ERROR ${type}: ${message}`;
  return `ERROR ${type ?? message}`.trimEnd();
}

function infiniumAttributes(a: Attributes): string | undefined {
  const pairs = keyValues(a).filter((kv) => kv.startsWith('infinium.'));
  return pairs.length > 0 ? pairs.join(' ') : undefined;
}

function keyValues(a: Attributes): string[] {
  return Object.entries(a)
    .filter((entry): entry is [string, AttributeValue] => entry[1] !== undefined && entry[1] !== null)
    .map(([key, value]) => `${key}=${formatValue(value)}`);
}

function formatValue(value: AttributeValue): string {
  if (Array.isArray(value)) return JSON.stringify(value);
  // A small cost (`infinium.cost_usd`) in decimals, as the span lines show it, not `1.6e-7`.
  if (typeof value === 'number' && value !== 0 && Math.abs(value) < 1e-6) return formatUsd(value);
  const text = oneLine(String(value));
  return text === '' || /\s/.test(text) ? JSON.stringify(text) : text;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE - 1)}…` : flat;
}

function byStart(spans: ReadableSpan[]): ReadableSpan[] {
  return [...spans].sort((x, y) => x.startTime[0] - y.startTime[0] || x.startTime[1] - y.startTime[1]);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
