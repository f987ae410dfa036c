import type { CallRecord, Usage } from '../../record/call-record';
import { asReportedNumber, asRecord } from '../../record/read';

/**
 * OpenAI usage, in both of its spellings: Chat/Completions (`prompt_tokens`, `prompt_tokens_details`) and
 * Responses (`input_tokens`, `input_tokens_details`).
 */
export function readOpenAIUsage(value: unknown): Usage | undefined {
  const u = asRecord(value);
  if (!u) return undefined;
  const promptDetails = asRecord(u.prompt_tokens_details) ?? asRecord(u.input_tokens_details);
  const completionDetails = asRecord(u.completion_tokens_details) ?? asRecord(u.output_tokens_details);
  return {
    prompt: asReportedNumber(u.prompt_tokens) ?? asReportedNumber(u.input_tokens),
    completion: asReportedNumber(u.completion_tokens) ?? asReportedNumber(u.output_tokens),
    total: asReportedNumber(u.total_tokens),
    cacheRead: asReportedNumber(promptDetails?.cached_tokens),
    promptAudio: asReportedNumber(promptDetails?.audio_tokens),
    reasoning: asReportedNumber(completionDetails?.reasoning_tokens),
    completionAudio: asReportedNumber(completionDetails?.audio_tokens),
  };
}

/** Every OpenAI stream chunk may name the model; the last one carries usage when `include_usage` is set. */
export function readChunkModelAndUsage(record: CallRecord, chunk: Record<string, unknown>): void {
  if (typeof chunk.model === 'string') record.responseModel = chunk.model;
  if (typeof chunk.id === 'string') record.responseId = chunk.id;
  if (chunk.usage) record.usage = readOpenAIUsage(chunk.usage) ?? record.usage;
}
