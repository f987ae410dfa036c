/**
 * Keyboard navigation: `/` searches; in the list j/k or the arrows move, Home/End go to the first and
 * last row, and Enter opens; in a trace j/k or the arrows move through the tree (the detail follows),
 * Home/End go to its first and last visible row (as in the WAI-ARIA tree pattern: not into a collapsed
 * subtree), Left/Right collapse and expand, Esc goes back to the list. Keys typed into a form field are
 * left to the field (Esc leaves it).
 */
export function bindKeys({ list, tree, back }) {
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    const inField = target instanceof HTMLElement && target.closest('input, select, textarea');
    if (inField) {
      if (event.key === 'Escape') target.blur();
      else if (event.key === 'Enter' && target.id === 'q') list.rows()[0]?.focus();
      return;
    }
    const inTrace = !document.getElementById('trace-view').hidden;
    const handled = inTrace ? traceKey(event.key, tree, back) : listKey(event.key, list);
    if (handled) event.preventDefault();
  });
}

function listKey(key, list) {
  const rows = list.rows();
  const current = rows.indexOf(document.activeElement);
  switch (key) {
    case '/':
      document.getElementById('q').focus();
      return true;
    case 'j':
    case 'ArrowDown':
      rows[Math.min(rows.length - 1, current + 1)]?.focus();
      return true;
    case 'k':
    case 'ArrowUp':
      rows[Math.max(0, current - 1)]?.focus();
      return true;
    case 'Home':
      rows[0]?.focus();
      return true;
    case 'End':
      rows[rows.length - 1]?.focus();
      return true;
    case 'Enter':
      if (current < 0) return false;
      rows[current].click();
      return true;
    default:
      return false;
  }
}

function traceKey(key, tree, back) {
  const row = tree.selectedRow();
  switch (key) {
    case 'Escape':
      back();
      return true;
    case 'j':
    case 'ArrowDown':
      tree.move(1);
      return true;
    case 'k':
    case 'ArrowUp':
      tree.move(-1);
      return true;
    case 'Home':
      tree.moveToEnd(-1);
      return true;
    case 'End':
      tree.moveToEnd(1);
      return true;
    case 'Enter':
      if (row) tree.select(row.dataset.spanId, true);
      return Boolean(row);
    case 'ArrowLeft':
      if (!row) return false;
      if (row.getAttribute('aria-expanded') === 'true') tree.toggle(row.dataset.spanId, false);
      else if (row.dataset.parentId && tree.rowOf(row.dataset.parentId)) tree.select(row.dataset.parentId, true);
      return true;
    case 'ArrowRight':
      if (row?.getAttribute('aria-expanded') === 'false') tree.toggle(row.dataset.spanId, true);
      return Boolean(row);
    case '/':
      back();
      setTimeout(() => document.getElementById('q').focus(), 0);
      return true;
    default:
      return false;
  }
}
