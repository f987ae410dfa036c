import { diag, Exception, type Span as ApiSpan, SpanStatusCode } from '@opentelemetry/api';
import type { Span } from '../compat/sdk-types';
import { boundedErrorText } from './secrets';

/**
 * Error text on spans: an error's message goes into the status, its message and stack into an exception
 * event. An API error's message can hold the whole response body (a 5 MB HTML page from a proxy) and an
 * echo of the request's key, so each is capped like any other text and its secrets are redacted.
 */

const EXCEPTION_EVENT = 'exception';
/** The type too: the AWS SDK names an error after the response body's `code`, whatever its length. */
const TEXT_ATTRIBUTES = ['exception.type', 'exception.message', 'exception.stacktrace'] as const;

/**
 * A failed span's exception event (its text capped and redacted) and ERROR status with `message`, for every
 * span we fail (LLM calls, framework runs, trace()). Never throws: whatever the error, the span is ERROR and
 * its owner can end it.
 */
export function recordFailure(span: ApiSpan, error: unknown, message: string | undefined, maxLength: number): void {
  try {
    span.recordException(boundedException(error, maxLength));
  } catch (err) {
    diag.debug('@infinium/otel: could not record exception', err);
  }
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

/** The error's message (an `Error`'s, or the string thrown), capped and redacted; never throws. */
export function errorMessageText(error: unknown, maxLength: number): string | undefined {
  try {
    const message = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
    return typeof message === 'string' ? boundedErrorText(message, maxLength) : undefined;
  } catch (err) {
    diag.debug('@infinium/otel: could not read the error message', err);
    return undefined;
  }
}

/**
 * What `span.recordException` is given in place of the error itself: the same type (name), code, message and
 * stack, each capped and redacted. The SDK would otherwise copy all of them at full length.
 */
export function boundedException(error: unknown, maxLength: number): Exception {
  try {
    if (!(error instanceof Error)) return boundedErrorText(String(error), maxLength);
    const exception: { name: string; message: string; code?: string | number; stack?: string } = {
      name: typeof error.name === 'string' ? boundedErrorText(error.name, maxLength) : 'Error',
      message: boundedErrorText(String(error.message), maxLength),
    };
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') exception.code = typeof code === 'string' ? boundedErrorText(code, maxLength) : code;
    if (typeof error.stack === 'string') exception.stack = boundedErrorText(error.stack, maxLength);
    return exception;
  } catch (err) {
    // A hostile error (a throwing getter, a throwing toString): its type is all that is safe to say.
    diag.debug('@infinium/otel: could not read the error', err);
    return { name: 'Error', message: 'the error could not be read' };
  }
}

/**
 * Any library's span as it ends (the processor): its status message and its exception events' message and
 * stack capped and redacted. Most spans have neither, and cost one check each.
 */
export function boundSpanErrorText(span: Span, maxLength: number): void {
  const status = span.status;
  if (status.code === SpanStatusCode.ERROR && typeof status.message === 'string') {
    const message = boundedErrorText(status.message, maxLength);
    // The span is still ending (onEnding), so the SDK takes a new ERROR status.
    if (message !== status.message) span.setStatus({ code: SpanStatusCode.ERROR, message });
  }
  for (const event of span.events) {
    if (event.name !== EXCEPTION_EVENT || !event.attributes) continue;
    for (const key of TEXT_ATTRIBUTES) {
      const value = event.attributes[key];
      if (typeof value === 'string') event.attributes[key] = boundedErrorText(value, maxLength);
    }
  }
}
