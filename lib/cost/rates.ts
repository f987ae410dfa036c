import type { CallCost } from '../record/call-record';
import type { Usage } from '../record/usage';

/**
 * A model's prices in USD per million tokens, in the price table's own terms (`@pydantic/genai-prices`'
 * `input_mtok`, `cache_read_mtok`, …): a flat price, or tiers chosen by the request's prompt size (Gemini's
 * and Claude's long-context rates).
 */
export type MtokPrice = number | { base: number; tiers: ReadonlyArray<{ start: number; price: number }> };

export interface ModelRates {
  input_mtok?: MtokPrice;
  output_mtok?: MtokPrice;
  cache_read_mtok?: MtokPrice;
  cache_write_mtok?: MtokPrice;
  /** Anthropic's 1-hour cache writes; absent, they are priced as the other writes. */
  cache_write_1h_mtok?: MtokPrice;
  input_audio_mtok?: MtokPrice;
  output_audio_mtok?: MtokPrice;
}

/**
 * The cost of `usage` at `rates`, or `undefined` when a part of the usage has no price (never a guess).
 * The record's usage is provider-neutral (lib/record/usage.ts): `prompt` includes the cache reads, cache
 * writes and audio tokens, and `completion` includes reasoning and audio, for every provider (Anthropic's and
 * Bedrock's adapters add the cache parts to `input_tokens`, OpenAI's `prompt_tokens` already holds them).
 * So each part is taken out of its whole and priced at its own rate; the rest is text at the base rate.
 */
export function costFromRates(usage: Usage, rates: ModelRates): CallCost | undefined {
  if (usage.prompt === undefined && usage.completion === undefined) return undefined;
  const prompt = usage.prompt ?? 0;
  const completion = usage.completion ?? 0;
  const cacheRead = Math.min(usage.cacheRead ?? 0, prompt);
  const cacheWrite = Math.min(usage.cacheWrite ?? 0, prompt - cacheRead);
  const promptAudio = Math.min(usage.promptAudio ?? 0, prompt - cacheRead - cacheWrite);
  const completionAudio = Math.min(usage.completionAudio ?? 0, completion);
  // Each part at its own rate (the base rate where the table lists none, as its own calculation does); the
  // tier follows the whole prompt. NaN (a part with no price at all) spreads to the sums: no cost then.
  const readCost = priceOf(rates.cache_read_mtok ?? rates.input_mtok, prompt, cacheRead);
  // Anthropic's 1-hour writes at their own rate, the rest at the (5-minute) write rate.
  const writes1h = Math.min(usage.cacheWrite1h ?? 0, cacheWrite);
  const writeRate = rates.cache_write_mtok ?? rates.input_mtok;
  const writeCost = priceOf(writeRate, prompt, cacheWrite - writes1h) + priceOf(rates.cache_write_1h_mtok ?? writeRate, prompt, writes1h);
  const promptCost =
    priceOf(rates.input_mtok, prompt, prompt - cacheRead - cacheWrite - promptAudio) +
    readCost +
    writeCost +
    priceOf(rates.input_audio_mtok ?? rates.input_mtok, prompt, promptAudio);
  const completionCost =
    priceOf(rates.output_mtok, prompt, completion - completionAudio) + priceOf(rates.output_audio_mtok ?? rates.output_mtok, prompt, completionAudio);
  if (Number.isNaN(promptCost + completionCost)) return undefined;
  const promptUsd = usd(promptCost);
  const completionUsd = usd(completionCost);
  const cost: CallCost = { prompt: promptUsd, completion: completionUsd, total: usd(promptUsd + completionUsd) };
  if (cacheRead > 0) cost.cacheRead = usd(readCost);
  if (cacheWrite > 0) cost.cacheWrite = usd(writeCost);
  return cost;
}

/**
 * `tokens` at `price` per million, the tier chosen by the prompt's size (`promptTokens` past a tier's start);
 * 0 for no tokens, NaN for tokens with no valid price.
 */
function priceOf(price: MtokPrice | undefined, promptTokens: number, tokens: number): number {
  if (tokens === 0) return 0;
  if (price === undefined) return Number.NaN;
  let perMillion: number;
  if (typeof price === 'number') {
    perMillion = price;
  } else {
    perMillion = price.base;
    for (const tier of price.tiers) if (promptTokens > tier.start) perMillion = tier.price;
  }
  return Number.isFinite(perMillion) && perMillion >= 0 ? (tokens * perMillion) / 1e6 : Number.NaN;
}

/** Dollars to 12 decimals: no float residue (`0.00030500000000000004`) on the span or the root. */
export function usd(value: number): number {
  return Math.round(value * 1e12) / 1e12;
}
