import http from 'node:http';
import https from 'node:https';

/**
 * `--forward URL`: every request body the receiver accepted is relayed as received (same content type and
 * encoding) to URL/v1/traces, after the fact and never in the way of ingest: a bounded queue (a body that
 * does not fit is dropped and counted), two requests in flight at most, and failures logged at most once
 * a minute, with how many there were.
 */
export interface ForwardOptions {
  maxQueuedBytes?: number;
  concurrency?: number;
  log: (line: string) => void;
  timeoutMs?: number;
}

interface Pending {
  body: Buffer;
  contentType: string;
  encoding: string;
}

export class Forwarder {
  readonly target: URL;
  private readonly queue: Pending[] = [];
  private queuedBytes = 0;
  private inFlight = 0;
  private failures = 0;
  private dropped = 0;
  private lastReport = 0;
  private idle: Array<() => void> = [];

  constructor(
    url: string,
    private readonly options: ForwardOptions,
  ) {
    const target = new URL(url);
    if (!/\/v1\/traces\/?$/.test(target.pathname)) target.pathname = `${target.pathname.replace(/\/$/, '')}/v1/traces`;
    this.target = target;
  }

  relay(body: Buffer, contentType: string, encoding: string): void {
    if (this.queuedBytes + body.length > (this.options.maxQueuedBytes ?? 64 * 1024 * 1024)) {
      this.dropped++;
      this.report('the forward queue is full');
      return;
    }
    this.queue.push({ body, contentType, encoding });
    this.queuedBytes += body.length;
    this.pump();
  }

  /** Resolves when nothing is queued or in flight (tests, shutdown). */
  drained(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < (this.options.concurrency ?? 2) && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.queuedBytes -= next.body.length;
      this.inFlight++;
      this.send(next).then(
        () => this.settle(),
        (error: Error) => {
          this.failures++;
          this.report(error.message);
          this.settle();
        },
      );
    }
  }

  private settle(): void {
    this.inFlight--;
    this.pump();
    if (this.queue.length === 0 && this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  private send(pending: Pending): Promise<void> {
    const client = this.target.protocol === 'https:' ? https : http;
    const headers: Record<string, string | number> = { 'content-type': pending.contentType, 'content-length': pending.body.length };
    if (pending.encoding !== 'identity') headers['content-encoding'] = pending.encoding;
    return new Promise((resolve, reject) => {
      const req = client.request(this.target, { method: 'POST', headers, timeout: this.options.timeoutMs ?? 10_000 }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode && res.statusCode < 300 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end(pending.body);
    });
  }

  private report(reason: string): void {
    const now = Date.now();
    if (now - this.lastReport < 60_000) return;
    this.lastReport = now;
    this.options.log(
      `viewer: forwarding to ${this.target.href} failing (${reason}); ${this.failures} failed, ${this.dropped} dropped so far`,
    );
  }
}
