/**
 * The few shapes of `@openai/agents-core` the bridge reads, written structurally: the SDK is an optional
 * peer, never imported at runtime, and a field it renames reads as `undefined`, never as a throw.
 */

/** The span id the SDK gives every span and trace it makes while tracing is disabled. */
export const NOOP_ID = 'no-op';

/** `span.error`: what the SDK records when a span fails (its own words, not the error thrown). */
export interface SdkSpanError {
  message?: unknown;
  data?: Record<string, unknown>;
}

/** A span's data: `type` says which (agent, task, turn, function, response, generation, handoff, …). */
export type SdkSpanData = Record<string, unknown> & { type?: unknown };

export interface SdkSpan {
  readonly spanId: string;
  readonly traceId: string;
  readonly parentId: string | null;
  readonly spanData: SdkSpanData;
  readonly error: SdkSpanError | null;
  readonly endedAt?: string | null;
}

export interface SdkTrace {
  readonly traceId: string;
}

/** The store the SDK keeps in its context storage: the current trace and span, while `active`. */
export interface SdkContextState {
  span?: SdkSpan;
  active?: boolean;
}

/** What `setTracingContextStorage` takes: AsyncLocalStorage's three methods. */
export interface TracingContextStorage {
  run<T>(store: unknown, callback: () => T): T;
  getStore(): unknown;
  enterWith(store: unknown): void;
}

/** The span that is current where the SDK's storage holds `store`, if the SDK says one is. */
export function currentSdkSpan(store: unknown): SdkSpan | undefined {
  const state = store as SdkContextState | undefined;
  if (!state || typeof state !== 'object' || state.active !== true) return undefined;
  const span = state.span;
  return span && typeof span === 'object' && typeof span.spanId === 'string' ? span : undefined;
}

/** A span the SDK made while tracing was disabled: no processor hears of it, and no span of ours stands for it. */
export function isNoop(span: { spanId?: unknown; traceId?: unknown }): boolean {
  return span.spanId === NOOP_ID || span.traceId === NOOP_ID;
}

/** The span's type (`spanData.type`). */
export function spanType(span: SdkSpan): string | undefined {
  const type = span.spanData?.type;
  return typeof type === 'string' ? type : undefined;
}
