import type { CallRecord } from '../record/call-record';
import type { AttributeSink } from './attribute-sink';
import { OI } from './attributes';

/**
 * A priced call's cost in OpenInference's keys (USD), in every convention: the GenAI conventions have no
 * cost keys, and none are invented in `gen_ai.*`. A call without a price gets none of them, never a 0.
 */
export function renderCost(out: AttributeSink, record: CallRecord): void {
  const cost = record.cost;
  if (!cost) return;
  out.put(OI.LLM_COST_PROMPT, cost.prompt);
  out.put(OI.LLM_COST_COMPLETION, cost.completion);
  out.put(OI.LLM_COST_TOTAL, cost.total);
  out.put(OI.LLM_COST_PROMPT_DETAILS_CACHE_READ, cost.cacheRead);
  out.put(OI.LLM_COST_PROMPT_DETAILS_CACHE_WRITE, cost.cacheWrite);
}
