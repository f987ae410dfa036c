import type { Attributes } from '@opentelemetry/api';
import { parentSpanContextOf } from '../compat/otel-line';
import type { Span } from '../compat/sdk-types';
import type { Conventions } from '../config/semconv';
import type { Pricing } from '../cost/pricing';
import type { TraceConfig } from '../masking/trace-config';
import type { CallRecord } from '../record/call-record';
import { INFINIUM, OI } from '../semconv/attributes';
import type * as RenderRun from '../semconv/render-run';
import type { TraceState } from './trace-store';

/**
 * A run that reports the usage of the model calls beneath it (Mastra's model loop: the sum of its requests)
 * when the calls' own spans carry none (Mastra's streamed requests): the tokens and their cost are counted
 * once, on the run, never twice nor not at all.
 */

const TOKEN_KEYS = [INFINIUM.PROMPT_TOKENS, INFINIUM.COMPLETION_TOKENS, OI.LLM_TOKEN_COUNT_PROMPT, OI.LLM_TOKEN_COUNT_COMPLETION];

/** Notes an LLM span under its parent: one more call there, and whether it carried a token count. */
export function noteCallUnderParent(state: TraceState, span: Span): void {
  const parent = parentSpanContextOf(span)?.spanId;
  if (parent === undefined) return;
  const tokenless = TOKEN_KEYS.every((key) => span.attributes[key] === undefined);
  state.noteCallUnder(parent, tokenless);
}

/**
 * The run's usage, with its cost (marked reported, so the root counts it), when every LLM span that ended under
 * it carried no token count; those calls then no longer count as unpriced. Nothing otherwise.
 */
export function callsUsageAttributes(
  state: TraceState, span: Span, record: CallRecord, pricing: Pricing | undefined, config: TraceConfig, conventions: Conventions,
): Attributes {
  const under = state.callsUnder?.get(span.spanContext().spanId);
  if (!under || under.tokenless === 0 || under.tokenless !== under.calls) return {};
  const cost = pricing?.costOf(record)?.total;
  const model = record.responseModel || record.requestModel;
  if (cost !== undefined) state.unpricedCallCount = Math.max(0, state.unpricedCallCount - under.tokenless);
  // The run renderer loads only when a run reports its calls' usage (Mastra's streamed turns), not at start-up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderRunRecord } = require('../semconv/render-run') as typeof RenderRun;
  return renderRunRecord({ kind: 'CHAIN', name: span.name, startedAt: 0, usage: record.usage, reportedCostUsd: cost, model }, config, conventions);
}
