import { readAnthropicUsage } from '../../record/anthropic-usage';
import { asRecord, asReportedNumber, type Json } from '../../record/read';
import type { RunModelUsage } from '../../record/run-record';
import { saneUsage, tokenSum, type Usage } from '../../record/usage';

/**
 * The tokens and cost a `result` message reports for the model calls the CLI made in its own process.
 *
 * `modelUsage` counts every call of the `query()` (the main loop, subagents, compaction), per model, with
 * its cost, cumulative across the turns of a streaming-input session; `usage` counts the main loop's calls of
 * the last turn only (the SDK's own documentation says so and points to `modelUsage` for accounting). So the
 * run's tokens are the sum over `modelUsage`, and `usage` only stands in for a result without it.
 *
 * Both count the prompt as Anthropic does, without the cache: the prompt here is input + cache reads + cache
 * writes, as for every Anthropic call we record.
 */

/** `modelUsage` (`{ [model]: ModelUsage }`) as one entry per model, in the order reported. */
export function modelUsageList(value: unknown): RunModelUsage[] {
  const byModel = asRecord(value);
  if (!byModel) return [];
  const list: RunModelUsage[] = [];
  for (const [model, entry] of Object.entries(byModel)) {
    const u = asRecord(entry);
    if (!u) continue;
    const cost = u.costUSD;
    list.push({ model, usage: modelUsageTokens(u), ...(typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? { costUsd: cost } : {}) });
  }
  return list;
}

/** The run's tokens: the sum over the models, else the result's own (main-loop) `usage`. */
export function resultUsage(modelUsage: readonly RunModelUsage[], usage: unknown): Usage | undefined {
  if (modelUsage.length > 0) return modelUsage.map((m) => m.usage).reduce(addUsage);
  if (!asRecord(usage)) return undefined;
  const read = readAnthropicUsage(usage);
  return withTotal(read);
}

/** One model's `ModelUsage` (camelCase counts). */
function modelUsageTokens(u: Json): Usage {
  return tokens({
    input: asReportedNumber(u.inputTokens),
    output: asReportedNumber(u.outputTokens),
    cacheRead: asReportedNumber(u.cacheReadInputTokens),
    cacheWrite: asReportedNumber(u.cacheCreationInputTokens),
    cacheWrite1h: asReportedNumber(u.cacheCreationEphemeral1hInputTokens),
    // Thinking tokens are already inside the output count, as reasoning tokens are in a completion.
    reasoning: asReportedNumber(u.thinkingTokens),
  });
}

interface Counts {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  cacheWrite1h?: number;
  reasoning?: number;
}

/** Anthropic-style counts as the neutral usage (only the fields reported), every count checked. */
function tokens(c: Counts): Usage {
  const prompt = c.input !== undefined ? tokenSum(c.input, c.cacheRead, c.cacheWrite) : undefined;
  return withTotal({
    prompt, completion: c.output, cacheRead: c.cacheRead, cacheWrite: c.cacheWrite, cacheWrite1h: c.cacheWrite1h, reasoning: c.reasoning,
  });
}

/** The counts with their total (prompt + completion), in the neutral order, sane and without undefined fields. */
function withTotal(u: Usage): Usage {
  const total = u.prompt !== undefined && u.completion !== undefined ? tokenSum(u.prompt, u.completion) : undefined;
  return saneUsage(defined({
    prompt: u.prompt, completion: u.completion, total, cacheRead: u.cacheRead, cacheWrite: u.cacheWrite, cacheWrite1h: u.cacheWrite1h, reasoning: u.reasoning,
  }));
}

/** Field by field; a field one side lacks is the other's. */
function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {};
  for (const key of Object.keys({ ...a, ...b }) as Array<keyof Usage>) sum[key] = tokenSum(a[key], b[key]);
  return saneUsage(defined(sum));
}

/** The usage without its undefined fields: `infinium.model_usage` is JSON, where they would show as gaps. */
function defined(usage: Usage): Usage {
  const out: Usage = {};
  for (const [key, value] of Object.entries(usage) as Array<[keyof Usage, number | undefined]>) if (value !== undefined) out[key] = value;
  return out;
}
