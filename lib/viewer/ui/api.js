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

/** `{ otlpHttp, otlpGrpc }`: where this viewer's receivers listen. */
export function getAbout() {
  return getJson('/api/about');
}

export function getFacets() {
  return getJson('/api/facets');
}

/**
 * Calls `onTraces(traceIds)` when the viewer stores new spans, and `onState(live)` when the stream
 * connects or drops (EventSource reconnects by itself). `onTraces([])` means "anything may have changed".
 *
 * The tabs of one viewer share one stream: a browser keeps 6 HTTP/1.1 connections per host, and a stream
 * per tab would leave the 7th tab waiting for its page forever. The tab holding the Web Lock opens the
 * stream and relays it on a BroadcastChannel; when it closes, the next tab in line takes the lock over
 * (and everyone refreshes, for what arrived in between). Without Web Locks (a page not served from
 * loopback is no secure context) each tab has its own stream.
 */
export function subscribe(onTraces, onState) {
  if (typeof EventSource !== 'function') return;
  if (!globalThis.navigator?.locks || typeof BroadcastChannel !== 'function') return void openStream(onTraces, onState);
  const channel = new BroadcastChannel('infinium-viewer-events');
  let leading = false;
  let live = false;
  let followed = false;
  channel.addEventListener('message', ({ data }) => {
    if (data?.type === 'ask') {
      if (leading) channel.postMessage({ type: 'state', live });
      return;
    }
    followed = true;
    if (data?.type === 'traces') onTraces(Array.isArray(data.traceIds) ? data.traceIds : []);
    else if (data?.type === 'state') onState(Boolean(data.live));
  });
  void navigator.locks.request('infinium-viewer-events', () => {
    leading = true;
    const takeover = followed;
    openStream(
      (traceIds) => {
        onTraces(traceIds);
        channel.postMessage({ type: 'traces', traceIds });
      },
      (state) => {
        const refresh = state && takeover && !live;
        live = state;
        onState(state);
        channel.postMessage({ type: 'state', live: state });
        if (refresh) {
          onTraces([]);
          channel.postMessage({ type: 'traces', traceIds: [] });
        }
      },
    );
    return new Promise(() => {}); // held until the tab closes
  });
  channel.postMessage({ type: 'ask' }); // the stream's state, from the tab that relays it
}

function openStream(onTraces, onState) {
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
}
