import { Context, diag, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span } from '../../compat/sdk-types';
import { errorType, STREAM_ABANDONED_EVENT } from '../../instrumentation/llm-call';
import { noteEmbedOperation } from './embed-operations';
import { FetchRequests, RequestOwner } from './fetch-requests';

/**
 * ai 5 and 6 write their own spans. A streamed run (`ai.streamText`, `ai.streamObject`) and its model calls
 * (`….doStream`) are ended by the SDK only when the stream is read to its end, so three ways out leave them
 * open, and no LLM span is ever exported for the request:
 * - the app aborts: the SDK ends the run, never the call. The call ends with its run, abandoned;
 * - the connection drops mid-answer: the SDK errors its stream and ends nothing. The call and its run end as
 *   errors, with the network error (seen at the fetch level, `FetchRequests`);
 * - the app drops the stream: nothing can end the spans any more once the SDK's span objects are
 *   garbage-collected. Each then ends through a stand-in, abandoned, with what the SDK had written on it.
 * The span processor feeds this from `onStart` and `onEnding`; state is per span object (concurrency-safe).
 */
const RUNS = new Set(['ai.streamText', 'ai.streamObject']);
const CALLS = new Set(['ai.streamText.doStream', 'ai.streamObject.doStream']);

/** One open SDK span. Holds no strong reference to it: it must stay collectable (see `OpenSpan.target`). */
class OpenSpan implements RequestOwner {
  ended = false;
  readonly calls = new Set<OpenSpan>();

  constructor(
    private readonly ref: WeakRef<Span>,
    private readonly standIn: Span | undefined,
    /** A model call's run; `undefined` for a run (or a call whose run is not watched). */
    readonly run: OpenSpan | undefined,
    readonly isCall: boolean,
  ) {}

  /** The SDK ended it (the processor's `onEnding`). A run's end ends its calls still open, abandoned. */
  settled(): void {
    if (!this.close()) return;
    for (const call of [...this.calls]) call.abandon();
  }

  abandon(): void {
    this.end((span) => span.addEvent(STREAM_ABANDONED_EVENT), undefined);
  }

  /** The connection dropped after the answer began: the call fails, and its run with it. */
  dropped(error: unknown): void {
    this.fail(error);
    this.run?.fail(error);
  }

  private fail(error: unknown): void {
    this.end((span) => {
      span.setAttribute('error.type', errorType(error));
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
    }, error);
  }

  /** Ends it once: its open calls first (the run's roll-up counts them), then the span, marked. */
  private end(mark: (span: Span) => void, error: unknown): void {
    if (!this.close()) return;
    for (const call of [...this.calls]) if (error === undefined) call.abandon();
    else call.fail(error);
    const span = this.target();
    if (!span) return;
    try {
      mark(span);
      span.end();
    } catch (err) {
      diag.debug('@infinium/otel: could not end an AI SDK span', err);
    }
  }

  private close(): boolean {
    if (this.ended) return false;
    this.ended = true;
    collected.unregister(this);
    this.run?.calls.delete(this);
    return true;
  }

  /** The SDK's span while it lives, else its stand-in: it has been collected, and nothing else can end it. */
  private target(): Span | undefined {
    return this.ref.deref() ?? this.standIn;
  }
}

const open = new WeakMap<object, OpenSpan>();
const collected = new FinalizationRegistry<OpenSpan>((entry) => entry.abandon());
const requests = new FetchRequests((span) => {
  const entry = open.get(span);
  return entry?.isCall ? entry : undefined;
});

/** The processor's `onStart`: a streamed run or model call of ai 5/6 is watched until it ends (and `@ai-sdk/otel`'s embed operations noted). */
export function aiSdkSpanStarted(span: Span, parentContext: Context): void {
  noteEmbedOperation(span, parentContext);
  const operation = span.attributes['ai.operationId'];
  if (typeof operation !== 'string') return;
  const isCall = CALLS.has(operation);
  // Watched once, however many of our processors the pipeline holds.
  if ((!isCall && !RUNS.has(operation)) || open.has(span)) return;
  const parent = trace.getSpan(parentContext);
  const run = isCall && parent ? open.get(parent) : undefined;
  const entry = new OpenSpan(new WeakRef(span), standInFor(span), run, isCall);
  open.set(span, entry);
  run?.calls.add(entry);
  collected.register(span, entry, entry);
  if (isCall) requests.subscribe();
}

/** The processor's `onEnding`: the SDK ended one of them (or we did, through the span itself). */
export function aiSdkSpanEnding(span: Span): void {
  open.get(span)?.settled();
}

/**
 * A copy of the SDK's span object that shares its attributes and events (the same objects, so it sees all
 * the SDK writes later) and can still end and export it under its own ids once the original is collected.
 * Both OTel lines' span classes keep their state in plain fields; any other span gets no stand-in.
 */
function standInFor(span: Span): Span | undefined {
  try {
    const prototype = Object.getPrototypeOf(span) as { end?: unknown } | null;
    if (!prototype || typeof prototype.end !== 'function') return undefined;
    return Object.assign(Object.create(prototype) as object, span) as Span;
  } catch (err) {
    diag.debug('@infinium/otel: no stand-in for an AI SDK span', err);
    return undefined;
  }
}
