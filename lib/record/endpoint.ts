import type { ServerEndpoint } from './call-record';

const cache = new Map<string, ServerEndpoint | undefined>();

/** The host and port a base URL points at (`server.address`, `server.port`); parsed once per URL. */
export function endpointOf(baseURL: unknown): ServerEndpoint | undefined {
  if (typeof baseURL !== 'string' || baseURL === '') return undefined;
  if (cache.has(baseURL)) return cache.get(baseURL);
  let endpoint: ServerEndpoint | undefined;
  try {
    const url = new URL(baseURL);
    const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
    endpoint = port === undefined ? { address: url.hostname } : { address: url.hostname, port };
  } catch {
    endpoint = undefined;
  }
  if (cache.size < 256) cache.set(baseURL, endpoint);
  return endpoint;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'https:': 443, 'http:': 80 };
