import http from 'node:http';
import { LocalHttpServer } from './local-http-server';
import { frameSink, Pacing, writePaced } from './paced-stream';

/**
 * A local HTTP server that answers like the LLM providers do: JSON bodies, SSE streams, HTTP errors and
 * dropped connections. The real SDKs are pointed at it (baseURL / fetch / httpOptions), so every test
 * goes through the SDK's own HTTP stack. Nothing here touches the internet.
 */
export interface SseEvent {
  event?: string;
  /** An object is JSON-encoded; a string is sent as it is (e.g. `[DONE]`). */
  data: unknown;
}

export type FakeResponse =
  | { status?: number; json: unknown; headers?: Record<string, string> }
  | ({ status?: number; sse: SseEvent[]; lineEnding?: '\n' | '\r\n' } & Pacing)
  | { status?: number; raw: string; contentType?: string }
  /** Accept the request, then cut the socket without answering. */
  | { hangUp: true };

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

export type Handler = (request: ReceivedRequest) => FakeResponse | Promise<FakeResponse>;

export class FakeLlmServer extends LocalHttpServer {
  readonly requests: ReceivedRequest[] = [];
  private handler: Handler = () => ({ status: 404, json: { error: { message: 'no handler' } } });

  /** Every request is answered by `handler` until the next call. */
  handle(handler: Handler): void {
    this.handler = handler;
  }

  /** Answers every request with the same response. */
  reply(response: FakeResponse): void {
    this.handle(() => response);
  }

  /**
   * A `fetch` for SDK clients whose baseURL names the real host (api.openai.com, api.x.ai, …): the URL's
   * origin is swapped for this server's, so provider detection sees the real host and no request leaves.
   */
  fetch: typeof fetch = (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const local = new URL(url.pathname + url.search, this.origin);
    return fetch(local, init);
  };

  protected async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // keep the raw text
    }
    const received: ReceivedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
    this.requests.push(received);
    const response = await this.handler(received);
    if ('hangUp' in response) {
      req.socket.destroy();
      return;
    }
    if ('json' in response) {
      res.writeHead(response.status ?? 200, { 'content-type': 'application/json', ...response.headers });
      res.end(JSON.stringify(response.json));
      return;
    }
    if ('raw' in response) {
      res.writeHead(response.status ?? 200, { 'content-type': response.contentType ?? 'application/json' });
      res.end(response.raw);
      return;
    }
    res.writeHead(response.status ?? 200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const eol = response.lineEnding ?? '\n';
    const frames = response.sse.map((event) => {
      const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
      return `${event.event ? `event: ${event.event}${eol}` : ''}data: ${data}${eol}${eol}`;
    });
    const end = await writePaced(frames, frameSink(res), response);
    // A drop cuts the connection mid-stream, after what was written has gone out.
    if (end === 'drop') req.socket.destroy();
    else if (end === 'complete') res.end();
  }
}

export async function startFakeLlmServer(): Promise<FakeLlmServer> {
  return new FakeLlmServer().start();
}
