/**
 * A trace as a tree of spans beside its timeline: one row per span, the name (indented under its
 * parent, with its OpenInference kind) on the left and a waterfall bar on the right, on the trace's
 * time scale. Spans whose parent is missing (not received yet, or from another service) are roots.
 */
import { el, fmtDuration, fmtNumber, kindBadge, replace } from './dom.js';
import { modelOf } from './attrs.js';

/** The spans in display order (depth-first, children by start time), each with its depth. */
export function layout(spans) {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const children = new Map();
  const roots = [];
  for (const span of spans) {
    const parent = span.parentSpanId && span.parentSpanId !== span.spanId ? byId.get(span.parentSpanId) : undefined;
    if (parent) (children.get(parent.spanId) ?? children.set(parent.spanId, []).get(parent.spanId)).push(span);
    else roots.push(span);
  }
  // Same start (OTel JS starts spans at Date.now(), whole ms): the one that ended first came first.
  const byStart = (a, b) => (a.startMs ?? 0) - (b.startMs ?? 0) || (a.durationMs ?? 0) - (b.durationMs ?? 0);
  const rows = [];
  const visited = new Set();
  const walk = (span, depth) => {
    if (visited.has(span.spanId)) return; // a parent cycle in hostile data must not hang the page
    visited.add(span.spanId);
    const kids = (children.get(span.spanId) ?? []).sort(byStart);
    rows.push({ span, depth, childCount: kids.length });
    for (const kid of kids) walk(kid, depth + 1);
  };
  for (const root of roots.sort(byStart)) walk(root, 0);
  for (const span of spans) if (!visited.has(span.spanId)) walk(span, 0);
  return rows;
}

/**
 * Rows drawn at most: the DOM stays quick. The API sends no more than that many spans of a trace
 * (MAX_TRACE_SPANS in trace-json.ts) and says how many there are; this is the page's own guard.
 */
export const MAX_ROWS = 5000;

export class SpanTree {
  constructor(container, onSelect) {
    this.container = container;
    this.onSelect = onSelect;
    this.collapsed = new Set();
    this.rows = [];
    /** The drawn rows in order, by span id, and the selected one: moving touches two rows, not all. */
    this.rowEls = [];
    this.byId = new Map();
    this.selected = null;
  }

  /** `spanCount`: how many spans the trace has, when the API sent only the first ones (a very large trace). */
  render(spans, selectedId, spanCount = spans.length) {
    this.rows = layout(spans);
    // A loop, not Math.min(...spans): a trace with 100k spans would overflow the argument list.
    let start = Infinity;
    let end = -Infinity;
    for (const s of spans) {
      start = Math.min(start, s.startMs ?? 0);
      end = Math.max(end, (s.startMs ?? 0) + (s.durationMs ?? 0));
    }
    const total = Math.max(end - start, 0.001);
    const header = el(
      'div',
      { class: 'tree-row tree-head', 'aria-hidden': 'true' },
      el('span', { class: 'tree-label' }, spanCount > spans.length ? `${fmtNumber(spans.length)} of ${fmtNumber(spanCount)} spans` : `${spans.length} spans`),
      el('span', { class: 'bar-time' }, 'duration'),
      el('span', { class: 'tree-bar-cell scale' }, el('span', {}, '0'), el('span', {}, fmtDuration(total / 2)), el('span', {}, fmtDuration(total))),
    );
    const shown = this.rows.slice(0, MAX_ROWS);
    const more = Math.max(spanCount, this.rows.length) - shown.length;
    this.rowEls = shown.map((row) => this.row(row, start, total));
    this.byId = new Map(this.rowEls.map((row) => [row.dataset.spanId, row]));
    this.selected = null;
    replace(
      this.container,
      header,
      this.rowEls,
      more > 0
        ? el(
            'p',
            { class: 'muted more-rows', role: 'note' },
            `The first ${fmtNumber(shown.length)} of ${fmtNumber(shown.length + more)} spans (by start time) are shown: a trace this large is cut to keep the page quick. The viewer keeps every span.`,
          )
        : null,
    );
    this.applyCollapse();
    this.select(selectedId ?? this.rows[0]?.span.spanId, false);
  }

  row({ span, depth, childCount }, start, total) {
    const bar = el('span', { class: `bar bar-${(span.oiKind ?? 'none').toLowerCase().replace(/[^a-z]/g, '')}${span.status?.code === 'ERROR' ? ' bar-error' : ''}` });
    bar.style.left = `${(((span.startMs ?? start) - start) / total) * 100}%`;
    bar.style.width = `max(2px, ${((span.durationMs ?? 0) / total) * 100}%)`;
    const label = el('span', { class: 'tree-label' });
    label.style.paddingLeft = `${depth * 16 + 4}px`;
    const toggle = el('span', { class: childCount ? 'toggle' : 'toggle leaf', 'aria-hidden': 'true' }, childCount ? '▾' : '·');
    toggle.addEventListener('click', (event) => {
      event.stopPropagation();
      this.toggle(span.spanId);
    });
    const model = span.oiKind === 'LLM' || span.oiKind === 'EMBEDDING' ? modelOf(span.attributes ?? {}) : undefined;
    label.append(toggle, kindBadge(span.oiKind) ?? '', el('span', { class: 'span-name' }, span.name ?? ''));
    if (model !== undefined && !String(span.name ?? '').includes(String(model))) label.append(el('span', { class: 'muted' }, ` ${String(model)}`));
    if (span.status?.code === 'ERROR') label.append(el('span', { class: 'status status-error' }, 'ERROR'));
    const node = el(
      'div',
      {
        class: 'tree-row',
        role: 'treeitem',
        tabindex: '-1',
        'aria-selected': 'false',
        'aria-level': String(depth + 1),
        dataset: { spanId: String(span.spanId), parentId: String(span.parentSpanId ?? ''), kind: span.oiKind ?? '', depth: String(depth) },
        onclick: () => this.select(span.spanId, true),
      },
      label,
      el('span', { class: 'bar-time' }, fmtDuration(span.durationMs)),
      el('span', { class: 'tree-bar-cell' }, bar),
    );
    if (childCount) node.setAttribute('aria-expanded', 'true');
    return node;
  }

  visibleRows() {
    return this.rowEls.filter((row) => !row.hidden);
  }

  rowOf(spanId) {
    const row = this.byId.get(spanId);
    return row && !row.hidden ? row : null;
  }

  select(spanId, focus) {
    const target = this.byId.get(spanId) ?? this.rowEls[0];
    if (!target) return;
    this.selected?.setAttribute('aria-selected', 'false');
    target.setAttribute('aria-selected', 'true');
    this.selected = target;
    if (focus) target.focus();
    else target.scrollIntoView?.({ block: 'nearest' });
    this.onSelect(target.dataset.spanId);
  }

  /** Moves the selection by `delta` visible rows. */
  move(delta) {
    const rows = this.visibleRows();
    const index = rows.indexOf(this.selected);
    const next = rows[Math.min(rows.length - 1, Math.max(0, index + delta))];
    if (next) this.select(next.dataset.spanId, true);
  }

  /** To the first (`-1`) or the last (`1`) visible row: Home and End. */
  moveToEnd(direction) {
    const rows = this.visibleRows();
    const next = direction < 0 ? rows[0] : rows[rows.length - 1];
    if (next) this.select(next.dataset.spanId, true);
  }

  /** Left: collapse, or go to the parent. Right: expand. */
  toggle(spanId, expand) {
    const isCollapsed = this.collapsed.has(spanId);
    const want = expand === undefined ? !isCollapsed : !expand;
    if (want) this.collapsed.add(spanId);
    else this.collapsed.delete(spanId);
    this.applyCollapse();
  }

  selectedRow() {
    return this.selected;
  }

  applyCollapse() {
    const hiddenUnder = [];
    for (const row of this.rowEls) {
      const depth = Number(row.dataset.depth);
      while (hiddenUnder.length && hiddenUnder[hiddenUnder.length - 1] >= depth) hiddenUnder.pop();
      row.hidden = hiddenUnder.length > 0;
      const collapsed = this.collapsed.has(row.dataset.spanId);
      if (row.hasAttribute('aria-expanded')) row.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
      const toggle = row.querySelector('.toggle:not(.leaf)');
      if (toggle) toggle.textContent = collapsed ? '▸' : '▾';
      if (collapsed) hiddenUnder.push(depth);
    }
  }
}
