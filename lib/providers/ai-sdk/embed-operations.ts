import { Context, trace } from '@opentelemetry/api';
import type { Span } from '../../compat/sdk-types';

const GEN_AI_OPERATION = 'gen_ai.operation.name';
const KIND = 'openinference.span.kind';

/** The outer spans of `@ai-sdk/otel`'s embed operations, known from their first request span. */
const operations = new WeakSet<object>();

/**
 * `@ai-sdk/otel` (ai 7) writes an `embed`/`embedMany` as an `embeddings` span over one `embeddings` span per
 * request, both with `gen_ai.operation.name: embeddings`. One model span per request: the inner one is the
 * EMBEDDING span, and the outer one, marked here when its first request starts, the operation (a CHAIN).
 */
export function noteEmbedOperation(span: Span, parentContext: Context): void {
  if (span.attributes[GEN_AI_OPERATION] !== 'embeddings') return;
  const parent = trace.getSpan(parentContext) as Partial<Span> | undefined;
  const a = parent?.attributes;
  if (a && a[GEN_AI_OPERATION] === 'embeddings' && a[KIND] === undefined) operations.add(parent!);
}

/** CHAIN for the outer span of such an embed operation, else undefined (the span's own kind applies). */
export function embedOperationKind(span: object): 'CHAIN' | undefined {
  return operations.has(span) ? 'CHAIN' : undefined;
}
