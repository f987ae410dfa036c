import { context, diag, trace, type Context, type Span } from '@opentelemetry/api';
import { AsyncLocalStorage } from 'node:async_hooks';
import { enterRunScope, RunScope, runScopeOf, withoutRunScope, type OfferedCall } from '../../instrumentation/run-scope';
import { currentSdkSpan, type SdkSpan, type TracingContextStorage } from './sdk-shapes';

/** Where the SDK keeps its context storage, shared by every copy of `@openai/agents-core` in the process. */
const STORAGE_KEY = Symbol.for('openai.agents.core.asyncLocalStorage');

/** What a scope asks the bridge (bridge.ts implements it): the OTel span of an SDK span, and the claim of a model request. */
export interface SdkSpanLookup {
  spanFor(span: SdkSpan | undefined): Span | undefined;
  claim(span: SdkSpan | undefined): OfferedCall | undefined;
}

/**
 * The run scope of the SDK's work: its stand-in's target is found when a span starts below it, from the
 * SDK's current span at that moment (the SDK changes its current span in place, in the store it runs
 * with), so that our LLM span, an HTTP span or the app's own span in a tool has the right parent through
 * the OTel context alone. Outside any span of the SDK's, the target is the app's span the run started in.
 */
export class AgentsScope extends RunScope {
  constructor(outer: Context, private readonly storage: TracingContextStorage, private readonly lookup: SdkSpanLookup) {
    super(outer);
  }

  // Both are asked from inside a tracer's startSpan in any code (the app's included): they never throw.
  override get target(): Span | undefined {
    try {
      const span = this.lookup.spanFor(currentSdkSpan(this.storage.getStore()));
      if (span) return span;
    } catch (err) {
      diag.debug('@infinium/otel: could not find the span of the OpenAI Agents current span', err);
    }
    return super.target;
  }

  /** Our SDK patch's LLM span claims the SDK's model request it is made in (response, generation); nothing else. */
  override claim(): OfferedCall | undefined {
    try {
      return this.lookup.claim(currentSdkSpan(this.storage.getStore()));
    } catch (err) {
      diag.debug('@infinium/otel: could not claim the OpenAI Agents model request', err);
      return undefined;
    }
  }
}

/**
 * The SDK's context storage, wrapped: each `run(store, callback)` (a trace, a span's new context) also enters
 * an `AgentsScope` in the OTel context. `getStore` and `enterWith` are the wrapped storage's own.
 */
export class BridgedStorage implements TracingContextStorage {
  constructor(readonly inner: TracingContextStorage, public lookup: SdkSpanLookup) {}

  run<T>(store: unknown, callback: () => T): T {
    const scoped = this.scopedContext();
    return this.inner.run(store, scoped ? () => context.with(scoped, callback) : callback);
  }

  getStore(): unknown {
    return this.inner.getStore();
  }

  enterWith(store: unknown): void {
    this.inner.enterWith(store);
  }

  /**
   * A new scope, entered from the caller's context. Inside a scope of ours, its outer span is the span that
   * scope stands for now (the TOOL span of a tool whose body opens its own trace), fixed: the scope around
   * reads the SDK's current span from the same storage, which the new store is about to replace. The app's
   * own span, when it made one active inside that scope, is the outer span instead.
   */
  private scopedContext(): Context | undefined {
    try {
      const active = context.active();
      const around = runScopeOf(active);
      const outer = around instanceof AgentsScope && !appSpanActive(active, around) ? fixedOuter(around) : withoutRunScope(active);
      return enterRunScope(outer, new AgentsScope(outer, this.inner, this.lookup)).context;
    } catch (err) {
      diag.debug('@infinium/otel: could not enter an OpenAI Agents run scope', err);
      return undefined;
    }
  }
}

/** The app made a span of its own active inside `scope` (in a tool body, or around a run inside its `withTrace`). */
function appSpanActive(active: Context, scope: AgentsScope): boolean {
  return trace.getSpan(active) !== scope.span;
}

function fixedOuter(scope: AgentsScope): Context {
  const span = scope.target;
  return span ? trace.setSpan(scope.outer, span) : scope.outer;
}

/** The storage the SDK uses now, if it made or was given one. */
export function sdkStorage(): TracingContextStorage | undefined {
  const storage = (globalThis as Record<symbol, unknown>)[STORAGE_KEY];
  return storage && typeof (storage as TracingContextStorage).getStore === 'function' ? (storage as TracingContextStorage) : undefined;
}

type SetStorage = (storage?: TracingContextStorage) => void;

/** How ours was installed, to install it again when the app replaces it. */
let installed: { setStorage: SetStorage; lookup: SdkSpanLookup } | undefined;

/**
 * Installs our storage through the SDK's public `setTracingContextStorage`, around the storage in place (or
 * a new AsyncLocalStorage, as the SDK would make). Once per process: another copy of the SDK, or a second
 * patch, finds ours and only points it at the current bridge.
 */
export function installStorage(setStorage: SetStorage, lookup: SdkSpanLookup): void {
  installed = { setStorage, lookup };
  const current = sdkStorage();
  if (current instanceof BridgedStorage) {
    current.lookup = lookup;
    return;
  }
  setStorage(new BridgedStorage(current ?? new AsyncLocalStorage(), lookup));
}

/**
 * An app that sets its own storage (`setTracingContextStorage`) after we installed ours replaces it: ours
 * goes around the app's, which stays the one that holds the SDK's stores. Called at each trace and span
 * start, so the SDK's spans from then on enter scopes again (without, our LLM span could not claim the
 * SDK's model request, and a request would have two LLM spans).
 */
export function reinstallIfReplaced(): void {
  if (installed && !(sdkStorage() instanceof BridgedStorage)) installStorage(installed.setStorage, installed.lookup);
}

/** Puts back the storage ours wrapped. */
export function uninstallStorage(setStorage: SetStorage): void {
  installed = undefined;
  const current = sdkStorage();
  if (current instanceof BridgedStorage) setStorage(current.inner);
}

/**
 * The app's context where the SDK's work was entered: inside our scope, the context the scope was entered
 * from, unless the app made a span of its own active there since; never with a scope in it, so that a span
 * we start from it claims no framework's offer.
 */
export function appContext(): Context {
  const active = context.active();
  const scope = runScopeOf(active);
  return withoutRunScope(scope instanceof AgentsScope && !appSpanActive(active, scope) ? scope.outer : active);
}
