/** Building blocks of the span detail: titled sections, fact lists and value blocks. */
import { parseJson, pretty, text } from './attrs.js';
import { el } from './dom.js';

export function section(title, ...content) {
  return el('section', { class: 'detail-section' }, el('h3', {}, title), content);
}

/** A definition list of the facts that have a value; an indented label is a sub-part of the one above. */
export function facts(pairs) {
  const items = pairs.filter(([, value]) => value !== undefined && value !== null && value !== '');
  return el(
    'dl',
    { class: 'facts' },
    items.map(([label, value]) => [
      el('dt', { class: label.startsWith('  ') ? 'sub' : '' }, label.trim()),
      el('dd', {}, Array.isArray(value) ? value.map(text).join(', ') : text(value)),
    ]),
  );
}

/** A value as a block: JSON pretty-printed as code, text as wrapped text. */
export function valueBlock(value) {
  return parseJson(value) !== undefined ? el('pre', { class: 'code' }, pretty(value)) : el('div', { class: 'message-text' }, text(value));
}
