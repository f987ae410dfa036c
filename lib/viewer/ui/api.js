/** The viewer's HTTP API (same origin; see docs/viewer.md): JSON reads and the live event stream. */

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body?.error ?? `${response.status} ${response.statusText}`);
  return body;
}

/** `filters`: { service, status, kind, model, from, to, q }; empty values are left out. */
export function listTraces(filters, before, limit = 50) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  params.set('limit', String(limit));
  if (before) params.set('before', before);
  return getJson(`/api/traces?${params}`);
}

export function getTrace(traceId) {
  return getJson(`/api/traces/${encodeURIComponent(traceId)}`);
}

export function getFacets() {
  return getJson('/api/facets');
}

/**
 * Calls `onTraces(traceIds)` when the viewer stores new spans, and `onState(live)` when the stream
 * connects or drops (EventSource reconnects by itself).
 */
export function subscribe(onTraces, onState) {
  if (typeof EventSource !== 'function') return () => {};
  const source = new EventSource('/api/events');
  source.addEventListener('open', () => onState(true));
  source.addEventListener('error', () => onState(false));
  source.addEventListener('traces', (event) => {
    let ids = [];
    try {
      ids = JSON.parse(event.data).traceIds ?? [];
    } catch {
      // A malformed event still means something changed: refresh everything.
    }
    onTraces(Array.isArray(ids) ? ids : []);
  });
  return () => source.close();
}
