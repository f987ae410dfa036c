import { isCredentialKey } from '../masking/content-keys';
import { maskAttribute, maskAttributes, REDACTED } from '../masking/mask';
import type { TraceConfig } from '../masking/trace-config';
import type { Span } from '../compat/sdk-types';

/** The one masking function on every attribute of an ending span, ours or another library's. */
export function maskSpan(span: Span, config: TraceConfig): void {
  const a = span.attributes;
  for (const key of Object.keys(a)) {
    const value = a[key];
    if (value === undefined) continue;
    const masked = maskAttribute(config, key, value);
    if (masked === undefined) dropAttribute(span, key);
    else if (masked !== value) a[key] = masked;
  }
  // Older GenAI emitters put content in span events (gen_ai.content.prompt / .completion).
  if (!config.showsEverything) for (const event of span.events) if (event.attributes) maskAttributes(config, event.attributes);
}

/** With nothing hidden, what the masking still does to every span: no credential leaves. */
export function redactCredentials(span: Span): void {
  const a = span.attributes;
  for (const key of Object.keys(a)) if (a[key] !== undefined && isCredentialKey(key)) a[key] = REDACTED;
}

/**
 * Removes an attribute the masking says must not leave. The SDK has no API for it, so the attributes
 * object is edited, and its private count kept in step so the attribute limit stays right.
 */
function dropAttribute(span: Span, key: string): void {
  delete span.attributes[key];
  const internal = span as unknown as { _attributesCount?: unknown };
  if (typeof internal._attributesCount === 'number' && internal._attributesCount > 0) internal._attributesCount--;
}
