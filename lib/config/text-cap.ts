import type { AttributeValue } from '@opentelemetry/api';

/**
 * The one text cap. Every string we write on a span (and every string the processor passes through the
 * masking) is at most `maxLength` UTF-16 code units, truncation visible: the kept head is followed by a
 * marker that gives the original length, so `…[truncated: 5000000 chars]` tells the reader what is missing.
 */
export const DEFAULT_MAX_ATTRIBUTE_LENGTH = 32_000;

/**
 * A span's text in all, as a multiple of the per-value cap (default 8 × 32,000 = 256,000 characters, at most
 * ~770 KB of UTF-8): with the attribute count limit, this keeps one LLM span's OTLP size under 1 MB whatever
 * the answer or the conversation. The renderer charges every value against it; a stream reader keeps no more
 * text for one call, since no more could be written.
 */
export const SPAN_TEXT_BUDGET_FACTOR = 8;

export function truncationMarker(originalLength: number): string {
  return `…[truncated: ${originalLength} chars]`;
}

/**
 * `text` cut to `maxLength` with the marker inside the limit. `originalLength` is the length the text had
 * before a stream reader stopped buffering it (default: `text.length`). Text within the limit comes back
 * as it is.
 */
export function truncateText(text: string, maxLength: number, originalLength = text.length): string {
  if (originalLength <= maxLength && text.length <= maxLength) return text;
  const marker = truncationMarker(originalLength);
  // A limit too small for the marker (an OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT of 10) just cuts.
  if (maxLength <= marker.length) return detached(text.slice(0, maxLength));
  let keep = maxLength - marker.length;
  // Never split a surrogate pair: a lone high surrogate would be replaced on export.
  if (isHighSurrogate(text.charCodeAt(keep - 1))) keep--;
  return detached(text.slice(0, keep)) + marker;
}

/** Caps a string, or each string of a string array; other values pass through (same object when untouched). */
export function capAttributeValue(value: AttributeValue, maxLength: number): AttributeValue {
  if (typeof value === 'string') return value.length > maxLength ? truncateText(value, maxLength) : value;
  if (!Array.isArray(value)) return value;
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    if (typeof item === 'string' && item.length > maxLength) (out ??= value.slice())[i] = truncateText(item, maxLength);
  }
  return (out ?? value) as AttributeValue;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * A copy that does not point into `text`'s original: V8 keeps a slice as a view on its parent, so the
 * 32 KB head of a 5 MB answer would otherwise hold all 5 MB until the span is exported.
 */
export function detached(text: string): string {
  if (typeof Buffer === 'undefined') return text;
  return Buffer.from(text, 'utf16le').toString('utf16le');
}
