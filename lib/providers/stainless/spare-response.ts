import { Readable } from 'node:stream';
import { diag } from '@opentelemetry/api';

/**
 * An unread copy of a response whose body our own parse reads (a call nobody had asked for when it arrived),
 * for an app that asks for the raw response after that (`asResponse()`).
 * - A WHATWG body (the runtime's fetch): `clone()` tees it. The branch we keep takes what the other reads,
 *   with no backpressure on it, and goes with the APIPromise.
 * - A Node stream body (node-fetch, the default fetch of openai 4 and groq-sdk 0 on Node): its `clone()`
 *   pipes the body into two PassThroughs, and a branch nobody reads stops the other once its 16 KB buffer
 *   is full, so our parse, and the app's later `await`, would wait forever on any larger answer. That copy
 *   is read at once, and the spare is a response of the same class over those bytes (a promise of it).
 */
type FetchResponse = {
  clone(): unknown;
  bodyUsed?: unknown;
  status?: number;
  statusText?: string;
  headers?: unknown;
  url?: string;
  constructor: unknown;
};
type ClonedResponse = { body?: unknown; arrayBuffer?: () => Promise<ArrayBuffer> };

export function spareResponse(response: FetchResponse): unknown {
  const copy = response.clone() as ClonedResponse;
  if (!(copy?.body instanceof Readable) || typeof copy.arrayBuffer !== 'function') return copy;
  return copy.arrayBuffer().then(
    (bytes) => rebuilt(response, bytes),
    // The body failed for the app's parse as well: the app gets the original response, as without us.
    () => response,
  );
}

function rebuilt(response: FetchResponse, bytes: ArrayBuffer): unknown {
  try {
    const Ctor = response.constructor as new (body: unknown, init: Record<string, unknown>) => unknown;
    const body = Readable.from([Buffer.from(bytes)], { objectMode: false });
    return new Ctor(body, { status: response.status, statusText: response.statusText, headers: response.headers, url: response.url });
  } catch (err) {
    diag.debug('@infinium/otel: could not copy a response', err);
    return response;
  }
}
