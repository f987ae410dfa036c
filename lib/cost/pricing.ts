import { processEnv, readBoolean, readString, type Env } from '../config/env';
import type { CallCost, CallRecord } from '../record/call-record';
import { builtInRates, preloadPriceTable } from './price-table';
import { costFromRates, ModelRates } from './rates';
import { pricesFromFile, userRates, type UserModelPrice } from './user-prices';

export type { CallCost } from '../record/call-record';
export type { UserModelPrice } from './user-prices';

/** The cost options of the instrumentation and of the span processor. */
export interface CostOptions {
  /** `false` puts no `llm.cost.*` on any span and no `infinium.cost_usd` on roots. Env: `INFINIUM_COST` (default true). */
  cost?: boolean;
  /**
   * Prices per model name, in USD per million tokens; they win over `INFINIUM_PRICES_FILE` (same format),
   * which wins over the built-in table (@pydantic/genai-prices).
   */
  prices?: Record<string, UserModelPrice>;
}

/** A dated snapshot's suffix (`-2024-07-18`, `-20240718`, `@20240718`): a user's price for the model covers its snapshots. */
const SNAPSHOT_SUFFIX = /(?:-\d{4}-\d{2}-\d{2}|[-@]\d{8})$/;

/** Rates are looked up again after this long: a table entry can change with the date (a price that starts on a day). */
const RATES_LIFETIME_MS = 10 * 60 * 1000;
/** Models kept at most per provider, and providers: names from the wire (a GenAI span's) must not grow them forever. */
const MAX_MODELS = 1000;
const MAX_PROVIDERS = 64;

/** What one provider's model resolved to (its rates, or none), kept until `until`. */
interface Resolved {
  rates: ModelRates | undefined;
  until: number;
}

/**
 * Prices LLM calls from their records: the user's prices first, then the table's. A model with no known
 * price gets no cost, never 0 and never a guess (`costOf` returns undefined).
 */
export class Pricing {
  /**
   * Per provider, per model name, what the look-up found: a call then costs two map reads and a clock read,
   * with no key built (the table's own match takes 30–1,000 µs, bench/cost.ts).
   */
  private readonly resolved = new Map<string, Map<string, Resolved>>();

  constructor(private readonly user: ReadonlyMap<string, ModelRates>) {}

  /**
   * A model call has started: the price table loads soon, outside the call (while its request is on the
   * wire), so the call's end does not pay its first load. Not at start-up: an app that makes no model call
   * never loads it. Cheap after the first time.
   */
  prepare(): void {
    preloadPriceTable();
  }

  /** What the call cost, from its final usage; undefined when the model has no price or the call no token counts. */
  costOf(record: CallRecord): CallCost | undefined {
    // A reranker is priced per search, not per token: no token price applies.
    if (record.kind === 'RERANKER') return undefined;
    // The model that answered is the one billed. The requested name prices only a call whose answer names
    // none: an answering model the table lacks (a fine-tune) priced as the requested one would be a guess.
    const model = record.responseModel || record.requestModel;
    if (!model) return undefined;
    const rates = this.ratesOf(record.provider, model);
    return rates ? costFromRates(record.usage, rates) : undefined;
  }

  private ratesOf(provider: string, model: string): ModelRates | undefined {
    let models = this.resolved.get(provider);
    const known = models?.get(model);
    const now = Date.now();
    if (known && known.until > now) return known.rates;
    if (!models || models.size >= MAX_MODELS) {
      if (!models && this.resolved.size >= MAX_PROVIDERS) this.resolved.clear();
      this.resolved.set(provider, (models = new Map()));
    }
    const rates = this.lookUp(provider, model);
    models.set(model, { rates, until: now + RATES_LIFETIME_MS });
    return rates;
  }

  private lookUp(provider: string, model: string): ModelRates | undefined {
    const unDated = model.replace(SNAPSHOT_SUFFIX, '');
    const own = this.user.get(model) ?? this.user.get(unDated);
    if (own) return own;
    // The table lists each snapshot it knows by name, at its own price when that differs; a snapshot newer
    // than the table prices as its model.
    return builtInRates(provider, model) ?? (unDated !== model ? builtInRates(provider, unDated) : undefined);
  }
}

/**
 * The pricing in force: `undefined` when cost is off (`cost: false`, else `INFINIUM_COST=false`). The price
 * file is read here, once per process.
 */
export function resolvePricing(options: CostOptions = {}, env: Env = processEnv()): Pricing | undefined {
  if ((options.cost ?? readBoolean(env, 'INFINIUM_COST', true)) === false) return undefined;
  const file = readString(env, 'INFINIUM_PRICES_FILE');
  const user = new Map(file ? pricesFromFile(file) : []);
  for (const [model, rates] of userRates(options.prices, 'the prices option')) user.set(model, rates);
  return new Pricing(user);
}

