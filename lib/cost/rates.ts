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
  const prompt = usage.prompt ?? 0;
  const completion = usage.completion ?? 0;
  if (usage.prompt === undefined && usage.completion === undefined) return undefined;
  const cacheRead = Math.min(usage.cacheRead ?? 0, prompt);
  const cacheWrite = Math.min(usage.cacheWrite ?? 0, prompt - cacheRead);
  const promptAudio = Math.min(usage.promptAudio ?? 0, prompt - cacheRead - cacheWrite);
  const promptText = prompt - cacheRead - cacheWrite - promptAudio;
  const completionAudio = Math.min(usage.completionAudio ?? 0, completion);
  const completionText = completion - completionAudio;
  // The tier follows the whole prompt, as the table's own calculation does.
  const at = (price: MtokPrice | undefined, tokens: number): number | undefined => (tokens === 0 ? 0 : priceOf(price, prompt, tokens));
  const parts = {
    text: at(rates.input_mtok, promptText),
    cacheRead: at(rates.cache_read_mtok ?? rates.input_mtok, cacheRead),
    cacheWrite: at(rates.cache_write_mtok ?? rates.input_mtok, cacheWrite),
    promptAudio: at(rates.input_audio_mtok ?? rates.input_mtok, promptAudio),
    completionText: at(rates.output_mtok, completionText),
    completionAudio: at(rates.output_audio_mtok ?? rates.output_mtok, completionAudio),
  };
  if (Object.values(parts).some((p) => p === undefined)) return undefined;
  const p = parts as Record<keyof typeof parts, number>;
  const promptCost = usd(p.text + p.cacheRead + p.cacheWrite + p.promptAudio);
  const completionCost = usd(p.completionText + p.completionAudio);
  const cost: CallCost = { prompt: promptCost, completion: completionCost, total: usd(promptCost + completionCost) };
  if (usage.cacheRead !== undefined && usage.cacheRead > 0) cost.cacheRead = usd(p.cacheRead);
  if (usage.cacheWrite !== undefined && usage.cacheWrite > 0) cost.cacheWrite = usd(p.cacheWrite);
  return cost;
}

/** `tokens` at `price` per million, the tier chosen by the prompt's size (`promptTokens` past a tier's start). */
function priceOf(price: MtokPrice | undefined, promptTokens: number, tokens: number): number | undefined {
  if (price === undefined) return undefined;
  let perMillion: number;
  if (typeof price === 'number') {
    perMillion = price;
  } else {
    perMillion = price.base;
    for (const tier of price.tiers) if (promptTokens > tier.start) perMillion = tier.price;
  }
  return Number.isFinite(perMillion) && perMillion >= 0 ? (tokens * perMillion) / 1e6 : undefined;
}

/** Dollars to 12 decimals: no float residue (`0.00030500000000000004`) on the span. */
function usd(value: number): number {
  return Math.round(value * 1e12) / 1e12;
}
