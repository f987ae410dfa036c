import type { Usage } from '../../record/call-record';
import { asReportedNumber, asRecord, isTokenCount } from '../../record/read';

/**
 * Anthropic usage (`Message.usage`, and the `usage` of `message_start` / `message_delta` stream events).
 * `input_tokens` leaves the cache out, so the prompt count is
 * `input_tokens + cache_creation_input_tokens + cache_read_input_tokens`; the cache counts also go into
 * the prompt details. Fields the object lacks stay as they were in `previous`, because a stream reports
 * the input side in `message_start` and the final `output_tokens` in `message_delta`.
 */
export function readAnthropicUsage(value: unknown, previous: Usage = {}): Usage {
  const u = asRecord(value);
  if (!u) return previous;
  const cacheRead = asReportedNumber(u.cache_read_input_tokens) ?? previous.cacheRead;
  const cacheWrite = asReportedNumber(u.cache_creation_input_tokens) ?? previous.cacheWrite;
  const input = asReportedNumber(u.input_tokens);
  const prompt = input !== undefined ? promptCount(input, cacheRead, cacheWrite) : previous.prompt;
  return {
    ...previous,
    prompt,
    completion: asReportedNumber(u.output_tokens) ?? previous.completion,
    cacheRead,
    cacheWrite,
  };
}

/**
 * The sum, when all three are token counts and so is the sum. Else NaN: the renderer then leaves the
 * prompt count out with a `diag` line, instead of a count that one bad field (-5, or two counts that add up
 * past what a double holds exactly) made wrong.
 */
function promptCount(input: number, cacheRead: number | undefined, cacheWrite: number | undefined): number {
  const sum = input + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const valid = isTokenCount(input) && (cacheRead === undefined || isTokenCount(cacheRead)) && (cacheWrite === undefined || isTokenCount(cacheWrite));
  return valid && isTokenCount(sum) ? sum : Number.NaN;
}
