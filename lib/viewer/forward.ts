import http from 'node:http';
import https from 'node:https';
import type { ForwardHeaders } from './forward-headers';

/**
 * `--forward URL`: every export the viewer stored is relayed as received (same body, content type and
 * encoding, plus the `--forward-header`s) to URL/v1/traces, after the fact and never in the way of ingest:
 * a bounded queue (a body that does not fit is dropped and counted), two requests in flight at most, each
 * given `timeoutMs` in all, and at exit `closeGraceMs` to finish before what is left is given up.
 * A target that is down or slow gets one warning line when it starts failing and one when it works again,
 * not a line per export (and a new warning a minute after the last at the soonest, for one that flaps).
 */
export interface ForwardOptions {
  headers?: ForwardHeaders;
  maxQueuedBytes?: number;
  concurrency?: number;
  timeoutMs?: number;
  closeGraceMs?: number;
  log: (line: string) => void;
}

interface Pending {
  body: Buffer;
  contentType: string;
  encoding: string;
}

export interface ForwardStats {
  sent: number;
  failed: number;
  dropped: number;
}

const WARNING_GAP_MS = 60_000;

export class Forwarder {
  readonly target: URL;
  /** The target as printed: without user, password or query, which may hold a key. */
  readonly shownTarget: string;
  readonly stats: ForwardStats = { sent: 0, failed: 0, dropped: 0 };
  private readonly queue: Pending[] = [];
  private queuedBytes = 0;
  private readonly inFlight = new Set<http.ClientRequest>();
  private sending = 0;
  private closed = false;
  /** Failures and drops since the warning of the current outage; null while forwarding works. */
  private outage: { failed: number; dropped: number; warned: boolean } | null = null;
  private lastWarning = -Infinity;
  private idle: Array<() => void> = [];

  constructor(
    url: string,
    private readonly options: ForwardOptions,
  ) {
    const target = new URL(url);
    if (!/\/v1\/traces\/?$/.test(target.pathname)) target.pathname = `${target.pathname.replace(/\/$/, '')}/v1/traces`;
    this.target = target;
    this.shownTarget = `${target.origin}${target.pathname}`;
  }

  relay(body: Buffer, contentType: string, encoding: string): void {
    if (this.closed) return;
    if (this.queuedBytes + body.length > (this.options.maxQueuedBytes ?? 64 * 1024 * 1024)) {
      this.stats.dropped++;
      this.failing('the forward queue is full', 'dropped');
      return;
    }
    this.queue.push({ body, contentType, encoding });
    this.queuedBytes += body.length;
    this.pump();
  }

  /** Resolves when nothing is queued or in flight (tests, shutdown). */
  drained(): Promise<void> {
    if (this.queue.length === 0 && this.sending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Takes no more; lets what is queued go for `closeGraceMs` at most, then gives the rest up (counted). */
  async close(): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.closeGraceMs ?? 5_000)));
    await Promise.race([this.drained(), grace]);
    clearTimeout(timer);
    const left = this.queue.length + this.sending;
    if (left === 0) return;
    this.stats.dropped += this.queue.length;
    this.queue.length = 0;
    this.queuedBytes = 0;
    for (const req of this.inFlight) req.destroy(new Error('given up at exit'));
    await this.drained(); // the destroyed requests settle at once
    this.options.log(`viewer: forwarding to ${this.shownTarget}: ${left} export(s) not forwarded at exit`);
  }

  private pump(): void {
    while (this.sending < (this.options.concurrency ?? 2) && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.queuedBytes -= next.body.length;
      this.sending++;
      this.send(next).then(
        () => {
          this.stats.sent++;
          this.working();
          this.settle();
        },
        (error: Error) => {
          this.stats.failed++;
          this.failing(error.message, 'failed');
          this.settle();
        },
      );
    }
  }

  private settle(): void {
    this.sending--;
    this.pump(); // also while closing: what is queued goes on for the grace time
    if (this.queue.length === 0 && this.sending === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  private send(pending: Pending): Promise<void> {
    const client = this.target.protocol === 'https:' ? https : http;
    const headers: Record<string, string | number> = {
      ...this.options.headers,
      'content-type': pending.contentType,
      'content-length': pending.body.length,
    };
    if (pending.encoding !== 'identity') headers['content-encoding'] = pending.encoding;
    return new Promise((resolve, reject) => {
      let req: http.ClientRequest;
      let response: http.IncomingMessage | undefined;
      // The answer counts once read to its end, whichever of 'end' and the request's 'close' comes first.
      const settle = (): void => {
        if (!response?.complete) reject(new Error('connection closed before the answer'));
        else if (response.statusCode && response.statusCode < 300) resolve();
        else reject(new Error(`HTTP ${response.statusCode}`));
      };
      try {
        req = client.request(this.target, { method: 'POST', headers }, (res) => {
          response = res;
          res.on('end', settle);
          res.on('error', reject);
          res.resume();
        });
      } catch (error) {
        return reject(error as Error);
      }
      this.inFlight.add(req);
      const timeoutMs = this.options.timeoutMs ?? 10_000;
      // The whole exchange, not only an idle socket: a collector trickling its answer is slow too.
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on('error', reject);
      req.on('close', () => {
        clearTimeout(timer);
        this.inFlight.delete(req);
        settle();
      });
      req.end(pending.body);
    });
  }

  private failing(reason: string, what: 'failed' | 'dropped'): void {
    this.outage ??= { failed: 0, dropped: 0, warned: false };
    this.outage[what]++;
    if (this.outage.warned || Date.now() - this.lastWarning < WARNING_GAP_MS) return;
    this.outage.warned = true;
    this.lastWarning = Date.now();
    this.options.log(
      `viewer: forwarding to ${this.shownTarget} failing (${reason}); the viewer keeps every trace, and says so here when forwarding works again`,
    );
  }

  private working(): void {
    const outage = this.outage;
    this.outage = null;
    if (!outage?.warned) return;
    this.options.log(`viewer: forwarding to ${this.shownTarget} works again (${outage.failed} export(s) failed, ${outage.dropped} dropped meanwhile)`);
  }
}
