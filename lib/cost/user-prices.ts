import fs from 'node:fs';
import { diag } from '@opentelemetry/api';
import type { ModelRates } from './rates';

/**
 * Prices a user gives (`INFINIUM_PRICES_FILE`, or the `prices` option), per model name, in USD per million
 * tokens. They win over the built-in table: a negotiated rate, a fine-tuned model, a model newer than the table.
 */
export interface UserModelPrice {
  input_per_mtok: number;
  output_per_mtok: number;
  cache_read_per_mtok?: number;
  cache_write_per_mtok?: number;
}

export type UserPrices = Readonly<Record<string, UserModelPrice>>;

const REQUIRED = ['input_per_mtok', 'output_per_mtok'] as const;
const OPTIONAL = ['cache_read_per_mtok', 'cache_write_per_mtok'] as const;

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * The valid entries of a user's map, as rates. A malformed map or entry is one warning naming where it came
 * from, and is left out: the built-in prices still apply.
 */
export function userRates(prices: unknown, source: string): Map<string, ModelRates> {
  const rates = new Map<string, ModelRates>();
  if (prices === undefined) return rates;
  if (prices === null || typeof prices !== 'object' || Array.isArray(prices)) {
    diag.warn(`@infinium/otel: ${source} is not a map of model names to prices; the built-in prices are used`);
    return rates;
  }
  const bad: string[] = [];
  for (const [model, entry] of Object.entries(prices as Record<string, unknown>)) {
    const e = entry as Record<string, unknown> | null;
    const valid = e !== null && typeof e === 'object' && REQUIRED.every((k) => isPrice(e[k])) && OPTIONAL.every((k) => e[k] === undefined || isPrice(e[k]));
    if (!valid) {
      bad.push(model);
      continue;
    }
    const price = e as unknown as UserModelPrice;
    rates.set(model, {
      input_mtok: price.input_per_mtok,
      output_mtok: price.output_per_mtok,
      cache_read_mtok: price.cache_read_per_mtok,
      cache_write_mtok: price.cache_write_per_mtok,
    });
  }
  if (bad.length > 0) {
    const shown = bad.slice(0, 5).map((m) => JSON.stringify(m)).join(', ');
    diag.warn(
      `@infinium/otel: ${source}: ${bad.length} entr${bad.length === 1 ? 'y' : 'ies'} (${shown}${bad.length > 5 ? ', …' : ''}) ignored: ` +
        'each needs input_per_mtok and output_per_mtok (and optionally cache_read_per_mtok, cache_write_per_mtok), non-negative numbers',
    );
  }
  return rates;
}

const fromFiles = new Map<string, Map<string, ModelRates>>();

/** The prices in the JSON file at `file`, read once per process (at start); unreadable or malformed → one warning, none. */
export function pricesFromFile(file: string): Map<string, ModelRates> {
  const known = fromFiles.get(file);
  if (known) return known;
  let rates = new Map<string, ModelRates>();
  try {
    rates = userRates(JSON.parse(fs.readFileSync(file, 'utf8')), `INFINIUM_PRICES_FILE (${file})`);
  } catch (err) {
    diag.warn(`@infinium/otel: INFINIUM_PRICES_FILE (${file}) could not be read as JSON (${(err as Error).message}); the built-in prices are used`);
  }
  fromFiles.set(file, rates);
  return rates;
}
