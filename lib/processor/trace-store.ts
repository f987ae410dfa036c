/**
 * Per-trace bookkeeping for the processor: the roll-up counters of each open local root, and the calls and
 * prompt fetches `getCurrentTraceContext()` reports. Only traces whose local root this process started are
 * tracked; a trace's state goes when its last local root ends, and the oldest open traces are evicted
 * beyond the cap (a root that never ends must not hold memory forever).
 */

/** One LLM call, in the shape of Infinium's own SDK. */
export interface LlmCallInfo {
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  temperature?: number;
  latencyNs: number;
  errorType?: string;
  errorMessage?: string;
}

/** One prompt fetch (`recordPromptFetch`). */
export interface PromptFetch {
  id: string;
  name?: string;
  version?: number | string;
}

/** Entries kept per trace for `getCurrentTraceContext()`; the counters go on past it. */
export const MAX_ENTRIES_PER_TRACE = 1000;

export class TraceState {
  llmCallCount = 0;
  promptFetchCount = 0;
  /** Local roots of this trace still open (a server may start two for one remote parent). */
  openRoots = 1;
  llmCalls: LlmCallInfo[] | undefined;
  promptFetches: PromptFetch[] | undefined;
  /** USD over the trace's priced LLM and embedding calls, and how many such calls had no price. */
  costUsd = 0;
  unpricedCallCount = 0;

  /** Per parent span id, the LLM calls that ended under it, and how many of them carried no token count. */
  callsUnder: Map<string, { calls: number; tokenless: number }> | undefined;

  noteCallUnder(parentSpanId: string, tokenless: boolean): void {
    const map = (this.callsUnder ??= new Map());
    const entry = map.get(parentSpanId);
    if (entry) {
      entry.calls++;
      if (tokenless) entry.tokenless++;
    } else if (map.size < MAX_ENTRIES_PER_TRACE) map.set(parentSpanId, { calls: 1, tokenless: tokenless ? 1 : 0 });
  }

  addLlmCall(call: LlmCallInfo): void {
    this.llmCallCount++;
    const list = (this.llmCalls ??= []);
    if (list.length < MAX_ENTRIES_PER_TRACE) list.push(call);
  }

  addPromptFetch(fetch: PromptFetch): void {
    this.promptFetchCount++;
    const list = (this.promptFetches ??= []);
    if (list.length < MAX_ENTRIES_PER_TRACE) list.push(fetch);
  }
}

export class TraceStore {
  /** Insertion-ordered, so the first key is the oldest open trace. */
  private readonly traces = new Map<string, TraceState>();

  constructor(private readonly maxOpenTraces: number) {}

  get size(): number {
    return this.traces.size;
  }

  get(traceId: string): TraceState | undefined {
    return this.traces.get(traceId);
  }

  /** A local root started. */
  open(traceId: string): void {
    const existing = this.traces.get(traceId);
    if (existing) {
      existing.openRoots++;
      return;
    }
    this.traces.set(traceId, new TraceState());
    while (this.traces.size > this.maxOpenTraces) {
      const oldest = this.traces.keys().next().value as string;
      this.traces.delete(oldest);
    }
  }

  /** A local root ended; returns its state, which is dropped once no root of the trace is open. */
  close(traceId: string): TraceState | undefined {
    const state = this.traces.get(traceId);
    if (state && --state.openRoots <= 0) this.traces.delete(traceId);
    return state;
  }

  clear(): void {
    this.traces.clear();
  }
}

/**
 * The stores of the live processors, shared through a global symbol so that the helpers find them even
 * when two copies of this package are loaded. A processor leaves it on shutdown.
 */
const REGISTRY_KEY = Symbol.for('@infinium/otel trace stores');

export function liveStores(): Set<TraceStore> {
  const holder = globalThis as unknown as Record<symbol, Set<TraceStore> | undefined>;
  return (holder[REGISTRY_KEY] ??= new Set());
}

/** Every live processor's state for this trace (one per processor that saw its root start). */
export function traceStates(traceId: string): TraceState[] {
  const found: TraceState[] = [];
  for (const store of liveStores()) {
    const state = store.get(traceId);
    if (state) found.push(state);
  }
  return found;
}

/** The first live processor's state for this trace. */
export function findTraceState(traceId: string): TraceState | undefined {
  for (const store of liveStores()) {
    const state = store.get(traceId);
    if (state) return state;
  }
  return undefined;
}
