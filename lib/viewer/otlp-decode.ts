import * as protobuf from 'protobufjs';
import type { DecodedRequest } from './model';
import { MalformedRequest } from './model';
import { EXPORT_REQUEST, EXPORT_RESPONSE, OTLP_TRACE_DESCRIPTOR, RPC_STATUS, RPC_STATUS_DESCRIPTOR } from './otlp-descriptor';
import { spansOfRequest } from './otlp-spans';

/** OTLP request bodies (binary protobuf and OTLP/JSON) in, ExportTraceServiceResponse bodies out. */

const root = protobuf.Root.fromJSON(OTLP_TRACE_DESCRIPTOR as protobuf.INamespace);
const requestType = root.lookupType(EXPORT_REQUEST);
const responseType = root.lookupType(EXPORT_RESPONSE);
const statusType = protobuf.Root.fromJSON(RPC_STATUS_DESCRIPTOR).lookupType(RPC_STATUS);

export type BodyFormat = 'protobuf' | 'json';

/** JSON nested deeper than this is refused before parsing (legitimate OTLP/JSON is about 12 levels deep). */
export const MAX_JSON_DEPTH = 64;

export function decodeProtobuf(body: Buffer): DecodedRequest {
  let request: protobuf.Message;
  try {
    request = requestType.decode(body);
  } catch (error) {
    // A truncated or corrupt body, or one nested deep enough to exhaust the stack (RangeError): all malformed.
    throw new MalformedRequest(`invalid protobuf ExportTraceServiceRequest: ${(error as Error).message}`);
  }
  return spansOfRequest(request);
}

export function decodeJson(body: Buffer): DecodedRequest {
  const text = body.toString('utf8');
  if (jsonDeeperThan(text, MAX_JSON_DEPTH)) throw new MalformedRequest(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch (error) {
    throw new MalformedRequest(`invalid JSON: ${(error as Error).message}`);
  }
  return spansOfRequest(request);
}

/** Whether `text` nests arrays/objects deeper than `max` (strings skipped), read without building anything. */
export function jsonDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}

/** An ExportTraceServiceResponse, with partial_success only where spans were rejected (as the spec asks). */
export function encodeResponse(format: BodyFormat, rejected: number, errorMessage: string): Buffer {
  const partialSuccess = rejected > 0 || errorMessage ? { rejectedSpans: rejected, errorMessage } : undefined;
  if (format === 'json') {
    // OTLP/JSON: int64 as a decimal string.
    const body = partialSuccess ? { partialSuccess: { rejectedSpans: String(rejected), errorMessage } } : {};
    return Buffer.from(JSON.stringify(body));
  }
  const message = responseType.fromObject(partialSuccess ? { partialSuccess } : {});
  return Buffer.from(responseType.encode(message).finish());
}

/** gRPC status codes an OTLP/HTTP error body carries (google.rpc.Status.code). */
export const RPC_CODE = { INVALID_ARGUMENT: 3, RESOURCE_EXHAUSTED: 8, INTERNAL: 13, UNAVAILABLE: 14 } as const;

/** The body of an OTLP/HTTP 4xx/5xx answer: a google.rpc.Status in the request's format. */
export function encodeStatus(format: BodyFormat, code: number, message: string): Buffer {
  if (format === 'json') return Buffer.from(JSON.stringify({ code, message }));
  return Buffer.from(statusType.encode(statusType.fromObject({ code, message })).finish());
}
