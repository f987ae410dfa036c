import http2 from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { frameSink, Pacing, writePaced } from '../../helpers/paced-stream';

/**
 * A local Bedrock Runtime over cleartext HTTP/2, the protocol of the client's default request handler
 * (NodeHttp2Handler): JSON answers, AWS errors (`x-amzn-errortype`), and ConverseStream /
 * InvokeModelWithResponseStream bodies in the AWS binary event stream, encoded with the SDK's own codec.
 */
export interface StreamEvent {
  /** The union member: `messageStart`, `contentBlockDelta`, `chunk`, … or, with `exception`, its type. */
  type: string;
  body: unknown;
  exception?: boolean;
}

export type BedrockReply =
  | { status?: number; json: unknown; errorType?: string }
  /** `dropAfter`: after that many events, cut the TCP connection (`'reset'`) or reset the HTTP/2 stream (`'stream'`, the default). */
  | ({ events: StreamEvent[]; drop?: 'stream' | 'reset' } & Pacing)
  | { hangUp: true };

export interface BedrockRequest {
  path: string;
  headers: http2.IncomingHttpHeaders;
  body: any;
}

const codec = new EventStreamCodec(
  (bytes) => new TextDecoder().decode(bytes),
  (text) => new TextEncoder().encode(text),
);

/** One event-stream frame. */
export function encodeEvent(event: StreamEvent): Uint8Array {
  const kind = event.exception ? { ':message-type': 'exception', ':exception-type': event.type } : { ':message-type': 'event', ':event-type': event.type };
  const headers: Record<string, { type: 'string'; value: string }> = {};
  for (const [name, value] of Object.entries({ ...kind, ':content-type': 'application/json' })) headers[name] = { type: 'string', value };
  return codec.encode({ headers, body: new TextEncoder().encode(JSON.stringify(event.body)) });
}

/** An InvokeModelWithResponseStream chunk: the model's own JSON event, base64 in `bytes`. */
export function chunk(payload: unknown): StreamEvent {
  return { type: 'chunk', body: { bytes: Buffer.from(JSON.stringify(payload)).toString('base64') } };
}

export class FakeBedrock {
  readonly requests: BedrockRequest[] = [];
  private reply: (request: BedrockRequest) => BedrockReply = () => ({ status: 404, json: { message: 'no reply' }, errorType: 'ResourceNotFoundException' });
  private readonly sockets = new Set<Socket>();
  private readonly server = http2.createServer();

  constructor() {
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('stream', (stream, headers) => void this.serve(stream, headers));
  }

  answer(reply: BedrockReply | ((request: BedrockRequest) => BedrockReply)): void {
    this.reply = typeof reply === 'function' ? reply : () => reply;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.cutConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A dropped connection: the TCP sockets cut, no HTTP/2 GOAWAY or RST_STREAM (the client sees ECONNRESET). */
  private cutConnections(): void {
    for (const socket of this.sockets) socket.resetAndDestroy();
  }

  private async serve(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const piece of stream) chunks.push(piece as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    const request: BedrockRequest = { path: decodeURIComponent(String(headers[':path'])), headers, body };
    this.requests.push(request);
    const reply = this.reply(request);
    if ('hangUp' in reply) return this.cutConnections();
    if ('json' in reply) {
      const extra = reply.errorType ? { 'x-amzn-errortype': reply.errorType } : {};
      stream.respond({ ':status': reply.status ?? 200, 'content-type': 'application/json', ...extra });
      stream.end(JSON.stringify(reply.json));
      return;
    }
    stream.respond({ ':status': 200, 'content-type': 'application/vnd.amazon.eventstream' });
    stream.on('error', () => {});
    const end = await writePaced(reply.events.map(encodeEvent), frameSink(stream), reply);
    if (end === 'drop' && reply.drop === 'reset') this.cutConnections();
    else if (end === 'drop') stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    else if (end === 'complete') stream.end();
  }
}
