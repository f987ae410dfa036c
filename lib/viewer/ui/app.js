/**
 * The viewer's page: the trace list (#/) and a trace (#/trace/<traceId>/<spanId>), routed by the URL
 * hash so that the browser's back button and links work. New traces arrive over /api/events.
 */
import { getAbout, getTrace, subscribe } from './api.js';
import { renderDetail } from './detail.js';
import { $, el, fmtCost, fmtDuration, fmtNumber, fmtTime, replace, statusBadge } from './dom.js';
import { bindKeys } from './keys.js';
import { TraceList } from './list.js';
import { SpanTree } from './tree.js';

/** `summary`: the trace's totals from the API (the list's figures), which hold for spans not sent too. */
const state = { traceId: null, spans: [], summary: null, truncated: false, byId: new Map(), spanId: null };

function showError(message) {
  const box = $('#error');
  box.hidden = !message;
  box.textContent = message ?? '';
}

const list = new TraceList((traceId) => (location.hash = `#/trace/${encodeURIComponent(traceId)}`), showError);
const tree = new SpanTree($('#tree'), (spanId) => {
  state.spanId = spanId;
  renderDetail($('#detail'), state.byId.get(spanId));
  const wanted = `#/trace/${encodeURIComponent(state.traceId)}/${encodeURIComponent(spanId)}`;
  if (location.hash !== wanted) history.replaceState(null, '', wanted);
});

/** A link's part as written when it is no valid %-escape (a hand-edited or cut link must not throw). */
function decodePart(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function parseRoute() {
  const match = /^#\/trace\/([^/]+)(?:\/([^/]+))?/.exec(location.hash);
  return match ? { traceId: decodePart(match[1]), spanId: match[2] ? decodePart(match[2]) : null } : null;
}

async function route() {
  const target = parseRoute();
  $('#list-view').hidden = Boolean(target);
  $('#trace-view').hidden = !target;
  if (!target) {
    const previous = state.traceId;
    state.traceId = null;
    document.title = 'Infinium traces';
    (list.rowOf(previous) ?? list.rows()[0])?.focus();
    if (list.stale) {
      list.stale = false;
      await list.refresh();
    }
    return;
  }
  if (target.traceId !== state.traceId) tree.collapsed.clear();
  await openTrace(target.traceId, target.spanId);
  tree.selectedRow()?.focus();
}

async function openTrace(traceId, spanId) {
  state.traceId = traceId;
  try {
    const trace = await getTrace(traceId);
    if (state.traceId !== traceId) return; // the user moved on meanwhile
    state.spans = Array.isArray(trace.spans) ? trace.spans : [];
    state.summary = trace.summary && typeof trace.summary === 'object' ? trace.summary : null;
    state.truncated = trace.truncated === true && typeof state.summary?.spanCount === 'number';
    showError(null);
  } catch (err) {
    state.spans = [];
    state.summary = null;
    state.truncated = false;
    showError(`Could not open trace ${traceId}: ${err.message}`);
  }
  state.byId = new Map(state.spans.map((s) => [s.spanId, s]));
  renderSummary();
  const hadFocus = $('#tree').contains(document.activeElement); // a live refresh keeps the keyboard where it was
  if (state.spans.length) {
    tree.render(state.spans, spanId ?? state.spanId, state.truncated ? state.summary.spanCount : state.spans.length);
    if (hadFocus) tree.selectedRow()?.focus();
  }
  else {
    replace($('#tree'), el('p', { class: 'muted' }, 'No spans.'));
    renderDetail($('#detail'), null);
  }
}

function renderSummary() {
  const spans = state.spans;
  const ids = new Set(spans.map((s) => s.spanId));
  const root = spans.find((s) => !s.parentSpanId || !ids.has(s.parentSpanId)) ?? spans[0];
  let start = Infinity;
  let end = -Infinity;
  for (const s of spans) {
    start = Math.min(start, s.startMs);
    end = Math.max(end, s.startMs + s.durationMs);
  }
  let cost = spans.reduce((sum, s) => sum + (typeof s.attributes?.['llm.cost.total'] === 'number' ? s.attributes['llm.cost.total'] : 0), 0);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  // An SDK's own GenAI span under our LLM span is the same call seen twice (the list counts it once too).
  let llm = spans.filter((s) => s.oiKind === 'LLM' && !(s.attributes?.['openinference.span.kind'] === undefined && byId.get(s.parentSpanId)?.oiKind === 'LLM')).length;
  let count = `${spans.length} spans`;
  const summary = state.summary;
  if (state.truncated) {
    // Only the first spans came: the trace's own totals, not those of the spans shown.
    ({ startMs: start, costUsd: cost, llmCount: llm } = summary);
    end = start + summary.durationMs;
    count = `${fmtNumber(summary.spanCount)} spans (${fmtNumber(spans.length)} shown)`;
  }
  document.title = `${root?.name ?? 'trace'} · Infinium traces`;
  replace($('#trace-title'), root?.name ?? state.traceId, ' ', statusBadge(state.truncated ? summary.status : spans.some((s) => s.status?.code === 'ERROR') ? 'ERROR' : root?.status?.code));
  replace(
    $('#trace-meta'),
    [root?.service, fmtTime(start), fmtDuration(end - start), count, `${fmtNumber(llm)} LLM calls`, cost ? fmtCost(cost) : null, state.traceId]
      .filter(Boolean)
      .join(' · '),
  );
}

$('#back').addEventListener('click', () => (location.hash = '#/'));
window.addEventListener('hashchange', () => void route());
bindKeys({ list, tree, back: () => (location.hash = '#/') });

subscribe(
  (traceIds) => {
    if (!state.traceId) void list.refresh();
    else if (traceIds.length === 0 || traceIds.includes(state.traceId)) void openTrace(state.traceId, state.spanId);
    else list.stale = true;
  },
  (live) => {
    // Back after a drop (the viewer restarted): what arrived meanwhile was not announced.
    if (live && $('#live').classList.contains('off') && !state.traceId) void list.refresh();
    const badge = $('#live');
    badge.textContent = live ? 'live' : 'offline';
    badge.className = live ? 'live on' : 'live off';
  },
);

void list.reload().then(route);
// The empty list's hint names this viewer's receiver (its port may not be the default 4318).
getAbout().then(
  (about) => {
    if (typeof about?.otlpHttp === 'string') $('#receiver').textContent = about.otlpHttp;
  },
  () => {},
);
