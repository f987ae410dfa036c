import http from 'node:http';
import { BadBody, BodyTooLarge, ByteBudget, OverBudget, contentEncoding, readBody } from './body';
import type { Forwarder } from './forward';
import type { IngestQueue } from './ingest';
import type { DecodedRequest } from './model';
import { MalformedRequest } from './model';
import type { BodyFormat } from './otlp-decode';
import { RPC_CODE, decodeJson, decodeProtobuf, encodeResponse, encodeStatus } from './otlp-decode';

/**
 * The OTLP/HTTP receiver: `POST /v1/traces`, binary protobuf or JSON, gzip/deflate, answered as the OTLP
 * specification says: 200 with an ExportTraceServiceResponse (partial_success when spans were rejected),
 * 400 malformed, 413 over the size limit after inflation, 415 unknown content type or encoding, 429 when the
 * ingest queue is full and 503 when too many requests are being read at once (both with Retry-After, which
 * the OTLP exporters honour). Error bodies are google.rpc.Status in the request's format.
 */
export interface ReceiverOptions {
  queue: IngestQueue;
  forward: Forwarder | null;
  /** 20 MiB: the Collector's default. */
  maxBodyBytes: number;
  /** Requests read and decoded at the same time, at most. */
  maxConcurrent: number;
  /** Bytes all bodies being read may hold together (the request limit times a few). */
  budget: ByteBudget;
  log: (line: string) => void;
  /** `GET /`: who answers here, so that a tool (the demo) finds the UI from the receiver's address. */
  about?: () => Record<string, string>;
}

export const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;

const MEDIA_TYPES: Readonly<Record<string, BodyFormat>> = {
  'application/x-protobuf': 'protobuf',
  'application/protobuf': 'protobuf',
  'application/json': 'json',
};

export function formatOf(contentType: string | undefined): BodyFormat | null {
  const media = String(contentType ?? '').split(';')[0].trim().toLowerCase();
  return MEDIA_TYPES[media] ?? null;
}

export function createReceiver(options: ReceiverOptions): http.Server {
  let active = 0;
  const server = http.createServer((req, res) => {
    const format = formatOf(req.headers['content-type']);
    const reply = (status: number, body: Buffer, headers: Record<string, string> = {}): void => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(status, { 'content-type': format === 'json' ? 'application/json' : 'application/x-protobuf', ...headers });
      res.end(body);
    };
    const fail = (status: number, code: number, message: string, headers: Record<string, string> = {}): void => {
      reply(status, encodeStatus(format ?? 'protobuf', code, message), headers);
    };
    const path = (req.url ?? '').split('?')[0];
    if (path === '/' && req.method === 'GET' && options.about) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(options.about()));
    }
    if (path !== '/v1/traces') return fail(404, 5, `no such endpoint: ${path}; traces go to POST /v1/traces`);
    if (req.method !== 'POST') return fail(405, 12, 'use POST', { allow: 'POST' });
    if (!format) return fail(415, RPC_CODE.INVALID_ARGUMENT, 'use application/x-protobuf or application/json');
    const encoding = contentEncoding(req);
    if (!encoding) return fail(415, RPC_CODE.INVALID_ARGUMENT, 'use Content-Encoding gzip, deflate or none');
    // No `Connection: close` on early answers: Node reads and discards the rest of the body, so the sender
    // gets to read the answer (a sender cut off mid-body sees a reset, not the 413 or the Retry-After).
    const retry = { 'retry-after': '1' };
    if (active >= options.maxConcurrent) return fail(503, RPC_CODE.UNAVAILABLE, 'too many requests at once; retry', retry);
    if (options.queue.full(1)) return fail(429, RPC_CODE.RESOURCE_EXHAUSTED, 'the viewer is behind; retry', retry);
    active++;
    void handle()
      .catch((error: Error) => {
        if (error instanceof OverBudget) fail(503, RPC_CODE.UNAVAILABLE, error.message, retry);
        else if (error instanceof BodyTooLarge) fail(413, RPC_CODE.RESOURCE_EXHAUSTED, `body over ${options.maxBodyBytes} bytes`);
        else if (error instanceof BadBody || error instanceof MalformedRequest) fail(400, RPC_CODE.INVALID_ARGUMENT, error.message);
        else {
          options.log(`viewer: could not store spans: ${error.message}`);
          fail(503, RPC_CODE.UNAVAILABLE, 'could not store the spans; retry', retry);
        }
      })
      .finally(() => active--);

    async function handle(): Promise<void> {
      const body = await readBody(req, encoding!, options.maxBodyBytes, options.forward !== null, options.budget);
      let decoded: DecodedRequest;
      try {
        decoded = format === 'json' ? decodeJson(body.data) : decodeProtobuf(body.data);
      } finally {
        options.budget.give(body.held);
      }
      if (options.queue.full(decoded.spans.length)) {
        return fail(429, RPC_CODE.RESOURCE_EXHAUSTED, 'the viewer is behind; retry', retry);
      }
      await options.queue.submit(decoded.spans);
      // Only what was stored: a refused export is retried by its exporter, and would reach the collector twice.
      options.forward?.relay(body.raw!, String(req.headers['content-type']), encoding!);
      reply(200, encodeResponse(format!, decoded.rejected, decoded.errorMessage));
    }
  });
  // A slow or stuck sender holds a slot only so long.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  return server;
}
