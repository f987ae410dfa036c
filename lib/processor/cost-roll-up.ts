import type { Attributes } from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';
import type { Span } from '../compat/sdk-types';
import { usd } from '../cost/rates';
import { asNumber } from '../record/read';
import { COST_SOURCE_REPORTED, INFINIUM, OI } from '../semconv/attributes';
import type { TraceState } from './trace-store';

/**
 * Adds one model call's cost to its trace: `llm.cost.total` where the call was priced, else one more
 * unpriced call, so that a root's total is never silently partial. A failed call that reported no tokens
 * (a 429 before any work) cost nothing and is neither.
 */
export function noteCallCost(state: TraceState, span: Span): void {
  const a = span.attributes;
  const total = asNumber(a[OI.LLM_COST_TOTAL]);
  if (total !== undefined && total >= 0) {
    state.costUsd += total;
    return;
  }
  const counted = a[OI.LLM_TOKEN_COUNT_PROMPT] !== undefined || a[OI.LLM_TOKEN_COUNT_COMPLETION] !== undefined;
  if (!counted && span.status.code === SpanStatusCode.ERROR) return;
  state.unpricedCallCount++;
}

/** The root's cost keys: the sum (to 12 decimals, no float residue) and the unpriced count. */
export function costRollUp(state: TraceState): Attributes {
  return {
    [INFINIUM.COST_USD]: usd(state.costUsd),
    [INFINIUM.UNPRICED_LLM_CALL_COUNT]: state.unpricedCallCount,
  };
}

/**
 * A framework run that carries the cost the framework reported for model calls made out of our sight (the
 * Claude Code CLI's, in its own process): counted in the root's cost like a priced call.
 */
export function reportsCost(span: Span): boolean {
  return span.attributes[INFINIUM.COST_SOURCE] === COST_SOURCE_REPORTED;
}
