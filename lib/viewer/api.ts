import http from 'node:http';
import type { TraceEvents } from './events';
import { serveStatic } from './static';
import type { TraceStore } from './store';
import type { TraceFilter } from './store-queries';
import { facets, listTraces } from './store-queries';
import { traceJson } from './trace-json';

/**
 * The UI server: the static UI and its JSON API (docs/viewer.md):
 * GET /api/traces, /api/traces/:id, /api/facets, /api/events, /api/about. Every answer carries the CSP; only GET and
 * HEAD are served. A request whose Host is not this machine's name is refused while the server listens on
 * loopback, so that a web page cannot read the traces through DNS rebinding.
 */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export interface UiServerOptions {
  store: TraceStore;
  events: TraceEvents;
  uiDir: string;
  /** Check the Host header (loopback binding). */
  loopbackOnly: boolean;
  /** The address bound to: a loopback one other than 127.0.0.1 (127.0.0.2) is the Host of the printed URL. */
  host?: string;
  /** `GET /api/about`: where the receivers listen (the empty list tells where to send spans). */
  about?: () => Record<string, string | null>;
}

export const MAX_LIMIT = 500;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostAllowed(host: string | undefined, bound: string | null): boolean {
  if (!host) return false;
  const name = (host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]).toLowerCase();
  return LOCAL_HOSTS.has(name) || name.endsWith('.localhost') || name === bound;
}

function number(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

export function filterOf(params: URLSearchParams): TraceFilter {
  const limit = number(params.get('limit')) ?? 50;
  return {
    service: params.get('service') || undefined,
    status: params.get('status') || undefined,
    kind: params.get('kind') || undefined,
    model: params.get('model') || undefined,
    fromMs: number(params.get('from')),
    toMs: number(params.get('to')),
    q: params.get('q') || undefined,
    limit: Math.max(1, Math.min(MAX_LIMIT, Math.floor(limit))),
    before: params.get('before') || undefined,
  };
}

export function createUiServer(options: UiServerOptions): http.Server {
  const bound = !options.host ? null : options.host.includes(':') ? `[${options.host.toLowerCase()}]` : options.host.toLowerCase();
  return http.createServer((req, res) => {
    const send = (status: number, body: string, type = 'application/json; charset=utf-8'): void => {
      res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const error = (status: number, message: string): void => send(status, JSON.stringify({ error: message }));
    try {
      if (options.loopbackOnly && !hostAllowed(req.headers.host, bound)) return error(403, 'unexpected Host header');
      if (req.method !== 'GET' && req.method !== 'HEAD') return error(405, 'GET only');
      const url = new URL(req.url ?? '/', 'http://viewer.localhost');
      const route = url.pathname;
      if (route === '/api/traces') return send(200, JSON.stringify(listTraces(options.store.db, filterOf(url.searchParams))));
      if (route.startsWith('/api/traces/')) {
        const id = route.slice('/api/traces/'.length).toLowerCase();
        // The id is echoed only when it is one (a malformed link's bytes stay out of the answer).
        if (!/^[0-9a-f]{32}$/.test(id)) return error(404, 'a trace id is 32 hex digits');
        const json = traceJson(options.store.db, id);
        return json === null ? error(404, `no trace ${id}`) : send(200, json);
      }
      if (route === '/api/facets') return send(200, JSON.stringify(facets(options.store.db)));
      if (route === '/api/about') return send(200, JSON.stringify(options.about?.() ?? {}));
      if (route === '/api/events') return options.events.attach(res, SECURITY_HEADERS);
      if (route.startsWith('/api/')) return error(404, `no such endpoint: ${route}`);
      if (!serveStatic(options.uiDir, route, res, SECURITY_HEADERS)) error(404, 'not found');
    } catch (failure) {
      if (!res.headersSent) error(500, (failure as Error).message);
      else res.destroy();
    }
  });
}
