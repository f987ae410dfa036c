import { Attributes, diag, trace } from '@opentelemetry/api';
import { PromptFetch, traceStates } from '../processor/trace-store';
import { INFINIUM } from '../semconv/attributes';

/**
 * Records that the app fetched a prompt: a span event (`infinium.prompt_fetch`, with `prompt.id`,
 * `prompt.name`, `prompt.version`) on the active span, counted in the root's `infinium.prompt_fetch_count`
 * by the processor. No active span, or arguments without a string `id`: nothing happens. Never throws.
 */
export function recordPromptFetch(prompt: { id: string; name?: string; version?: number | string }): void {
  try {
    const fetch = validPromptFetch(prompt);
    if (!fetch) return;
    const span = trace.getActiveSpan();
    if (!span || !span.isRecording()) return;
    const attributes: Attributes = { [INFINIUM.PROMPT_ID]: fetch.id };
    if (fetch.name !== undefined) attributes[INFINIUM.PROMPT_NAME] = fetch.name;
    if (fetch.version !== undefined) attributes[INFINIUM.PROMPT_VERSION] = fetch.version;
    span.addEvent(INFINIUM.PROMPT_FETCH_EVENT, attributes);
    for (const state of traceStates(span.spanContext().traceId)) state.addPromptFetch(fetch);
  } catch (err) {
    diag.debug('@infinium/otel: recordPromptFetch failed', err);
  }
}

/** A clean copy of a prompt-fetch description, or `undefined` when it has no usable `id`. */
export function validPromptFetch(value: unknown): PromptFetch | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { id, name, version } = value as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') return undefined;
  const fetch: PromptFetch = { id };
  if (typeof name === 'string') fetch.name = name;
  if ((typeof version === 'number' && Number.isFinite(version)) || typeof version === 'string') fetch.version = version;
  return fetch;
}
