import { diag } from '@opentelemetry/api';
import type { ModelRates } from './rates';

/**
 * The built-in prices: `@pydantic/genai-prices` (MIT, no dependencies, updated often), the maintained table
 * this package prices from. Its `calcPrice` matches the model against every pattern of the provider on each
 * call (30–1,000 µs), so `Pricing` keeps the rates it finds per provider and model.
 */
interface PriceTable {
  findProvider(options: { providerId: string }): { id: string } | undefined;
  calcPrice(usage: Record<string, number>, model: string, options: { providerId: string }): { model_price: Record<string, unknown> } | null;
}

/** Our provider names where the table's ids differ; every other provider is looked up under its own name. */
const TABLE_PROVIDER: Readonly<Record<string, string>> = { xai: 'x-ai', mistralai: 'mistral', 'gcp.vertex_ai': 'google', 'gcp.gemini': 'google' };

let table: PriceTable | null | undefined;
let preloading = false;

/** The table (480 KB), loaded when the first model call starts (`preloadPriceTable`), else at the first priced call; with cost off, never. */
function priceTable(): PriceTable | undefined {
  if (table === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      table = require('@pydantic/genai-prices') as PriceTable;
    } catch (err) {
      diag.warn('@infinium/otel: the price table (@pydantic/genai-prices) could not be loaded; no built-in prices', err);
      table = null;
    }
  }
  return table ?? undefined;
}

/**
 * Loads the table soon, outside any call: its first load (about 40 ms of CPU) would otherwise land in the
 * end of the app's first priced call, a stream's last read included. Once per process; it never keeps the
 * process alive.
 */
export function preloadPriceTable(): void {
  if (table !== undefined || preloading) return;
  preloading = true;
  try {
    setImmediate(() => priceTable()).unref();
  } catch (err) {
    diag.debug('@infinium/otel: could not schedule the price table load', err);
  }
}

/**
 * The table's rates for `model` served by `provider`, or `undefined` when the table has no price for it.
 * Slow (the table matches the model against each pattern of the provider): `Pricing` keeps what it finds.
 */
export function builtInRates(provider: string, model: string): ModelRates | undefined {
  const providerId = Object.hasOwn(TABLE_PROVIDER, provider) ? TABLE_PROVIDER[provider] : provider;
  const prices = priceTable();
  if (!prices) return undefined;
  try {
    // Only a provider the table names exactly: its fuzzy match would price an unknown OpenAI-compatible host
    // (`openai-compatible`) at OpenAI's rates, a guess.
    if (prices.findProvider({ providerId })?.id !== providerId) return undefined;
    // A probe usage: only the matched model's price in force today is wanted, not this figure.
    const found = prices.calcPrice({ input_tokens: 1, output_tokens: 1 }, model, { providerId });
    return found ? (found.model_price as ModelRates) : undefined;
  } catch (err) {
    diag.debug(`@infinium/otel: no price for ${model} (${providerId})`, err);
    return undefined;
  }
}
