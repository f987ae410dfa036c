import { diag } from '@opentelemetry/api';

/**
 * Environment parsing shared by the masking config, the instrumentation and the register entry.
 * A bad value never throws: it is reported once through `diag` and the default is used.
 */
export type Env = Record<string, string | undefined>;

const warned = new Set<string>();

/** Reports an invalid value once per process (per variable and value), naming the default used instead. */
export function warnOnce(name: string, raw: string, fallback: unknown): void {
  const key = `${name}=${raw}`;
  if (warned.has(key)) return;
  warned.add(key);
  diag.warn(`@infinium/otel: ignoring ${name}=${JSON.stringify(raw)}; using the default (${String(fallback)})`);
}

function rawValue(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * `true`/`false`/`1`/`0`/`yes`/`no`/`on`/`off`, any case. Unset or empty gives `undefined`. `fallback` is
 * the default the caller uses instead: the warning about an invalid value names it.
 */
export function readBoolean(env: Env, name: string, fallback?: boolean): boolean | undefined {
  const raw = rawValue(env, name);
  if (raw === undefined) return undefined;
  switch (raw.toLowerCase()) {
    case 'true': case '1': case 'yes': case 'on': return true;
    case 'false': case '0': case 'no': case 'off': return false;
    default:
      warnOnce(name, raw, fallback ?? 'unset');
      return undefined;
  }
}

/**
 * A non-negative integer (a positive one with `min: 1`). Unset, empty or invalid gives `undefined`;
 * invalid is warned about, naming `fallback`, the default the caller uses instead.
 */
export function readInteger(env: Env, name: string, fallback?: number, min = 0): number | undefined {
  const raw = rawValue(env, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    warnOnce(name, raw, fallback ?? 'unset');
    return undefined;
  }
  return value;
}

/** A comma-separated list, lower-cased, blanks removed. */
export function readList(env: Env, name: string): string[] | undefined {
  const raw = rawValue(env, name);
  if (raw === undefined) return undefined;
  return raw.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
}

export function readString(env: Env, name: string): string | undefined {
  return rawValue(env, name);
}

/** The process environment, or an empty one where `process` is not there (bundled for an edge runtime). */
export function processEnv(): Env {
  return typeof process !== 'undefined' && process.env ? process.env : {};
}
