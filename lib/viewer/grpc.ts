import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { MalformedRequest } from './model';
import { decodeProtobuf, encodeResponse } from './otlp-decode';
import type { ReceiverOptions } from './receiver';

/**
 * OTLP/gRPC on cleartext HTTP/2 with node:http2 and the same protobuf decoding: no gRPC library needed.
 * One unary method, TraceService/Export; a message is gRPC's length-prefixed frame (1 byte compressed flag,
 * 4 bytes big-endian length), compressed with gzip when `grpc-encoding: gzip` says so. Errors are
 * trailers-only answers with a grpc-status: INVALID_ARGUMENT for a malformed message, RESOURCE_EXHAUSTED
 * over the size limit, UNAVAILABLE under overload (the OTLP exporters retry that one).
 */
export const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

const STATUS = { OK: 0, INVALID_ARGUMENT: 3, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14 } as const;

class GrpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startGrpcReceiver(options: ReceiverOptions, port: number, host: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  let active = 0;
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined); // a client gone mid-answer: nothing to do
    const fail = (code: number, message: string): void => {
      if (stream.headersSent || stream.destroyed) return;
      stream.respond(
        { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(code), 'grpc-message': encodeURIComponent(message) },
        { endStream: true },
      );
    };
    if (headers[':path'] !== EXPORT_PATH) return fail(STATUS.UNIMPLEMENTED, `unknown method ${headers[':path']}`);
    if (!String(headers['content-type'] ?? '').startsWith('application/grpc')) return fail(STATUS.INVALID_ARGUMENT, 'not a gRPC request');
    if (active >= options.maxConcurrent || options.queue.full(1)) return fail(STATUS.UNAVAILABLE, 'the viewer is behind; retry');
    active++;
    const chunks: Buffer[] = [];
    let size = 0;
    const refuse = (code: number, message: string): void => {
      fail(code, message);
      stream.close(http2.constants.NGHTTP2_CANCEL);
    };
    stream.on('data', (chunk: Buffer) => {
      if (stream.headersSent) return;
      size += chunk.length;
      // The same memory budget as the HTTP receiver's, given back when the stream closes.
      if (!options.budget.take(chunk.length)) refuse(STATUS.UNAVAILABLE, 'too much being received at once; retry');
      else if (size > options.maxBodyBytes + 5) refuse(STATUS.RESOURCE_EXHAUSTED, `message over ${options.maxBodyBytes} bytes`);
      else chunks.push(chunk);
    });
    stream.on('close', () => {
      active = Math.max(0, active - 1);
      options.budget.give(size);
      chunks.length = 0;
    });
    stream.on('end', () => {
      if (stream.headersSent) return;
      handle(Buffer.concat(chunks), String(headers['grpc-encoding'] ?? 'identity')).catch((error: Error) => {
        if (error instanceof GrpcError) fail(error.code, error.message);
        else if (error instanceof MalformedRequest) fail(STATUS.INVALID_ARGUMENT, error.message);
        else fail(STATUS.UNAVAILABLE, 'could not store the spans; retry');
      });
    });

    async function handle(body: Buffer, encoding: string): Promise<void> {
      const message = unframe(body, encoding, options.maxBodyBytes);
      const decoded = decodeProtobuf(message);
      if (options.queue.full(decoded.spans.length)) throw new GrpcError(STATUS.UNAVAILABLE, 'the viewer is behind; retry');
      await options.queue.submit(decoded.spans);
      options.forward?.relay(message, 'application/x-protobuf', 'identity'); // only what was stored, as over HTTP
      if (stream.destroyed) return;
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-encoding': 'identity' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(STATUS.OK) }));
      stream.end(frame(encodeResponse('protobuf', decoded.rejected, decoded.errorMessage)));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Clients keep their HTTP/2 sessions open: the server closes only once they are gone.
        for (const session of sessions) session.destroy();
      }),
  };
}

/** The one message of a unary call, inflated when it says it is compressed. */
function unframe(body: Buffer, encoding: string, maxBytes: number): Buffer {
  if (body.length < 5) throw new GrpcError(STATUS.INVALID_ARGUMENT, 'no gRPC message');
  const length = body.readUInt32BE(1);
  if (body.length < 5 + length) throw new GrpcError(STATUS.INVALID_ARGUMENT, 'truncated gRPC message');
  const message = body.subarray(5, 5 + length);
  if (body[0] === 0) return message;
  if (encoding !== 'gzip' && encoding !== 'deflate') throw new GrpcError(STATUS.UNIMPLEMENTED, `unsupported grpc-encoding ${encoding}`);
  try {
    const inflate = encoding === 'gzip' ? zlib.gunzipSync : zlib.inflateSync;
    return inflate(message, { maxOutputLength: maxBytes });
  } catch (error) {
    if (error instanceof RangeError) throw new GrpcError(STATUS.RESOURCE_EXHAUSTED, `message over ${maxBytes} bytes once inflated`);
    throw new GrpcError(STATUS.INVALID_ARGUMENT, `cannot inflate the message: ${(error as Error).message}`);
  }
}

function frame(message: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}
