import type { DecodedRequest, ReceivedSpan, SpanEvent } from './model';
import { MalformedRequest } from './model';
import { MAX_ARRAY, keyValues, nanosToMs, readEnum, readId, readString } from './otlp-values';

/**
 * An ExportTraceServiceRequest (decoded protobuf or parsed OTLP/JSON) into received spans. A span without
 * a valid trace or span id is rejected (counted for the response's partial_success), the rest are kept.
 */
type Message = Record<string, unknown>;

const SPAN_KIND_NAMES = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const STATUS_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

function list(value: unknown): Message[] {
  return Array.isArray(value) ? (value as Message[]) : [];
}

function message(value: unknown): Message {
  return typeof value === 'object' && value !== null ? (value as Message) : {};
}

export function spansOfRequest(request: unknown): DecodedRequest {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new MalformedRequest('the body is not an ExportTraceServiceRequest');
  }
  const out: DecodedRequest = { spans: [], rejected: 0, errorMessage: '' };
  for (const resourceSpans of list((request as Message).resourceSpans)) {
    const resource = keyValues(message(message(resourceSpans).resource).attributes);
    const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : 'unknown_service';
    const resourceJson = JSON.stringify(resource);
    for (const scopeSpans of list(message(resourceSpans).scopeSpans)) {
      const scope = message(message(scopeSpans).scope);
      const scopeName = readString(scope.name);
      const scopeVersion = readString(scope.version) || null;
      for (const span of list(message(scopeSpans).spans)) {
        const received = readSpan(message(span), resourceJson, service, scopeName, scopeVersion);
        if (received) out.spans.push(received);
        else out.rejected++;
      }
    }
  }
  if (out.rejected > 0) out.errorMessage = `${out.rejected} span(s) rejected: a trace_id must be 16 bytes and a span_id 8 bytes, not all zeros`;
  return out;
}

function readSpan(span: Message, resourceJson: string, service: string, scopeName: string, scopeVersion: string | null): ReceivedSpan | null {
  const traceId = readId(span.traceId, 16);
  const spanId = readId(span.spanId, 8);
  if (!traceId || !spanId) return null;
  const status = message(span.status);
  const kind = readEnum(span.kind, SPAN_KIND_NAMES);
  const statusCode = readEnum(status.code, STATUS_NAMES);
  const startMs = nanosToMs(span.startTimeUnixNano);
  const endMs = nanosToMs(span.endTimeUnixNano);
  return {
    traceId,
    spanId,
    parentSpanId: readId(span.parentSpanId, 8),
    name: readString(span.name),
    spanKind: kind >= 1 && kind <= 5 ? kind : 1,
    startMs,
    endMs: endMs >= startMs ? endMs : startMs,
    statusCode: statusCode >= 0 && statusCode <= 2 ? statusCode : 0,
    statusMessage: readString(status.message) || null,
    attributes: keyValues(span.attributes),
    events: readEvents(span.events),
    resourceJson,
    service,
    scopeName,
    scopeVersion,
  };
}

function readEvents(value: unknown): SpanEvent[] {
  return list(value)
    .slice(0, MAX_ARRAY)
    .map((event) => ({ name: readString(event?.name), timeMs: nanosToMs(event?.timeUnixNano), attributes: keyValues(event?.attributes) }));
}
