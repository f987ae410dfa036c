import { diag } from '@opentelemetry/api';
import { MAX_TOKEN_COUNT } from '../config/record-limits';

/** Token counts of one call. The record keeps them sane (`saneUsage`): each one a token count, or absent. */
export interface Usage {
  prompt?: number;
  completion?: number;
  total?: number;
  cacheRead?: number;
  cacheWrite?: number;
  /** Of the cache writes, those kept for an hour (Anthropic's 1-hour cache), which are priced at their own rate. */
  cacheWrite1h?: number;
  reasoning?: number;
  promptAudio?: number;
  completionAudio?: number;
}

/**
 * A token count: a non-negative integer no larger than MAX_TOKEN_COUNT (1e12). Anything else (-5, 12.5,
 * 4e15, Infinity, NaN) is a malformed response, and is left out.
 */
export function isTokenCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_TOKEN_COUNT;
}

/**
 * The sum of the counts given (`undefined` ones skipped; `undefined` when all are). NaN when one of them is
 * not a token count, or the sum is past the bound: a sum is made of sane parts only, so it is never smaller
 * than one of them (`11 + -11` is not a prompt of 0), and the record then leaves it out with a `diag` line.
 */
export function tokenSum(a: number | undefined, b?: number, c?: number): number | undefined {
  if (a === undefined && b === undefined && c === undefined) return undefined;
  const sum = tokenPart(a) + tokenPart(b) + tokenPart(c);
  return sum <= MAX_TOKEN_COUNT ? sum : Number.NaN;
}

/** A part of `tokenSum`: 0 when absent, NaN (which the sum keeps) when not a token count. */
function tokenPart(value: number | undefined): number {
  if (value === undefined) return 0;
  return isTokenCount(value) ? value : Number.NaN;
}

const FIELDS = ['prompt', 'completion', 'total', 'cacheRead', 'cacheWrite', 'cacheWrite1h', 'reasoning', 'promptAudio', 'completionAudio'] as const;

/** Each detail and the count it is part of: a detail larger than its whole is left out. */
const PART_OF: ReadonlyArray<readonly [keyof Usage, keyof Usage]> = [
  ['cacheRead', 'prompt'],
  ['cacheWrite', 'prompt'],
  ['cacheWrite1h', 'cacheWrite'],
  ['promptAudio', 'prompt'],
  ['reasoning', 'completion'],
  ['completionAudio', 'completion'],
];

/**
 * `usage` with every count a token count, every detail within its whole, and a total no smaller than
 * prompt + completion; what breaks a rule is left out. The same object when nothing has to go (the usual
 * case: no copy). `warn`: say once, in one `diag` line, what was left out and why.
 */
export function saneUsage(usage: Usage, warn = true): Usage {
  if (isSane(usage)) return usage;
  const sane: Usage = {};
  const dropped: string[] = [];
  for (const field of FIELDS) {
    const value = usage[field];
    if (value === undefined) continue;
    if (isTokenCount(value)) sane[field] = value;
    else dropped.push(`${field} ${String(value)}`);
  }
  for (const [detail, whole] of PART_OF) {
    const part = sane[detail];
    const of = sane[whole];
    if (part !== undefined && of !== undefined && part > of) {
      dropped.push(`${detail} ${part} (over ${whole} ${of})`);
      delete sane[detail];
    }
  }
  if (sane.total !== undefined && sane.total < (sane.prompt ?? 0) + (sane.completion ?? 0)) {
    dropped.push(`total ${sane.total} (under prompt + completion)`);
    delete sane.total;
  }
  if (warn) diag.warn(`@infinium/otel: token counts left out (not integers from 0 to ${MAX_TOKEN_COUNT}, or not adding up): ${dropped.join(', ')}`);
  return sane;
}

/**
 * Index loops, no destructuring: this runs on every call, mostly before V8 has optimized it, where a
 * `for…of` and an `[a, b]` pattern each go through the iterator protocol (docs/performance.md).
 */
function isSane(usage: Usage): boolean {
  for (let i = 0; i < FIELDS.length; i++) {
    const value = usage[FIELDS[i]];
    if (value !== undefined && !isTokenCount(value)) return false;
  }
  for (let i = 0; i < PART_OF.length; i++) {
    const part = usage[PART_OF[i][0]];
    const of = usage[PART_OF[i][1]];
    if (part !== undefined && of !== undefined && part > of) return false;
  }
  return usage.total === undefined || usage.total >= (usage.prompt ?? 0) + (usage.completion ?? 0);
}
