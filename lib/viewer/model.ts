/** The viewer's shapes: a received span (what the decoders produce and the store keeps) and the API's values. */

/** An attribute value as the API serves it (int64 beyond 2^53 as a string, bytes as base64). */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };
export type Attrs = Record<string, AttrValue>;

export interface SpanEvent {
  name: string;
  timeMs: number;
  attributes: Attrs;
}

/** OTLP's SpanKind numbers (UNSPECIFIED is read as INTERNAL, as the spec allows). */
export const SPAN_KINDS = ['INTERNAL', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
/** OTLP's StatusCode numbers. */
export const STATUS_CODES = ['UNSET', 'OK', 'ERROR'] as const;
export type StatusName = (typeof STATUS_CODES)[number];

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** 1..5 (SPAN_KINDS). */
  spanKind: number;
  startMs: number;
  endMs: number;
  /** 0..2 (STATUS_CODES). */
  statusCode: number;
  statusMessage: string | null;
  attributes: Attrs;
  events: SpanEvent[];
  /** The resource's attributes, serialized once per ResourceSpans and shared by its spans. */
  resourceJson: string;
  service: string;
  scopeName: string;
  scopeVersion: string | null;
}

/** What a decoder made of one export request: the valid spans and the ones it refused, with why. */
export interface DecodedRequest {
  spans: ReceivedSpan[];
  rejected: number;
  errorMessage: string;
}

/** A request body that is not an ExportTraceServiceRequest at all (answered 400). */
export class MalformedRequest extends Error {}
