import { diag, type Context, type Span } from '@opentelemetry/api';
import type { CallRuntime } from '../../instrumentation/llm-call';
import type { OfferedCall } from '../../instrumentation/run-scope';
import type { RunSpan } from '../run-span';
import { appContext } from './agents-scope';
import { isNoop, spanType, type SdkSpan, type SdkTrace } from './sdk-shapes';
import { abandonEntry, endRunSpan, renderUnclaimed, startEntrySpan, type SpanEntry } from './span-entry';

/**
 * A trace we follow: its starts not yet ended. The SDK may start one trace id more than once (a resumed
 * RunState, runs sharing a run config's `traceId`): one start's end, or its collection, must not end the
 * spans of another still running.
 */
interface TraceEntry {
  readonly starts: Set<object>;
}

/** A parentId chain longer than this is a cycle (the SDK's nesting is a few levels deep). */
const MAX_DEPTH = 256;

/**
 * The OpenAI Agents SDK's own tracing, bridged to OTel spans: the SDK's trace processor events (seen first
 * through the patched `MultiTracingProcessor`) start and end our spans, keyed by the SDK's span id; the
 * SDK's current span (read through its context storage, agents-scope.ts) says which of them is the parent
 * of anything started inside it, our LLM spans included. Nothing here throws into the SDK: each event is
 * guarded where it is received (patches.ts).
 */
export class AgentsBridge {
  private readonly spans = new Map<string, SpanEntry>();
  /** The traces whose start we saw: a lookup makes entries only for their spans. */
  private readonly traces = new Map<string, TraceEntry>();
  /** Which start each SDK trace object made (weakly: the trace is the SDK's). */
  private readonly traceStarts = new WeakMap<object, object>();
  /**
   * The SDK ends no trace whose work fails (a `withTrace` body that throws, a failed run): once no code can
   * reach the trace any more, it is let go of, and a span of it still open (started, never ended) ends.
   */
  private readonly collectedTraces = new FinalizationRegistry<{ traceId: string; start: object }>((held) => this.traceCollected(held.traceId, held.start));

  constructor(private readonly runtime: CallRuntime) {}

  onTraceStart(trace: SdkTrace): void {
    if (isNoop({ traceId: trace.traceId })) return;
    const start = {};
    const entry = this.traces.get(trace.traceId);
    if (entry) entry.starts.add(start);
    else this.traces.set(trace.traceId, { starts: new Set([start]) });
    this.traceStarts.set(trace, start);
    this.collectedTraces.register(trace, { traceId: trace.traceId, start });
  }

  /** The trace is over: every span of it still open is abandoned, so that each span ends. */
  onTraceEnd(trace: SdkTrace): void {
    this.endStart(trace.traceId, this.traceStarts.get(trace));
  }

  onSpanStart(span: SdkSpan): void {
    this.entryOf(span, false);
  }

  onSpanEnd(span: SdkSpan): void {
    const entry = this.spans.get(span.spanId);
    if (!entry || entry.ended) return;
    entry.ended = true;
    if (entry.offer) renderUnclaimed(this.runtime, entry, span.error ?? undefined);
    else if (entry.run) endRunSpan(this.runtime, entry.run, entry.type, span);
    // The SDK ends no trace after a run that fails (a tripwire, a model error): the end of a span with no
    // parent of ours (its top span, or a span of a run we were enabled in the middle of) lets go of a trace
    // that is all done.
    if (entry.parentId === null || !this.spans.has(entry.parentId)) this.forgetTrace(entry.traceId, false);
  }

  // A finalizer must never throw.
  private traceCollected(traceId: string, start: object): void {
    try {
      this.endStart(traceId, start);
    } catch (err) {
      diag.debug('@infinium/otel: could not let go of an OpenAI Agents trace', err);
    }
  }

  /** One start of the trace is over: once none of its id is left, its spans still open are abandoned. */
  private endStart(traceId: string, start: object | undefined): void {
    const entry = this.traces.get(traceId);
    if (entry && start) entry.starts.delete(start);
    if (!entry || entry.starts.size === 0) this.forgetTrace(traceId, true);
  }

  /**
   * The instrumentation is disabled: the SDK's events stop reaching us, so every span still open ends now,
   * abandoned, and nothing is kept (a run in flight goes on untraced).
   */
  abandonAll(): void {
    for (const entry of this.spans.values()) if (!entry.ended) abandonEntry(this.runtime, entry);
    this.spans.clear();
    this.traces.clear();
  }

  /** Drops a trace's spans: at its end, abandoning those still open; else only once every one has ended. */
  private forgetTrace(traceId: string, abandonOpen: boolean): void {
    const ids: string[] = [];
    for (const [spanId, entry] of this.spans) {
      if (entry.traceId !== traceId) continue;
      if (!entry.ended && !abandonOpen) return;
      ids.push(spanId);
    }
    for (const id of ids) {
      const entry = this.spans.get(id);
      if (entry && !entry.ended) abandonEntry(this.runtime, entry);
      this.spans.delete(id);
    }
    this.traces.delete(traceId);
  }

  /** The OTel span that stands for `span` to what starts inside it: its own, else its nearest rendered ancestor's. */
  spanFor(span: SdkSpan | undefined): Span | undefined {
    return span ? this.nearest(span, (e) => e.run !== undefined)?.run?.span : undefined;
  }

  /** For our SDK patch's LLM span: the SDK's model request it is made inside, claimed (the SDK's span is then not rendered). */
  claim(span: SdkSpan | undefined): OfferedCall | undefined {
    if (!span) return undefined;
    const offer = this.entryOf(span)?.offer;
    if (offer) offer.claims++;
    return offer;
  }

  /** The nearest run of `type` from `span` up (the current agent, its task), if it is still running. */
  runOf(span: SdkSpan | undefined, type: string): RunSpan | undefined {
    const run = span ? this.nearest(span, (e) => e.type === type)?.run : undefined;
    return run && !run.isEnded ? run : undefined;
  }

  /**
   * The entry of `span`, made the first time it is seen: at its start, or before, when a lookup meets the
   * current span of a trace we saw start before the SDK's start event reached us. Never for an ended span,
   * nor from a lookup in a trace we do not follow (its span would have no end event to end it).
   */
  private entryOf(span: SdkSpan, fromLookup = true): SpanEntry | undefined {
    const known = this.spans.get(span.spanId);
    if (known || isNoop(span) || span.endedAt) return known;
    if (fromLookup && !this.traces.has(span.traceId)) return undefined;
    const type = spanType(span);
    const startedAt = performance.now();
    const parent = this.parentContext(span);
    const data = span.spanData;
    const entry: SpanEntry = { traceId: span.traceId, parentId: span.parentId, type, startedAt, parent, data, ended: false, ...startEntrySpan(this.runtime, type, data, startedAt, parent) };
    this.spans.set(span.spanId, entry);
    return entry;
  }

  /**
   * The context of the nearest rendered ancestor, else the app's where the span starts: a run's top span
   * hangs on the app's span active where the app called the SDK (inside its own `withTrace` too).
   */
  private parentContext(span: SdkSpan): Context {
    const ancestor = span.parentId ? this.nearestFromId(span.parentId, (e) => e.run !== undefined) : undefined;
    return ancestor?.run ? ancestor.run.context : appContext();
  }

  private nearest(span: SdkSpan, match: (entry: SpanEntry) => boolean): SpanEntry | undefined {
    const own = this.entryOf(span);
    if (own && match(own)) return own;
    const parentId = own ? own.parentId : span.parentId;
    return parentId ? this.nearestFromId(parentId, match) : undefined;
  }

  private nearestFromId(spanId: string, match: (entry: SpanEntry) => boolean): SpanEntry | undefined {
    let id: string | null = spanId;
    for (let depth = 0; id && depth < MAX_DEPTH; depth++) {
      const entry = this.spans.get(id);
      if (!entry) return undefined;
      if (match(entry)) return entry;
      id = entry.parentId;
    }
    return undefined;
  }
}
