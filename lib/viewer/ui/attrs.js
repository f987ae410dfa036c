/**
 * Reading span attributes in the three vocabularies the viewer renders: OpenInference (flattened,
 * indexed keys such as `llm.input_messages.0.message.role`), OTel GenAI (`gen_ai.*`, messages as JSON
 * strings) and Infinium (`infinium.*`, `llm.prompt_tokens`). Every reader tolerates any value shape:
 * spans come from any instrumentation, in any language.
 */

/** The first of `keys` whose value is present. */
export function first(attrs, ...keys) {
  for (const key of keys) {
    const value = attrs?.[key];
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

export function num(value) {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export function firstNum(attrs, ...keys) {
  for (const key of keys) {
    const value = num(attrs?.[key]);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** A JSON string parsed, or undefined when it is not JSON (objects and arrays pass through). */
export function parseJson(value) {
  if (value !== null && typeof value === 'object') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * `prefix.<i>.<rest>` keys gathered into a list of flat objects keyed by `<rest>`, in index order:
 * `indexed(a, 'llm.input_messages')[0]['message.role']`. An attribute holding the list itself (an
 * array value, as some exporters send) is read too.
 */
export function indexed(attrs, prefix) {
  const items = new Map();
  const start = `${prefix}.`;
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (!key.startsWith(start)) continue;
    const rest = key.slice(start.length);
    const dot = rest.indexOf('.');
    const index = Number(dot < 0 ? rest : rest.slice(0, dot));
    if (!Number.isInteger(index) || index < 0) continue;
    if (!items.has(index)) items.set(index, {});
    if (dot >= 0) items.get(index)[rest.slice(dot + 1)] = value;
  }
  if (items.size === 0 && Array.isArray(attrs?.[prefix])) {
    return attrs[prefix].map((item) => (item && typeof item === 'object' ? flatten(item) : { value: item }));
  }
  return [...items.keys()].sort((a, b) => a - b).map((i) => items.get(i));
}

/** A nested object as dotted keys, the shape `indexed` reads. */
export function flatten(value, prefix = '', out = {}) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
  } else if (Array.isArray(value) && value.some((v) => v && typeof v === 'object')) {
    value.forEach((inner, i) => flatten(inner, `${prefix}.${i}`, out));
  } else {
    out[prefix] = value;
  }
  return out;
}

/** Keys under `prefix.` with the prefix taken off, e.g. every `gen_ai.request.*` parameter. */
export function under(attrs, prefix) {
  const out = {};
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (key.startsWith(`${prefix}.`)) out[key.slice(prefix.length + 1)] = value;
  }
  return out;
}

/** Any attribute value as display text: strings as they are, the rest as JSON. */
export function text(value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Text for a `<pre>`: JSON pretty-printed, anything else as it is. */
export function pretty(value) {
  const parsed = parseJson(value);
  return parsed !== undefined ? JSON.stringify(parsed, null, 2) : text(value);
}

export function modelOf(attrs) {
  return first(attrs, 'llm.model_name', 'gen_ai.response.model', 'gen_ai.request.model', 'llm.model', 'embedding.model_name');
}

export function providerOf(attrs) {
  return first(attrs, 'llm.provider', 'gen_ai.provider.name', 'gen_ai.system', 'llm.system');
}
