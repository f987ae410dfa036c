import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The team's collector that `--forward` relays to, on 127.0.0.1: records every request it gets (headers,
 * body, path) and answers as `mode` says: `status` (200 unless set), `reset` (drops the connection, as a
 * collector going down does), or `hang` (never answers, as a stuck one).
 */
export interface Received {
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  url: string;
}

export interface FakeCollector {
  url: string;
  port: number;
  received: Received[];
  /** Requests seen, answered or not (a reset or hung one too). */
  attempts: number;
  mode: 'status' | 'reset' | 'hang';
  status: number;
  close(): Promise<void>;
}

export async function startFakeCollector(): Promise<FakeCollector> {
  const server = http.createServer((req, res) => {
    collector.attempts++;
    if (collector.mode === 'reset') return void req.socket.destroy();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      collector.received.push({ headers: req.headers, body: Buffer.concat(chunks), url: req.url ?? '' });
      if (collector.mode === 'status') res.writeHead(collector.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const collector: FakeCollector = {
    url: `http://127.0.0.1:${port}`,
    port,
    received: [],
    attempts: 0,
    mode: 'status',
    status: 200,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return collector;
}
