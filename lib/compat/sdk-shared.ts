/**
 * The few run-time pieces of `@opentelemetry/core` that we use, written out here instead of imported.
 *
 * `@opentelemetry/core` is not ours to depend on: each line has its own major (2.x needs api < 1.10, 3.x
 * needs api 1.10), a peer on it dragged the app's hoisted copy into npm's peer check (ERESOLVE in a
 * mixed app), and an import of it only worked where a package manager happened to hoist it. What we use
 * is a public contract that both lines share, so it is spelled out once here.
 */
import type { Context, HrTime } from '@opentelemetry/api';
import { createContextKey } from '@opentelemetry/api';

/**
 * The key `suppressTracing()` sets, in every copy and major of `@opentelemetry/core`. `createContextKey`
 * makes a `Symbol.for` of the description, so this is the very same key whichever copy set it.
 */
const SUPPRESS_TRACING_KEY = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/** Whether the SDK (an exporter, or an app calling `suppressTracing`) asked that nothing be traced here. */
export function isTracingSuppressed(context: Context): boolean {
  return context.getValue(SUPPRESS_TRACING_KEY) === true;
}

export function hrTimeToNanoseconds(time: HrTime): number {
  return time[0] * 1e9 + time[1];
}

export function hrTimeToMicroseconds(time: HrTime): number {
  return time[0] * 1e6 + time[1] / 1e3;
}

export function hrTimeToMilliseconds(time: HrTime): number {
  return time[0] * 1e3 + time[1] / 1e6;
}

/** `ExportResultCode.SUCCESS` of both lines. */
export const EXPORT_SUCCESS = 0;
