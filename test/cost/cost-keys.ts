import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/** The span's `llm.cost.*` keys, for exact comparison (no other key starts so). */
export function costKeys(span: ReadableSpan): Record<string, unknown> {
  return Object.fromEntries(Object.entries(span.attributes).filter(([key]) => key.startsWith('llm.cost.')));
}
