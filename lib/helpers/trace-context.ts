import { context, trace } from '@opentelemetry/api';
import { findTraceState, LlmCallInfo, PromptFetch } from '../processor/trace-store';

export type { LlmCallInfo, PromptFetch } from '../processor/trace-store';

/** What `getCurrentTraceContext()` returns: the shape of Infinium's own SDK trace context. */
export interface TraceContext {
  traceId: string;
  llmCalls: LlmCallInfo[];
  promptFetches: PromptFetch[];
}

/**
 * The LLM calls that have ended and the prompt fetches recorded so far in the active trace, or `undefined`
 * outside a trace. The calls are captured by `InfiniumSpanProcessor`: without it registered (or for a trace
 * whose root it did not see start) the lists are empty. Each list keeps at most 1000 entries per trace.
 */
export function getCurrentTraceContext(): TraceContext | undefined {
  try {
    const spanContext = trace.getSpanContext(context.active());
    if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
    const state = findTraceState(spanContext.traceId);
    return {
      traceId: spanContext.traceId,
      llmCalls: state?.llmCalls ? state.llmCalls.map((c) => ({ ...c })) : [],
      promptFetches: state?.promptFetches ? state.promptFetches.map((f) => ({ ...f })) : [],
    };
  } catch {
    return undefined;
  }
}
