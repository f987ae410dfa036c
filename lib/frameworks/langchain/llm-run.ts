import { diag, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { LlmCall, type CallRuntime } from '../../instrumentation/llm-call';
import type { OfferedCall, RunScope } from '../../instrumentation/run-scope';
import { safeJson } from '../../record/json';
import { AttributeSink } from '../../semconv/attribute-sink';
import { OI } from '../../semconv/attributes';
import { modelCallRecord, recordModelOutput, type ModelRunStart } from './llm-record';
import type { RunParent } from './runs';
import { appMetadata, appTags, identityOf, type RunIdentity } from './run-values';

/**
 * A LangChain model run (chat model or LLM). It has no span of its own while it runs: the SDK call that
 * serves it (our patch's LLM span) claims the offer its scope made, and is the run's LLM span. A run that
 * no SDK call claimed (a model whose SDK we do not patch) is rendered when it ends, from the run alone,
 * as an LLM span that started when the run did.
 */
export class ModelRun {
  private readonly startedAt = performance.now();
  private ended = false;

  constructor(
    private readonly runtime: CallRuntime,
    private readonly start: ModelRunStart,
    /** The parent's context, outside any run scope (the rendered span must claim no offer). */
    readonly parentContext: Context,
    /** What the LLM span carries from the run: session, user, metadata, tags. */
    readonly attributes: Attributes,
    private readonly offer: OfferedCall | undefined,
  ) {}

  private get unclaimed(): boolean {
    return !this.ended && (this.offer === undefined || this.offer.claims === 0);
  }

  succeed(output: unknown): void {
    if (!this.unclaimed) return this.close();
    const record = modelCallRecord(this.start, this.startedAt);
    try {
      recordModelOutput(record, output);
    } catch (err) {
      // The span is rendered with the request side alone: it must end whatever the output holds.
      diag.debug('@infinium/otel: a LangChain model run output could not be read', err);
    }
    this.close();
    this.call(record).succeed();
  }

  fail(error: unknown): void {
    if (!this.unclaimed) return this.close();
    const record = modelCallRecord(this.start, this.startedAt);
    this.close();
    this.call(record).fail(error);
  }

  /** The app stopped the run (a stream broken off) or its parent ended first. */
  abandon(): void {
    if (!this.unclaimed) return this.close();
    const record = modelCallRecord(this.start, this.startedAt);
    this.close();
    this.call(record).abandon();
  }

  private close(): void {
    this.ended = true;
  }

  private call(record: ReturnType<typeof modelCallRecord>): LlmCall {
    const call = new LlmCall(this.runtime, record, this.parentContext, true);
    if (call.recording) call.span.setAttributes(this.attributes);
    return call;
  }
}

/**
 * The run's attributes for its LLM span (offered to the SDK call, or set on the span we render): the ones
 * that say whose run it is, never content, masked like every attribute we write.
 */
export function modelRunAttributes(runtime: CallRuntime, identity: RunIdentity, metadata: Record<string, unknown> | undefined, tags: string[] | undefined): Attributes {
  const out = new AttributeSink(runtime.traceConfig);
  out.put(OI.SESSION_ID, identity.sessionId);
  out.put(OI.USER_ID, identity.userId);
  if (metadata) out.put(OI.METADATA, safeJson(metadata));
  if (tags) out.put(OI.TAG_TAGS, tags);
  return out.attributes;
}

/**
 * A model run makes no span when it starts: the scope it runs in (bound to the run's parent, so that the SDK
 * span is the parent's child) offers the run to the SDK call inside it; an unclaimed run is rendered when it
 * ends. Returns the run, and what its children would inherit.
 */
/** Where a model run starts (run-tree.ts's `Placement`). */
interface ModelRunPlace {
  parent: { inherited: RunParent } | undefined;
  scope: RunScope | undefined;
  span: Span | undefined;
  context: Context;
}

export function startModelRun(runtime: CallRuntime, place: ModelRunPlace, start: ModelRunStart, tags: unknown): { model: ModelRun; inherited: RunParent } {
  const own = identityOf(start.metadata);
  const parent = place.parent?.inherited;
  const inherited: RunParent = { ...parent, sessionId: own.sessionId ?? parent?.sessionId, userId: own.userId ?? parent?.userId, isGraph: false };
  const attributes = modelRunAttributes(runtime, inherited, appMetadata(start.metadata), appTags(tags));
  const scope = place.scope;
  if (scope && !scope.isBound && place.span) scope.bind(place.span);
  const offer = scope?.offerCall(attributes);
  return { model: new ModelRun(runtime, start, place.context, attributes, offer), inherited };
}
