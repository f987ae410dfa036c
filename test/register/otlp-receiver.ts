import http from 'node:http';
import { LocalHttpServer } from '../helpers/local-http-server';

/**
 * A local OTLP/HTTP trace receiver for the register tests: it decodes what the real exporters send
 * (protobuf or JSON) into one plain shape, so the assertions do not depend on the wire format.
 * The protobuf decoder is written here against the OTLP trace schema (otlp-transformer only encodes
 * requests), reading just the fields the tests look at.
 */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
  status: { code: number; message?: string };
  resource: Record<string, unknown>;
  scope: string;
}

export interface ReceivedRequest {
  contentType: string;
  headers: http.IncomingHttpHeaders;
  spans: ReceivedSpan[];
}

export class OtlpReceiver extends LocalHttpServer {
  readonly requests: ReceivedRequest[] = [];
  /** When false, requests are read and recorded but never answered (a collector that hangs). */
  answer = true;
  private waiters: Array<() => void> = [];

  get spans(): ReceivedSpan[] {
    return this.requests.flatMap((r) => r.spans);
  }

  /** Resolves once at least `count` spans arrived; rejects after `timeoutMs`. */
  async waitForSpans(count: number, timeoutMs = 30_000): Promise<ReceivedSpan[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.spans.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} spans, got ${this.spans.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.spans;
  }

  protected async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const contentType = String(req.headers['content-type'] ?? '');
    // An app's own NodeSDK also exports metrics (the GenAI client metrics) to the same endpoint: not spans.
    if (req.url?.startsWith('/v1/metrics') || req.url?.startsWith('/v1/logs')) {
      res.writeHead(200, { 'content-type': contentType.includes('json') ? 'application/json' : 'application/x-protobuf' });
      res.end(contentType.includes('json') ? '{}' : undefined);
      return;
    }
    const spans = contentType.includes('json') ? decodeJsonRequest(JSON.parse(body.toString('utf8'))) : decodeProtobufRequest(body);
    this.requests.push({ contentType, headers: req.headers, spans });
    for (const wake of this.waiters.splice(0)) wake();
    if (!this.answer) return;
    if (contentType.includes('json')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    } else {
      res.writeHead(200, { 'content-type': 'application/x-protobuf' });
      res.end();
    }
  }
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  return new OtlpReceiver().start();
}

// ---- JSON (OTLP/HTTP JSON encoding: hex ids, camelCase fields) ----

type Json = any;

function decodeJsonRequest(body: Json): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const rs of body.resourceSpans ?? []) {
    const resource = jsonAttributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        spans.push({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId || undefined,
          name: s.name,
          kind: s.kind,
          attributes: jsonAttributes(s.attributes),
          events: (s.events ?? []).map((e: Json) => ({ name: e.name, attributes: jsonAttributes(e.attributes) })),
          status: { code: s.status?.code ?? 0, message: s.status?.message || undefined },
          resource,
          scope: ss.scope?.name ?? '',
        });
      }
    }
  }
  return spans;
}

function jsonAttributes(list: Json[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) out[kv.key] = jsonValue(kv.value);
  return out;
}

function jsonValue(v: Json): unknown {
  if (v == null) return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('arrayValue' in v) return (v.arrayValue.values ?? []).map(jsonValue);
  return undefined;
}

// ---- protobuf (opentelemetry/proto/collector/trace/v1) ----

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  }
  tag(): { field: number; wire: number } {
    const tag = Number(this.varint());
    return { field: tag >>> 3, wire: tag & 7 };
  }
  bytes(): Buffer {
    const length = Number(this.varint());
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
  fixed64(): Buffer {
    const out = this.buf.subarray(this.pos, this.pos + 8);
    this.pos += 8;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

/** Calls `onField` for each field of the message in `buf`; fields it does not read are skipped. */
function fields(buf: Buffer, onField: (field: number, wire: number, r: Reader) => boolean | void): void {
  const r = new Reader(buf);
  while (!r.done) {
    const { field, wire } = r.tag();
    const start = r.pos;
    const consumed = onField(field, wire, r);
    if (!consumed && r.pos === start) r.skip(wire);
  }
}

export function decodeProtobufRequest(buf: Buffer): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  fields(buf, (field, _wire, r) => {
    if (field !== 1) return;
    const resource: Record<string, unknown> = {};
    const scopeSpans: Buffer[] = [];
    fields(r.bytes(), (f, _w, rr) => {
      if (f === 1) fields(rr.bytes(), (ff, _ww, rrr) => {
        if (ff === 1) Object.assign(resource, protoKeyValue(rrr.bytes()));
      });
      else if (f === 2) scopeSpans.push(rr.bytes());
    });
    for (const ss of scopeSpans) {
      let scope = '';
      fields(ss, (f, _w, rr) => {
        if (f === 1) fields(rr.bytes(), (ff, _ww, rrr) => {
          if (ff === 1) scope = rrr.bytes().toString('utf8');
        });
        else if (f === 2) spans.push(protoSpan(rr.bytes(), resource, () => scope));
      });
    }
  });
  return spans;
}

function protoSpan(buf: Buffer, resource: Record<string, unknown>, scope: () => string): ReceivedSpan {
  const span: ReceivedSpan = {
    traceId: '', spanId: '', name: '', kind: 0, attributes: {}, events: [], status: { code: 0 }, resource, scope: '',
  };
  fields(buf, (field, _wire, r) => {
    switch (field) {
      case 1: span.traceId = r.bytes().toString('hex'); break;
      case 2: span.spanId = r.bytes().toString('hex'); break;
      case 4: {
        const parent = r.bytes().toString('hex');
        if (parent) span.parentSpanId = parent;
        break;
      }
      case 5: span.name = r.bytes().toString('utf8'); break;
      case 6: span.kind = Number(r.varint()); break;
      case 9: Object.assign(span.attributes, protoKeyValue(r.bytes())); break;
      case 11: {
        const event = { name: '', attributes: {} as Record<string, unknown> };
        fields(r.bytes(), (f, _w, rr) => {
          if (f === 2) event.name = rr.bytes().toString('utf8');
          else if (f === 3) Object.assign(event.attributes, protoKeyValue(rr.bytes()));
        });
        span.events.push(event);
        break;
      }
      case 15:
        fields(r.bytes(), (f, _w, rr) => {
          if (f === 2) span.status.message = rr.bytes().toString('utf8');
          else if (f === 3) span.status.code = Number(rr.varint());
        });
        break;
      default: return;
    }
  });
  span.scope = scope();
  return span;
}

function protoKeyValue(buf: Buffer): Record<string, unknown> {
  let key = '';
  let value: unknown;
  fields(buf, (field, _wire, r) => {
    if (field === 1) key = r.bytes().toString('utf8');
    else if (field === 2) value = protoAnyValue(r.bytes());
  });
  return { [key]: value };
}

function protoAnyValue(buf: Buffer): unknown {
  let value: unknown;
  const list: unknown[] = [];
  let isList = false;
  fields(buf, (field, _wire, r) => {
    switch (field) {
      case 1: value = r.bytes().toString('utf8'); break;
      case 2: value = r.varint() !== 0n; break;
      case 3: value = Number(BigInt.asIntN(64, r.varint())); break;
      case 4: value = r.fixed64().readDoubleLE(0); break;
      case 5:
        isList = true;
        fields(r.bytes(), (f, _w, rr) => {
          if (f === 1) list.push(protoAnyValue(rr.bytes()));
        });
        break;
      default: return;
    }
  });
  return isList ? list : value;
}
