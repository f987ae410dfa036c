import { asReportedNumber, asRecord } from './read';
import { tokenSum, type Usage } from './usage';

/**
 * Anthropic usage (`Message.usage`, and the `usage` of `message_start` / `message_delta` stream events; the
 * Claude Agent SDK's `result` messages carry the same shape). Neutral: the Anthropic adapter and the Claude
 * Agent SDK's room both read it.
 * `input_tokens` leaves the cache out, so the prompt count is
 * `input_tokens + cache_creation_input_tokens + cache_read_input_tokens` (of sane parts only, `tokenSum`);
 * the cache counts also go into the prompt details. Fields the object lacks stay as they were in
 * `previous`, because a stream reports the input side in `message_start` and the final `output_tokens` in
 * `message_delta`.
 */
export function readAnthropicUsage(value: unknown, previous: Usage = {}): Usage {
  const u = asRecord(value);
  if (!u) return previous;
  const cacheRead = asReportedNumber(u.cache_read_input_tokens) ?? previous.cacheRead;
  const cacheWrite = asReportedNumber(u.cache_creation_input_tokens) ?? previous.cacheWrite;
  // The writes' split by lifetime: the 1-hour ones cost more than the 5-minute ones.
  const cacheWrite1h = asReportedNumber(asRecord(u.cache_creation)?.ephemeral_1h_input_tokens) ?? previous.cacheWrite1h;
  const input = asReportedNumber(u.input_tokens);
  const prompt = input !== undefined ? tokenSum(input, cacheRead, cacheWrite) : previous.prompt;
  return {
    ...previous,
    prompt,
    completion: asReportedNumber(u.output_tokens) ?? previous.completion,
    cacheRead,
    cacheWrite,
    cacheWrite1h,
  };
}

