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

/** The object's own entries except `omit`, or undefined when nothing is left. */
export function without(body: Json, omit: ReadonlySet<string>): Json | undefined {
  let out: Json | undefined;
  for (const key of Object.keys(body)) {
    if (omit.has(key) || body[key] === undefined) continue;
    (out ??= {})[key] = body[key];
  }
  return out;
}

/** Text pieces collected while a stream passes and joined once at the end (no per-chunk string copies). */
export class TextAccumulator {
  private pieces: string[] | undefined;
  add(piece: unknown): void {
    if (typeof piece === 'string' && piece.length > 0) (this.pieces ??= []).push(piece);
  }
  get isEmpty(): boolean {
    return this.pieces === undefined;
  }
  text(): string | undefined {
    return this.pieces?.join('');
  }
}
