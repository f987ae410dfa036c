import type { CallRecord } from '../../record/call-record';
import { readOpenAIUsage as readUsage } from '../../record/openai-usage';

/** The OpenAI usage reader (lib/record/openai-usage.ts), a plain binding for the adapter's call paths. */
export const readOpenAIUsage = readUsage;

/** Every OpenAI stream chunk may name the model; the last one carries usage when `include_usage` is set. */
export function readChunkModelAndUsage(record: CallRecord, chunk: Record<string, unknown>): void {
  if (typeof chunk.model === 'string') record.responseModel = chunk.model;
  if (typeof chunk.id === 'string') record.responseId = chunk.id;
  if (chunk.usage) record.usage = readOpenAIUsage(chunk.usage) ?? record.usage;
}
