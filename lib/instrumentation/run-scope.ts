import {
  Attributes, AttributeValue, Context, createContextKey, Exception, INVALID_SPAN_CONTEXT, Link, Span, SpanContext,
  SpanStatus, TimeInput, trace,
} from '@opentelemetry/api';

/**
 * A framework run's scope in the OTel context: how the spans of a framework's runs (LangChain today, agent
 * SDKs and MCP next) become the parents of what runs inside them, through the OTel context alone.
 *
 * A framework tells us a run started through a callback that cannot change the context of the code that
 * follows it (LangChain awaits its handlers, then runs the body in the caller's context). So the framework
 * patch enters a scope around the body's method first (`enterRunScope`): the context it runs in holds a
 * stand-in span (`ScopeSpan`). When the run's span starts, the handler binds the scope to it; from then on
 * every span started below (our SDK span, an HTTP or database instrumentation's) has the run's span as its
 * parent, with nothing process-wide: concurrent runs (`batch`, `Promise.all`) each have their own scope.
 *
 * A scope around a framework's model call also offers the call to our SDK patch (`offerCall`): the SDK's
 * LLM span claims it (`claimFrameworkCall`), takes the run's attributes (session, user, metadata), and is
 * the one LLM span of that request; the framework then makes no span of its own for the run.
 */
const RUN_SCOPE_KEY = createContextKey('@infinium/otel framework run scope');
const FRAMEWORK_RETRIEVER_KEY = createContextKey('@infinium/otel framework retriever');

/** A framework model run offered to the SDK call that serves it. */
export interface OfferedCall {
  /** What the SDK's LLM span carries besides its own attributes (session.id, user.id, metadata, …). */
  readonly attributes: Attributes;
  /** How many SDK calls claimed it: 0 means the framework renders the run as the LLM span itself. */
  claims: number;
}

export class RunScope {
  readonly span: ScopeSpan;
  private bound: Span | undefined;
  /** The OpenInference kind of the run bound, when the framework said it (`bind`). */
  private boundKind: string | undefined;
  private readonly offers: OfferedCall[] = [];

  /** `outer`: the context the scope was entered from; its span is the parent until the scope is bound. */
  constructor(readonly outer: Context) {
    this.span = new ScopeSpan(this);
  }

  get isBound(): boolean {
    return this.bound !== undefined;
  }

  /** The span the scope stands for: the bound run span, else the outer context's span (if any). */
  get target(): Span | undefined {
    return this.bound ?? trace.getSpan(this.outer);
  }

  /**
   * Makes `span` the parent of everything below the scope. Only the first binding counts: a run's children
   * bind their own scopes. `kind`: the run's OpenInference kind (a RETRIEVER run's documents are on its
   * span, so a vector store's query below records none: `insideFrameworkRetriever`).
   */
  bind(span: Span, kind?: string): void {
    if (this.bound) return;
    this.bound = span;
    this.boundKind = kind;
  }

  /** True when the run bound is a retriever's. */
  get isRetriever(): boolean {
    return this.boundKind === 'RETRIEVER';
  }

  /** Offers a framework's model run to the SDK call inside the scope. */
  offerCall(attributes: Attributes): OfferedCall {
    const offer: OfferedCall = { attributes, claims: 0 };
    this.offers.push(offer);
    return offer;
  }

  /**
   * The offer an SDK call takes: the first not yet claimed (a framework's batch of prompts is served in
   * order), else the last one again (a framework's retry of the same run is a second request).
   */
  claim(): OfferedCall | undefined {
    const offer = this.offers.find((o) => o.claims === 0) ?? this.offers[this.offers.length - 1];
    if (offer) offer.claims++;
    return offer;
  }
}

/** The scope `ctx` is inside, if any. */
export function runScopeOf(ctx: Context): RunScope | undefined {
  const scope = ctx.getValue(RUN_SCOPE_KEY);
  return scope instanceof RunScope ? scope : undefined;
}

/**
 * A context inside a new scope entered from `outer`: its active span is the scope's stand-in. A framework
 * whose parent and claimed call are found when asked (the OpenAI Agents SDK's current span) passes its own
 * subclass, which overrides `target` and `claim`.
 */
export function enterRunScope(outer: Context, scope: RunScope = new RunScope(outer)): { scope: RunScope; context: Context } {
  return { scope, context: trace.setSpan(outer, scope.span).setValue(RUN_SCOPE_KEY, scope) };
}

/** `ctx` with its active span but no scope: a span started from it has the same parent and claims no offer. */
export function withoutRunScope(ctx: Context): Context {
  return ctx.deleteValue(RUN_SCOPE_KEY);
}

/** `ctx` without its scope: for a span that must not claim the scope's offers or see its stand-in. */
export function outsideRunScope(ctx: Context): Context {
  const scope = runScopeOf(ctx);
  if (!scope) return ctx;
  const span = trace.getSpan(scope.outer);
  const base = ctx.deleteValue(RUN_SCOPE_KEY);
  return span ? trace.setSpan(base, span) : trace.deleteSpan(base);
}

/**
 * `ctx` marked as inside a framework's RETRIEVER run whose span records the documents it returns (the
 * LlamaIndex retriever runs `retrieve()` in it): a vector store's query below keeps its database attributes
 * and records no documents of its own, so that a trace shows them once.
 */
export function markFrameworkRetriever(ctx: Context): Context {
  return ctx.setValue(FRAMEWORK_RETRIEVER_KEY, true);
}

/**
 * True inside a framework's RETRIEVER run: the context was marked (`markFrameworkRetriever`), or its run
 * scope is bound to a RETRIEVER run (LangChain's retriever run, bound by its handler).
 */
export function insideFrameworkRetriever(ctx: Context): boolean {
  return ctx.getValue(FRAMEWORK_RETRIEVER_KEY) === true || runScopeOf(ctx)?.isRetriever === true;
}

/** For our SDK patch: the attributes of the framework model run this call serves, claimed, if the call is inside one. */
export function claimFrameworkCall(parent: Context): Attributes | undefined {
  const scope = runScopeOf(parent);
  return scope?.claim()?.attributes;
}

/**
 * The active span inside a scope. Every OTel tracer reads only `spanContext()` of a parent, and that is
 * the bound run span's (or, before binding, the outer span's): the parent is right whenever a child starts.
 * Writes go to the span it stands for, except `end()`: the scope never ends a span it does not own.
 */
export class ScopeSpan implements Span {
  constructor(private readonly scope: RunScope) {}

  spanContext(): SpanContext {
    return this.scope.target?.spanContext() ?? INVALID_SPAN_CONTEXT;
  }

  setAttribute(key: string, value: AttributeValue): this {
    this.scope.target?.setAttribute(key, value);
    return this;
  }

  setAttributes(attributes: Attributes): this {
    this.scope.target?.setAttributes(attributes);
    return this;
  }

  addEvent(name: string, attributesOrStartTime?: Attributes | TimeInput, startTime?: TimeInput): this {
    this.scope.target?.addEvent(name, attributesOrStartTime, startTime);
    return this;
  }

  addLink(link: Link): this {
    this.scope.target?.addLink(link);
    return this;
  }

  addLinks(links: Link[]): this {
    this.scope.target?.addLinks(links);
    return this;
  }

  setStatus(status: SpanStatus): this {
    this.scope.target?.setStatus(status);
    return this;
  }

  updateName(name: string): this {
    this.scope.target?.updateName(name);
    return this;
  }

  end(_endTime?: TimeInput): void {
    // Not ours to end: the run's span ends when its run does, the outer span when its owner says so.
  }

  isRecording(): boolean {
    return this.scope.target?.isRecording() ?? false;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    this.scope.target?.recordException(exception, time);
  }
}
