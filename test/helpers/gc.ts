import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { llmSpans, TestTracing } from './tracing';

/**
 * Collects garbage until `done()` holds, or `timeoutMs` passes (then it returns, and the caller's
 * assertions say what is missing). Finalizers run on a later task after a collection, and one collection
 * is not always enough; on a busy machine they can lag by seconds, so the bound is time, and generous.
 */
export async function collectUntil(done: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run mocha with --expose-gc (see .mocharc.js)');
  const deadline = Date.now() + timeoutMs;
  do {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (await done()) return;
  } while (Date.now() < deadline);
}

/** The LLM spans once a collection has ended them (none if no span ended within `timeoutMs`). */
export async function llmSpansAfterCollection(tracing: TestTracing, timeoutMs = 15_000): Promise<ReadableSpan[]> {
  let spans = llmSpans(await tracing.spans());
  if (spans.length > 0) return spans;
  await collectUntil(async () => (spans = llmSpans(await tracing.spans())).length > 0, timeoutMs);
  return spans;
}
