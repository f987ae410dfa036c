import net from 'node:net';

/** Connection errors that say nobody listens there: waiting for the exporter's retries cannot help. */
const REFUSED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Resolves with the connection error when the collector at `url` refuses connections (nothing
 * listens: the usual case on a developer's machine), and with `undefined` when it accepts one, when
 * the answer takes longer than `timeoutMs`, or for anything that is not a plain http(s) URL. It lets
 * the exit give up at once instead of waiting out the exporter's retries. Never rejects, never keeps
 * the process alive.
 */
export function probeRefused(url: string | undefined, timeoutMs: number): Promise<Error | undefined> {
  const target = hostAndPort(url);
  if (!target) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const socket = net.connect(target);
    const done = (result: Error | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    timer.unref();
    socket.unref();
    socket.once('connect', () => done(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) => done(REFUSED_CODES.has(String(err.code)) ? err : undefined));
  });
}

function hostAndPort(url: string | undefined): { host: string; port: number } | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
    return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port };
  } catch {
    return undefined;
  }
}
