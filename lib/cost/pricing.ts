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

/**
 * Prices LLM calls from their records: the user's prices first, then the table's. A model with no known
 * price gets no cost, never 0 and never a guess (`costOf` returns undefined).
 */
export class Pricing {
  constructor(private readonly user: ReadonlyMap<string, ModelRates>) {}

  /** What the call cost, from its final usage; undefined when the model has no price or the call no token counts. */
  costOf(record: CallRecord): CallCost | undefined {
    // A reranker is priced per search, not per token: no token price applies.
    if (record.kind === 'RERANKER') return undefined;
    const rates = this.ratesOf(record, record.responseModel) ?? this.ratesOf(record, record.requestModel);
    return rates ? costFromRates(record.usage, rates) : undefined;
  }

  private ratesOf(record: CallRecord, model: string | undefined): ModelRates | undefined {
    if (!model) return undefined;
    if (this.user.size > 0) {
      const own = this.user.get(model) ?? this.user.get(model.replace(SNAPSHOT_SUFFIX, ''));
      if (own) return own;
    }
    const listed = builtInRates(record.provider, model);
    if (listed || !SNAPSHOT_SUFFIX.test(model)) return listed;
    // A snapshot newer than the table (it lists each one it knows by name, at its own price when that differs)
    // prices as its model.
    return builtInRates(record.provider, model.replace(SNAPSHOT_SUFFIX, ''));
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
  preloadPriceTable();
  return new Pricing(user);
}

