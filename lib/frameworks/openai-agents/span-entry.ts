import { diag, type Context } from '@opentelemetry/api';
import { LlmCall, type CallRuntime } from '../../instrumentation/llm-call';
import type { OfferedCall } from '../../instrumentation/run-scope';
import { runSpanName } from '../../semconv/render-run';
import { DEFAULT_CONVENTIONS } from '../../config/semconv';
import { RunSpan } from '../run-span';
import { getModelCallRecord } from './model-call';
import type { SdkSpan, SdkSpanData, SdkSpanError } from './sdk-shapes';
import { completeRecord, getSpanFailure, getStartRecord, MODEL_SPAN_TYPES } from './span-records';

/*
 * What one SDK span becomes, from its start to its end: a run span, or an offer for a model request that our
 * LLM span claims, else rendered here from the SDK's data. The bridge (bridge.ts) keeps the entries and
 * their traces; these functions start and end the spans of one entry.
 */

/** What the bridge knows of one SDK span, from its start until its trace ends. */
export interface SpanEntry {
  readonly traceId: string;
  readonly parentId: string | null;
  readonly type: string | undefined;
  /** `performance.now()` when we first saw it. */
  readonly startedAt: number;
  /** Its span: for the types rendered as runs (task, agent, function, handoff, guardrail, custom, mcp_tools). */
  readonly run?: RunSpan;
  /** Model requests (response, generation): what our SDK span of the request claims; unclaimed, we render it. */
  readonly offer?: OfferedCall;
  /** Where a model request rendered by us starts: its nearest rendered ancestor, outside any run scope. */
  readonly parent: Context;
  /** The SDK's data of the span (the SDK fills it in place while the span runs). */
  readonly data: SdkSpanData;
  ended: boolean;
}

/** A run span for the types rendered as runs, an offer for a model request, nothing for the other types. */
export function startEntrySpan(runtime: CallRuntime, type: string | undefined, data: SdkSpanData, startedAt: number, parent: Context): Pick<SpanEntry, 'run' | 'offer'> {
  if (type !== undefined && MODEL_SPAN_TYPES.has(type)) return { offer: { attributes: {}, claims: 0 } };
  const record = getStartRecord(type, data, startedAt);
  return record ? { run: RunSpan.start(runtime, record, parent) } : {};
}

/** The SDK's span ended: its run span takes the SDK's final data and ends, failed when the SDK's span did. */
export function endRunSpan(runtime: CallRuntime, run: RunSpan, type: string | undefined, span: SdkSpan): void {
  try {
    completeRecord(run.record, type, span.spanData);
    renameIfNeeded(runtime, run);
  } catch (err) {
    // The span ends with what its start said: it must end whatever the SDK's data holds.
    diag.debug('@infinium/otel: could not read an OpenAI Agents span at its end', err);
  }
  if (span.error) run.fail(getSpanFailure(span.error));
  else run.end();
}

/**
 * A model request no SDK call of ours served: its one LLM span, from the SDK's data, started when the
 * request did; ended as the SDK's span did (`error`), or abandoned with its trace (`'abandoned'`).
 */
export function renderUnclaimed(runtime: CallRuntime, entry: SpanEntry, outcome: SdkSpanError | 'abandoned' | undefined): void {
  if (!entry.offer || entry.offer.claims > 0) return;
  let record;
  try {
    record = getModelCallRecord(entry.type, entry.data, entry.startedAt);
  } catch (err) {
    diag.debug('@infinium/otel: could not read an OpenAI Agents model request', err);
    return;
  }
  const call = new LlmCall(runtime, record, entry.parent, true);
  try {
    // A response span does not say the model asked for: the span is named after the model that answered.
    if (!record.requestModel && record.responseModel) call.span.updateName(`${record.operation} ${record.responseModel}`);
  } catch (err) {
    diag.debug('@infinium/otel: could not name an OpenAI Agents model request span', err);
  }
  if (outcome === 'abandoned') call.abandon();
  else if (outcome) call.fail(getSpanFailure(outcome));
  else call.succeed();
}

/** An entry still open whose end will never come (its trace is over, the instrumentation disabled): it ends abandoned. */
export function abandonEntry(runtime: CallRuntime, entry: SpanEntry): void {
  entry.ended = true;
  if (entry.offer) renderUnclaimed(runtime, entry, 'abandoned');
  else entry.run?.abandon();
}

/** A handoff learns its target while it runs: its span takes the name then. */
function renameIfNeeded(runtime: CallRuntime, run: RunSpan): void {
  if (run.record.kind === 'TOOL' && run.record.handoff) run.span.updateName(runSpanName(run.record, runtime.conventions ?? DEFAULT_CONVENTIONS));
}
