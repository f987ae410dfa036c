import { asReportedNumber, asRecord } from './read';
import { tokenSum, type Usage } from './usage';

/**
 * OpenAI usage, in both of its spellings: Chat/Completions (`prompt_tokens`, `prompt_tokens_details`) and
 * Responses (`input_tokens`, `input_tokens_details`). Neutral (a record reader, not a provider's code): the
 * OpenAI adapter reads it, and so do the agent SDKs that carry OpenAI's usage in their own spans.
 */
export function readOpenAIUsage(value: unknown): Usage | undefined {
  const u = asRecord(value);
  if (!u) return undefined;
  const promptDetails = asRecord(u.prompt_tokens_details) ?? asRecord(u.input_tokens_details);
  const completionDetails = asRecord(u.completion_tokens_details) ?? asRecord(u.output_tokens_details);
  const prompt = asReportedNumber(u.prompt_tokens) ?? asReportedNumber(u.input_tokens);
  const completion = asReportedNumber(u.completion_tokens) ?? asReportedNumber(u.output_tokens);
  const total = asReportedNumber(u.total_tokens);
  const reasoning = asReportedNumber(completionDetails?.reasoning_tokens);
  return {
    prompt,
    completion: reasoningBeside(prompt, completion, reasoning, total) ? tokenSum(completion, reasoning) : completion,
    total,
    // DeepSeek's OpenAI-compatible API reports its cache hits beside the prompt count, not in the details.
    cacheRead: asReportedNumber(promptDetails?.cached_tokens) ?? asReportedNumber(u.prompt_cache_hit_tokens),
    promptAudio: asReportedNumber(promptDetails?.audio_tokens),
    reasoning,
    completionAudio: asReportedNumber(completionDetails?.audio_tokens),
  };
}

/**
 * OpenAI counts the reasoning inside `completion_tokens`; xAI (Grok) reports it beside them, its total
 * being prompt + completion + reasoning. Then the completion count takes the reasoning in, as OpenAI's and
 * Gemini's do (both are billed as output), so that the reasoning detail stays within its whole.
 */
function reasoningBeside(prompt: number | undefined, completion: number | undefined, reasoning: number | undefined, total: number | undefined): boolean {
  return prompt !== undefined && completion !== undefined && reasoning !== undefined && reasoning > 0 && total === prompt + completion + reasoning;
}
