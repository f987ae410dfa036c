import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * A request body, read with a bound on its size after inflation: the inflater's output is counted as it
 * comes and the read stops at the first byte past the limit, so a small gzip bomb never grows in memory.
 */
export class BodyTooLarge extends Error {}
export class BadBody extends Error {}
/** All the bodies being read at once hold more than the budget (answered 503, retried later). */
export class OverBudget extends Error {}

/** The bytes all request bodies may hold in memory together, while they are read and decoded. */
export class ByteBudget {
  used = 0;
  constructor(readonly max: number) {}
  take(bytes: number): boolean {
    this.used += bytes;
    return this.used <= this.max;
  }
  give(bytes: number): void {
    this.used -= bytes;
  }
}

export const ENCODINGS = ['gzip', 'deflate', 'identity'] as const;

export interface Body {
  /** The body as sent (still compressed), kept only when asked (to forward it). */
  raw: Buffer | null;
  data: Buffer;
  /** Bytes taken from the budget: give them back once the body is decoded. */
  held: number;
}

export function contentEncoding(req: IncomingMessage): string | null {
  const value = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase() || 'identity';
  return (ENCODINGS as readonly string[]).includes(value) ? value : null;
}

export function readBody(req: IncomingMessage, encoding: string, maxBytes: number, keepRaw: boolean, budget: ByteBudget): Promise<Body> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    // A compressed body larger than the limit inflates to more than the limit (with a little slack for
    // incompressible data, which gzip makes slightly larger).
    if (Number.isFinite(declared) && declared > maxBytes + 65_536) return reject(new BodyTooLarge(`body of ${declared} bytes`));
    const rawChunks: Buffer[] = [];
    const chunks: Buffer[] = [];
    let size = 0;
    let rawSize = 0;
    let settled = false;
    let held = 0;
    const keep = (list: Buffer[], chunk: Buffer): void => {
      held += chunk.length;
      if (budget.take(chunk.length)) list.push(chunk);
      else fail(new OverBudget('too much being received at once'));
    };
    const inflater = encoding === 'gzip' ? zlib.createGunzip() : encoding === 'deflate' ? zlib.createInflate() : null;
    const source: Readable = inflater ?? req;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      req.unpipe();
      inflater?.destroy();
      budget.give(held);
      held = 0;
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      rawSize += chunk.length;
      if (rawSize > maxBytes + (inflater ? 65_536 : 0)) fail(new BodyTooLarge('body over the limit'));
      // After a refusal the rest is read and dropped (so that the sender reads the answer), up to a bound.
      if (rawSize > 4 * maxBytes) req.destroy();
      if (settled) return;
      if (!inflater) keep(chunks, chunk);
      else if (keepRaw) keep(rawChunks, chunk);
    });
    req.on('close', () => {
      if (!req.complete) fail(new BadBody('the request was aborted'));
    });
    req.on('error', (error) => fail(new BadBody(error.message)));
    if (inflater) {
      inflater.on('error', (error) => fail(new BadBody(`cannot inflate the ${encoding} body: ${error.message}`)));
      inflater.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) fail(new BodyTooLarge('inflated body over the limit'));
        else if (!settled) keep(chunks, chunk);
      });
      req.pipe(inflater);
    }
    source.on('end', () => {
      if (settled) return;
      settled = true;
      const data = Buffer.concat(chunks);
      resolve({ raw: !keepRaw ? null : inflater ? Buffer.concat(rawChunks) : data, data, held });
    });
  });
}
