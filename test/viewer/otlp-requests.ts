import http from 'node:http';
import type http2 from 'node:http2';
import * as protobuf from 'protobufjs';
import { EXPORT_REQUEST, EXPORT_RESPONSE, OTLP_TRACE_DESCRIPTOR, RPC_STATUS, RPC_STATUS_DESCRIPTOR } from '../../lib/viewer/otlp-descriptor';

/** Hand-made OTLP requests (for what the real exporters never send: bad ids, huge or deep values) and a raw POST. */
const root = protobuf.Root.fromJSON(OTLP_TRACE_DESCRIPTOR as protobuf.INamespace);
const requestType = root.lookupType(EXPORT_REQUEST);
export const responseType = root.lookupType(EXPORT_RESPONSE);
export const statusType = protobuf.Root.fromJSON(RPC_STATUS_DESCRIPTOR).lookupType(RPC_STATUS);

let counter = 0;
/** A fresh 32-hex trace id; `tag` (hex) makes it recognisable. */
export function traceId(tag = 'a'): string {
  counter++;
  return `${tag}${Date.now().toString(16)}${counter.toString(16).padStart(8, '0')}`.padEnd(32, '0').slice(0, 32);
}

export interface JsonSpanInput {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startMs: number;
  durationMs?: number;
  attributes?: Array<{ key: string; value: unknown }>;
  status?: { code: number; message?: string };
  kind?: number;
}

/** An OTLP/JSON ExportTraceServiceRequest (hex ids, nanoseconds as strings). */
export function jsonRequest(service: string, spans: JsonSpanInput[]): Record<string, unknown> {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            scope: { name: 'hand-made', version: '0.0.1' },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId ?? '',
              name: s.name,
              kind: s.kind ?? 1,
              startTimeUnixNano: String(BigInt(Math.round(s.startMs * 1e3)) * 1000n),
              endTimeUnixNano: String(BigInt(Math.round((s.startMs + (s.durationMs ?? 1)) * 1e3)) * 1000n),
              attributes: s.attributes ?? [],
              status: s.status ?? {},
            })),
          },
        ],
      },
    ],
  };
}

/** The same request as binary protobuf (hex ids to bytes). */
export function protobufRequest(json: Record<string, unknown>): Buffer {
  const copy = JSON.parse(JSON.stringify(json), (key, value) =>
    (key === 'traceId' || key === 'spanId' || key === 'parentSpanId') && typeof value === 'string' ? Buffer.from(value, 'hex') : value,
  );
  return Buffer.from(requestType.encode(requestType.fromObject(copy)).finish());
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** POST `body` with `headers`; a reply even when the server answers before reading the whole body. */
export function post(url: string, body: Buffer | string, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(url, { method: 'POST', headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    // The server may answer (413) and close while the body is still going out: the answer is what counts.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    req.on('close', () => {
      if (!answered) reject(new Error('the connection closed with no answer'));
    });
    req.end(body);
  });
}

export async function getJson<T = any>(url: string): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

/** Polls `probe` until it returns a value (not undefined), at most `ms`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function varint(n: number): Buffer {
  const bytes: number[] = [];
  while (n > 0x7f) {
    bytes.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  bytes.push(n);
  return Buffer.from(bytes);
}

/** An export whose one attribute is AnyValue{array_value{values[AnyValue...]}} `levels` deep, built as bytes. */
export function deepRequest(traceIdHex: string, levels: number): Buffer {
  const field = (no: number, bytes: Buffer): Buffer => Buffer.concat([varint((no << 3) | 2), varint(bytes.length), bytes]);
  let value = field(1, Buffer.from('bottom'));
  for (let i = 0; i < levels; i++) value = field(5, field(1, value));
  const span = Buffer.concat([
    field(1, Buffer.from(traceIdHex, 'hex')),
    field(2, Buffer.from('00000000000000e1', 'hex')),
    field(5, Buffer.from('deep')),
    field(9, Buffer.concat([field(1, Buffer.from('deep')), field(2, value)])),
  ]);
  return field(1, field(2, field(2, span)));
}

/** One unary gRPC call of `message` (framed, uncompressed) on `session`: its grpc-status. */
export function grpcCall(session: http2.ClientHttp2Session, path: string, message: Buffer): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
    let status: string | undefined;
    stream.on('response', (headers) => (status = headers['grpc-status'] as string | undefined));
    stream.on('trailers', (trailers) => (status = trailers['grpc-status'] as string | undefined));
    stream.on('error', reject);
    stream.on('close', () => resolve(status));
    stream.resume();
    const frame = Buffer.alloc(5);
    frame.writeUInt32BE(message.length, 1);
    stream.end(Buffer.concat([frame, message]));
  });
}
