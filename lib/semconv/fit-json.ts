import { truncateText } from '../config/text-cap';
import { safeJson } from '../record/json';

/** Strings are not cut below this inside JSON; past it the JSON is left to be cut as text. */
const SHORTEST_CUT = 64;
/** Messages are a few levels deep; anything deeper (or cyclic) is not worth walking. */
const MAX_DEPTH = 16;

/**
 * The JSON of `value` in at most `limit` characters, still valid JSON: when it is longer, the strings
 * inside it longer than some length are cut (each with the truncation marker and its own length), that
 * length halved until the whole fits. `input.value` and `output.value` then stay parseable however long a
 * message, image or tool argument was. When even that does not fit, the full JSON is returned and the
 * caller's text cap cuts it (it is then no longer JSON). `undefined` when the value cannot be serialised.
 */
export function jsonWithin(value: unknown, limit: number): string | undefined {
  const json = safeJson(value);
  if (json === undefined || json.length <= limit) return json;
  for (let cut = Math.floor(limit / 2); cut >= SHORTEST_CUT; cut = Math.floor(cut / 2)) {
    const fitted = safeJson(cutStrings(value, cut, 0));
    if (fitted !== undefined && fitted.length <= limit) return fitted;
  }
  return json;
}

function cutStrings(value: unknown, cut: number, depth: number): unknown {
  if (typeof value === 'string') return value.length > cut ? truncateText(value, cut) : value;
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => cutStrings(item, cut, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') continue;
    out[key] = cutStrings((value as Record<string, unknown>)[key], cut, depth + 1);
  }
  return out;
}
