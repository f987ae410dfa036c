import { expect } from 'chai';
import type { Viewer } from './harness';

/** OTLP/JSON export requests written by hand, for spans no instrumentation here emits (other vocabularies, hostile content). */
export const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
export const int = (key: string, value: number) => ({ key, value: { intValue: String(value) } });
export const dbl = (key: string, value: number) => ({ key, value: { doubleValue: value } });

export function span(traceId: string, spanId: string, parentSpanId: string, name: string, startMs: number, attributes: unknown[], extra: object = {}) {
  const nanos = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
  return { traceId, spanId, parentSpanId, name, kind: 1, startTimeUnixNano: nanos(startMs), endTimeUnixNano: nanos(startMs + 40), attributes, ...extra };
}

export function request(service: string, spans: unknown[]) {
  return { resourceSpans: [{ resource: { attributes: [str('service.name', service)] }, scopeSpans: [{ scope: { name: 'viewer-ui-test' }, spans }] }] };
}

export async function post(viewer: Viewer, body: unknown): Promise<void> {
  const response = await fetch(`${viewer.otlpOrigin}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).to.equal(200);
}
