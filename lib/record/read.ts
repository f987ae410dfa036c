import { DEFAULT_MAX_ATTRIBUTE_LENGTH, detached, truncationMarker } from '../config/text-cap';

/**
 * Small type guards for reading SDK shapes we do not control. Each returns `undefined` for anything
 * unexpected, so adapters never throw on a malformed request or response.
 */
export type Json = Record<string, unknown>;

export function asRecord(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A finite number; numeric strings are not accepted (a token count of "12" is a malformed response). */
export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Any number, Infinity and NaN included: for token counts, which the record checks (`saneUsage`) and
 * leaves out with a `diag` line that says why, instead of losing them silently here.
 */
export function asReportedNumber(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** A token count (defined with the record's usage rules, in usage.ts). */
export { isTokenCount } from './usage';

/** Keys that would reach or replace an object's prototype when assigned: never copied. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The object's own entries except `omit`, or undefined when nothing is left. A body built with
 * `JSON.parse` can hold an own `__proto__` key; assigning it would set the copy's prototype (and a
 * `temperature` on it would then look like a request parameter), so those keys are never copied.
 */
export function without(body: Json, omit: ReadonlySet<string> = NOTHING): Json | undefined {
  let out: Json | undefined;
  // An index loop: a request's body is read on every call, mostly before V8 has optimized this.
  const keys = Object.keys(body);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (omit.has(key) || PROTOTYPE_KEYS.has(key) || body[key] === undefined) continue;
    (out ??= {})[key] = body[key];
  }
  return out;
}

const NOTHING: ReadonlySet<string> = new Set();

/** Characters a reader may still keep, shared by all the texts of one call (`OutputBuffers`). */
export class TextBudget {
  constructor(public left: number) {}
}

/**
 * Text pieces collected while a stream passes and joined once at the end (no per-chunk string copies).
 * Bounded: past `limit` characters (the text cap, `maxAttributeLength`), or once the call's shared
 * `budget` is spent, only the length is counted, so an endless stream holds flat memory, and `text()` ends
 * in the truncation marker with the full length.
 */
export class TextAccumulator {
  private pieces: string[] | undefined;
  private kept = 0;
  private total = 0;
  constructor(
    private readonly limit: number = DEFAULT_MAX_ATTRIBUTE_LENGTH,
    private readonly budget?: TextBudget,
  ) {}

  add(piece: unknown): void {
    if (typeof piece !== 'string' || piece.length === 0) return;
    this.total += piece.length;
    let room = this.limit - this.kept;
    if (this.budget && this.budget.left < room) room = this.budget.left;
    if (room <= 0) return;
    // A cut piece is copied: a slice would keep the whole chunk (a 5 MB one) alive until the span is exported.
    const kept = piece.length <= room ? piece : detached(head(piece, room));
    if (kept.length === 0) return;
    (this.pieces ??= []).push(kept);
    this.kept += kept.length;
    if (this.budget) this.budget.left -= kept.length;
  }
  /** Nothing was ever added. */
  get isEmpty(): boolean {
    return this.total === 0;
  }
  text(): string | undefined {
    if (this.total === 0) return undefined;
    const text = this.pieces?.join('') ?? '';
    if (this.total <= this.kept) return text;
    // The marker goes after what was kept, within the limit (cut by the limit or by the shared budget).
    const marker = truncationMarker(this.total);
    // A limit too small for the marker just cuts, as truncateText does.
    if (marker.length >= this.limit) return text.slice(0, this.limit);
    return head(text, Math.min(text.length, this.limit - marker.length)) + marker;
  }
}

/** The first `length` characters of `piece`, never ending in half a surrogate pair. */
function head(piece: string, length: number): string {
  return length > 0 && isHighSurrogate(piece.charCodeAt(length - 1)) ? piece.slice(0, length - 1) : piece.slice(0, length);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
