/**
 * The trace list, newest first, with its filters. Rows are focusable; keyboard handling lives in
 * keys.js. `onOpen(traceId)` opens a trace.
 */
import { getFacets, listTraces } from './api.js';
import { $, el, fmtCost, fmtDuration, fmtNumber, fmtTime, kindBadge, replace, statusBadge } from './dom.js';

const PAGE = 50;
/** The API's largest page. */
const MAX_ROWS = 500;
const RANGES = { '': 0, '15m': 15 * 60_000, '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 };

export class TraceList {
  constructor(onOpen, onError) {
    this.onOpen = onOpen;
    this.onError = onError;
    this.body = $('#trace-rows');
    this.next = null;
    this.seen = new Set();
    this.loading = 0;
    const form = $('#filters');
    form.addEventListener('submit', (event) => event.preventDefault());
    form.addEventListener('change', () => this.reload());
    let timer;
    $('#q').addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.reload(), 250);
    });
    $('#clear-filters').addEventListener('click', () => {
      form.reset();
      this.reload();
    });
    $('#more').addEventListener('click', () => this.load(this.next));
  }

  filters() {
    const value = (id) => $(id).value.trim();
    const range = RANGES[value('#range')] ?? 0;
    return {
      q: value('#q'),
      service: value('#service'),
      status: value('#status'),
      kind: value('#kind'),
      model: value('#model'),
      from: range ? Date.now() - range : '',
    };
  }

  /** The first page again (filters changed), keeping the focused row. */
  async reload() {
    await Promise.all([this.load(null), this.loadFacets()]);
  }

  /**
   * New traces arrived. On the first page, the first page again; with older pages loaded, every trace
   * down to the oldest row shown (up to the API's 500), so that a busy app does not take them away.
   */
  async refresh() {
    if (this.body.children.length <= PAGE || !this.last) return this.reload();
    await Promise.all([this.load(null, MAX_ROWS, this.last), this.loadFacets()]);
  }

  /** `downTo`: keep only the traces not older than this one (the oldest row shown). */
  async load(before, limit = PAGE, downTo = null) {
    const ticket = ++this.loading;
    try {
      const page = await listTraces(this.filters(), before, limit);
      if (ticket !== this.loading) return; // a newer request superseded this one
      let traces = page.traces ?? [];
      let next = page.next ?? null;
      if (downTo) {
        const end = traces.findIndex((t) => t.traceId === downTo.traceId);
        // The oldest row still there: the rows down to it, and the cursor after it as before.
        if (end >= 0) [traces, next] = [traces.slice(0, end + 1), this.next];
      }
      this.render(traces, Boolean(before));
      this.next = next;
      $('#more').hidden = !this.next;
      this.onError(null);
    } catch (err) {
      this.onError(`Could not list traces: ${err.message}`);
    }
  }

  async loadFacets() {
    try {
      const facets = await getFacets();
      fillSelect($('#service'), facets.services, 'All services');
      fillSelect($('#model'), facets.models, 'All models');
      fillSelect($('#kind'), facets.kinds, 'All kinds');
    } catch {
      // Facets only fill the filter menus; the list itself reports errors.
    }
  }

  render(traces, appendRows) {
    const focusedId = document.activeElement?.closest?.('#trace-rows tr')?.dataset.traceId;
    const rows = traces.map((t) => this.row(t, this.seen.size > 0 && !this.seen.has(t.traceId)));
    for (const t of traces) this.seen.add(t.traceId);
    if (traces.length || !appendRows) this.last = traces.at(-1) ?? null;
    if (appendRows) rows.forEach((row) => this.body.appendChild(row));
    else replace(this.body, rows);
    $('#empty').hidden = this.body.children.length > 0;
    if (focusedId) this.rowOf(focusedId)?.focus();
  }

  row(t, fresh) {
    const open = () => this.onOpen(t.traceId);
    const kinds = (t.kinds ?? []).filter((k) => k !== 'LLM').slice(0, 3).map(kindBadge);
    return el(
      'tr',
      { class: fresh ? 'trace-row fresh' : 'trace-row', tabindex: '-1', dataset: { traceId: String(t.traceId) }, onclick: open },
      el(
        'td',
        { class: 'name' },
        el('span', { class: 'root-name' }, t.rootName ?? '(no root span)'),
        ' ',
        kinds,
        Array.isArray(t.models) && t.models.length ? el('span', { class: 'models muted' }, t.models.join(', ')) : null,
      ),
      el('td', {}, t.service ?? ''),
      el('td', { class: 'num', title: Number.isFinite(t.startMs) ? new Date(t.startMs).toISOString() : undefined }, fmtTime(t.startMs)),
      el('td', { class: 'num' }, fmtDuration(t.durationMs)),
      el('td', {}, statusBadge(t.status)),
      el('td', { class: 'num' }, fmtNumber(t.llmCount)),
      el('td', { class: 'num', title: `prompt ${fmtNumber(t.promptTokens)} + completion ${fmtNumber(t.completionTokens)}` }, fmtNumber(t.totalTokens)),
      el('td', { class: 'num' }, fmtCost(t.costUsd)),
    );
  }

  rows() {
    return [...this.body.querySelectorAll('tr')];
  }

  rowOf(traceId) {
    return this.rows().find((row) => row.dataset.traceId === traceId);
  }
}

function fillSelect(select, values, allLabel) {
  const current = select.value;
  const options = [...new Set([...(values ?? []).map(String), ...(current ? [current] : [])])].sort();
  replace(select, el('option', { value: '' }, allLabel), options.map((v) => el('option', { value: v }, v)));
  select.value = current;
}
