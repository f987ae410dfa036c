import type { Attributes } from '@opentelemetry/api';
import type { Span } from '../compat/sdk-types';

/** Sets each attribute the span does not have yet: what the processor adds never overwrites the app's or a library's. */
export function setMissing(span: Span, attributes: Attributes): void {
  const a = span.attributes;
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value !== undefined && a[key] === undefined) span.setAttribute(key, value);
  }
}
