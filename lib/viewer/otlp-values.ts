import type { AttrValue, Attrs } from './model';

/**
 * OTLP values in either encoding, read into the viewer's plain values. One reader serves protobuf (as
 * protobufjs decodes it: ids as bytes, 64-bit numbers as Long) and OTLP/JSON (ids as hex, 64-bit numbers
 * as strings or numbers, enums as numbers or names): the message structure is the same, only the
 * scalars differ, and they differ by runtime type.
 *
 * Stored sizes are capped, and the caps say so in the value: a string longer than MAX_STRING keeps its
 * head and a note; a value nested deeper than MAX_DEPTH becomes a note; an array keeps MAX_ARRAY items.
 */
export const MAX_STRING = 256 * 1024;
export const MAX_DEPTH = 32;
export const MAX_ARRAY = 10_000;
export const MAX_ATTRIBUTES = 4_096;

/** protobufjs' Long (int64/fixed64 as decoded when the `long` package is present). */
interface LongLike {
  low: number;
  high: number;
  unsigned: boolean;
  toString(): string;
}

type Message = Record<string, unknown>;

const has = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

function isLong(value: unknown): value is LongLike {
  return typeof value === 'object' && value !== null && typeof (value as LongLike).low === 'number' && typeof (value as LongLike).high === 'number';
}

export function capString(text: string): string {
  if (text.length <= MAX_STRING) return text;
  return `${text.slice(0, MAX_STRING)}… [truncated by the viewer: ${text.length - MAX_STRING} more characters]`;
}

/** An int64: a number where it is exact, else its decimal string. */
function int64(value: unknown): AttrValue {
  if (isLong(value)) {
    const n = value.high * 4294967296 + (value.low >>> 0);
    return Number.isSafeInteger(n) ? n : value.toString();
  }
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  return null;
}

/**
 * A fixed64 count of nanoseconds since the epoch, as milliseconds to the microsecond (a double holds no
 * more at today's epoch), 0 when absent or unreadable.
 */
export function nanosToMs(value: unknown): number {
  let nanos = NaN;
  if (isLong(value)) nanos = (value.high >>> 0) * 4294967296 + (value.low >>> 0);
  else if (typeof value === 'string' || typeof value === 'number') nanos = Number(value);
  return Number.isFinite(nanos) && nanos > 0 ? Math.round(nanos / 1e3) / 1e3 : 0;
}

/** A trace or span id as lower-case hex, or null when absent, of the wrong length or all zeros (invalid in OTLP). */
export function readId(value: unknown, bytes: number): string | null {
  let hex: string;
  if (value instanceof Uint8Array) {
    if (value.length !== bytes) return null;
    hex = Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex');
  } else if (typeof value === 'string') {
    if (value.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(value)) return null;
    hex = value.toLowerCase();
  } else {
    return null;
  }
  return /^0+$/.test(hex) ? null : hex;
}

/** An enum field: its number, or its number from the name an OTLP/JSON sender may use instead. */
export function readEnum(value: unknown, names: readonly string[]): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') return Math.max(0, names.indexOf(value));
  return 0;
}

export function readString(value: unknown): string {
  return typeof value === 'string' ? capString(value) : '';
}

/** An AnyValue (either encoding). */
export function anyValue(value: unknown, depth: number): AttrValue {
  if (typeof value !== 'object' || value === null) return null;
  if (depth >= MAX_DEPTH) return `[nested deeper than ${MAX_DEPTH} levels: dropped by the viewer]`;
  const v = value as Message;
  if (has(v, 'stringValue')) return readString(v.stringValue);
  if (has(v, 'intValue')) return int64(v.intValue);
  if (has(v, 'doubleValue')) return typeof v.doubleValue === 'number' ? v.doubleValue : Number(v.doubleValue);
  if (has(v, 'boolValue')) return v.boolValue === true;
  if (has(v, 'arrayValue')) {
    const values = (v.arrayValue as Message | null)?.values;
    if (!Array.isArray(values)) return [];
    const out = values.slice(0, MAX_ARRAY).map((item) => anyValue(item, depth + 1));
    if (values.length > MAX_ARRAY) out.push(`[${values.length - MAX_ARRAY} more items dropped by the viewer]`);
    return out;
  }
  if (has(v, 'kvlistValue')) return keyValues((v.kvlistValue as Message | null)?.values, depth + 1);
  if (has(v, 'bytesValue')) {
    const bytes = v.bytesValue;
    if (bytes instanceof Uint8Array) return capString(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64'));
    return readString(bytes);
  }
  return null;
}

/** A repeated KeyValue as an object (the first value wins for a repeated key, at most MAX_ATTRIBUTES keys). */
export function keyValues(list: unknown, depth = 0): Attrs {
  // No prototype: a key such as `__proto__` is data here, never the object's prototype.
  const out = Object.create(null) as Attrs;
  if (!Array.isArray(list)) return out;
  const count = Math.min(list.length, MAX_ATTRIBUTES);
  for (let i = 0; i < count; i++) {
    const kv = list[i] as Message | null;
    if (typeof kv !== 'object' || kv === null || typeof kv.key !== 'string') continue;
    if (!has(out, kv.key)) out[kv.key] = anyValue(kv.value, depth);
  }
  return out;
}
