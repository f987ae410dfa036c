import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { llmSpans, TestTracing } from './tracing';

/**
 * The LLM spans once a collection has ended them: runs `global.gc()` between polls (finalizers run on a
 * later task, and one collection is not always enough) until a span shows or `timeoutMs` passes.
 */
export async function llmSpansAfterCollection(tracing: TestTracing, timeoutMs = 5000): Promise<ReadableSpan[]> {
  const deadline = Date.now() + timeoutMs;
  let spans = llmSpans(await tracing.spans());
  while (spans.length === 0 && Date.now() < deadline) {
    global.gc!();
    await new Promise((resolve) => setTimeout(resolve, 20));
    spans = llmSpans(await tracing.spans());
  }
  return spans;
}
