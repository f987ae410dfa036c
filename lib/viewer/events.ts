import type { ServerResponse } from 'node:http';

/**
 * `GET /api/events`: Server-Sent Events telling the UI which traces changed, `event: traces` with
 * `{"traceIds":[...]}` at most every `debounceMs` (a burst of exports is one event), and a `: ping` comment
 * every 15 s so that proxies and the browser keep the stream open.
 */
export const MAX_IDS_PER_EVENT = 1000;

export class TraceEvents {
  private readonly clients = new Set<ServerResponse>();
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly ping: NodeJS.Timeout;

  constructor(private readonly debounceMs = 250) {
    this.ping = setInterval(() => this.broadcast(': ping\n\n'), 15_000);
    this.ping.unref();
  }

  attach(res: ServerResponse, headers: Record<string, string>): void {
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  notify(traceIds: readonly string[]): void {
    if (this.clients.size === 0) return;
    for (const id of traceIds) if (this.pending.size < MAX_IDS_PER_EVENT) this.pending.add(id);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const ids = [...this.pending];
      this.pending = new Set();
      this.broadcast(`event: traces\ndata: ${JSON.stringify({ traceIds: ids })}\n\n`);
    }, this.debounceMs);
  }

  private broadcast(text: string): void {
    for (const res of this.clients) res.write(text);
  }

  close(): void {
    clearInterval(this.ping);
    if (this.timer) clearTimeout(this.timer);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
