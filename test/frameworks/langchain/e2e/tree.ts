import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/** Reading span trees: kinds, parents by spanId, and a printed outline to compare exactly. */
export const KIND = 'openinference.span.kind';

export function kindOf(span: ReadableSpan): string {
  return String(span.attributes[KIND] ?? '-');
}

function startOf(span: ReadableSpan): number {
  return span.startTime[0] * 1e9 + span.startTime[1];
}

export function parentOf(spans: ReadableSpan[], span: ReadableSpan): ReadableSpan | undefined {
  const id = span.parentSpanContext?.spanId;
  return id ? spans.find((s) => s.spanContext().spanId === id) : undefined;
}

/** The children of `parent` (or the roots, for `undefined`), oldest first. */
export function childrenOf(spans: ReadableSpan[], parent: ReadableSpan | undefined): ReadableSpan[] {
  return spans
    .filter((s) => (parent ? s.parentSpanContext?.spanId === parent.spanContext().spanId : !parentOf(spans, s)))
    .sort((a, b) => startOf(a) - startOf(b));
}

/**
 * The spans as an outline, one line per span (`name KIND`, two spaces per level), children in start
 * order, from each root (a span whose parent is not among `spans`).
 */
export function outline(spans: ReadableSpan[], under?: ReadableSpan): string[] {
  const lines: string[] = [];
  const walk = (span: ReadableSpan, depth: number) => {
    lines.push(`${'  '.repeat(depth)}${span.name} ${kindOf(span)}`);
    for (const child of childrenOf(spans, span)) walk(child, depth + 1);
  };
  for (const root of under ? [under] : childrenOf(spans, undefined)) walk(root, 0);
  return lines;
}

/** Every span of the trace is in one tree: exactly one root, and every other span's parent is exported. */
export function expectOneTree(spans: ReadableSpan[]): ReadableSpan {
  const roots = spans.filter((s) => !parentOf(spans, s));
  expect(roots.map((s) => s.name), 'roots (a second root is an orphan)').to.have.length(1);
  const traceIds = new Set(spans.map((s) => s.spanContext().traceId));
  expect(traceIds.size, 'trace ids').to.equal(1);
  return roots[0];
}

export function named(spans: ReadableSpan[], name: string): ReadableSpan[] {
  return spans.filter((s) => s.name === name);
}

/** The one span named `name` (fails if there are none or several). */
export function only(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = named(spans, name);
  expect(found, `spans named ${name}`).to.have.length(1);
  return found[0];
}

export function ofKind(spans: ReadableSpan[], kind: string): ReadableSpan[] {
  return spans.filter((s) => kindOf(s) === kind).sort((a, b) => startOf(a) - startOf(b));
}

export function expectChildOf(child: ReadableSpan, parent: ReadableSpan): void {
  expect(child.parentSpanContext?.spanId, `${child.name} is a child of ${parent.name}`).to.equal(parent.spanContext().spanId);
}

/** Whether `ancestor` is on the path from `span` to its root. */
export function isUnder(spans: ReadableSpan[], span: ReadableSpan, ancestor: ReadableSpan): boolean {
  for (let p = parentOf(spans, span); p; p = parentOf(spans, p)) if (p === ancestor) return true;
  return false;
}

export function expectOk(span: ReadableSpan): void {
  expect(span.status.code, `${span.name} status`).to.not.equal(SpanStatusCode.ERROR);
  expect(span.events.map((e) => e.name), `${span.name} events`).to.not.include('exception');
}

/** ERROR with one exception event carrying `message`. */
export function expectError(span: ReadableSpan, message: string): void {
  expect(span.status.code, `${span.name} status`).to.equal(SpanStatusCode.ERROR);
  const exceptions = span.events.filter((e) => e.name === 'exception');
  expect(exceptions, `${span.name} exception events`).to.have.length(1);
  expect(exceptions[0].attributes?.['exception.message']).to.equal(message);
}

/** The attributes of `span` under `prefix` (e.g. `retrieval.documents.`), for an exact comparison. */
export function attributesUnder(span: ReadableSpan, prefix: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(span.attributes).filter(([key]) => key.startsWith(prefix)));
}
