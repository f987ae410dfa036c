/**
 * The one way this UI builds the page: elements from tag names, properties and children, where every
 * string child becomes a text node. Span data (LLM output routinely holds HTML, markdown and script) is
 * never parsed as markup: nothing here, or anywhere in the UI, assigns innerHTML.
 */
export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

/** Appends children: nodes as they are, strings and numbers as text, arrays flattened, null skipped. */
export function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function replace(node, ...children) {
  return append(clear(node), children);
}

export function $(selector) {
  return document.querySelector(selector);
}

/** `12 ms`, `1.24 s`, `2 min 5 s`. */
export function fmtDuration(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Local time, with the date only when it is not today. */
export function fmtTime(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '';
  const date = new Date(ms);
  const time = date.toLocaleTimeString(undefined, { hour12: false });
  return date.toDateString() === new Date().toDateString() ? time : `${date.toLocaleDateString()} ${time}`;
}

/** USD with enough digits to show a single cheap call (`$0.00000645`). */
export function fmtCost(usd) {
  if (typeof usd !== 'number' || !Number.isFinite(usd)) return '';
  if (usd === 0) return '$0';
  if (usd >= 0.01) return `$${usd.toFixed(4)}`;
  // Three significant digits, never in exponent notation: $0.00000645, $0.000336.
  const digits = Math.min(20, 2 - Math.floor(Math.log10(Math.abs(usd))));
  return `$${usd.toFixed(digits).replace(/\.?0+$/, '')}`;
}

export function fmtNumber(n) {
  return typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('en-US') : '';
}

/** A kind badge: AGENT, LLM, TOOL... (class `kind-llm` etc. colours it). */
export function kindBadge(kind) {
  if (!kind) return null;
  const safe = String(kind).toLowerCase().replace(/[^a-z_]/g, '');
  return el('span', { class: `badge kind-${safe}`, title: `OpenInference span kind ${kind}` }, String(kind));
}

export function statusBadge(code) {
  const safe = code === 'ERROR' || code === 'OK' ? code : 'UNSET';
  return el('span', { class: `status status-${safe.toLowerCase()}` }, safe === 'UNSET' ? '—' : safe);
}
