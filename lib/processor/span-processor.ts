import { Attributes, AttributeValue, Context, diag, SpanStatusCode, trace } from '@opentelemetry/api';
import { hrTimeToMicroseconds, hrTimeToMilliseconds, hrTimeToNanoseconds } from '../compat/sdk-shared';
import { isLocalRoot } from '../compat/otel-line';
import type { ReadableSpan, Span, SpanProcessor } from '../compat/sdk-types';
import { contextAttributes } from '../helpers/context-attributes';
import { isInsideLlmCall } from '../instrumentation/call-context';
import { boundSpanErrorText } from '../masking/error-text';
import { resolveTraceConfig, TraceConfig, TraceConfigOptions } from '../masking/trace-config';
import type { CallRecord } from '../record/call-record';
import { asNumber, asString } from '../record/read';
import { INFINIUM, OI } from '../semconv/attributes';
import { Conventions, resolveConventions, SemconvOptions } from '../config/semconv';
import { DEFAULT_MAX_OPEN_TRACES } from '../config/trace-limits';
import { renderInConventions } from '../semconv/genai-conventions';
import { GlobalGenAiMetrics, SCOPES_RECORDING_GENAI_METRICS } from '../semconv/genai-meter';
import { PACKAGE_NAME } from '../version';
import type { AiSdkConversion } from './ai-sdk-mapper';
import { foreignRunConversion } from './foreign-runs';
import { GEN_AI_OPERATION, isAiSpan, isCallKind } from './ai-span-keys';
import { aiSpanCode, loadedAiSpanCode } from './ai-spans';
import { genAiSpanKind } from '../semconv/genai-operation-kinds';
import { maskSpan, redactCredentials } from './span-masking';
import { LlmCallInfo, liveStores, TraceStore } from './trace-store';
import { CostOptions, Pricing, resolvePricing } from '../cost/pricing';
import { costRollUp, noteCallCost, reportsCost } from './cost-roll-up';
import { setMissing } from './set-missing';
import { callsUsageAttributes, noteCallUnderParent } from './calls-usage';
import { resourceServiceName } from './resource-service';

export interface InfiniumSpanProcessorOptions extends TraceConfigOptions, SemconvOptions, CostOptions {
  /**
   * Record the GenAI client metrics (through the global MeterProvider) for the foreign GenAI spans this
   * processor converts. Default true (spans of @opentelemetry/instrumentation-openai excepted, which records
   * them itself); turn it off when another instrumentation that writes GenAI spans records them too.
   */
  genAiMetrics?: boolean;
  /** `infinium.service` on root spans. Default: the resource's `service.name`, else `infinium-agent`. */
  serviceName?: string;
  /**
   * Traces whose local root is still open that are tracked at once; beyond it the oldest are forgotten
   * (their root then gets no counts). Default 10,000.
   */
  maxOpenTraces?: number;
}

export const DEFAULT_SERVICE_NAME = 'infinium-agent';

const KIND = OI.OPENINFERENCE_SPAN_KIND;

/**
 * Goes in the NodeSDK `spanProcessors` list, before the export processor. It enriches every span while
 * attributes can still be set (`onStart`, `onEnding`), so every export processor sees the result:
 * context attributes (session, user, metadata, tags), foreign GenAI spans rendered as OpenInference,
 * the one masking function on every span, and the Infinium roll-up on each local root.
 */
export class InfiniumSpanProcessor implements SpanProcessor {
  readonly traceConfig: TraceConfig;
  readonly conventions: Conventions;
  private readonly store: TraceStore;
  private readonly metrics: GlobalGenAiMetrics | undefined;
  /** Prices the foreign calls this processor converts; off (`cost: false`, `INFINIUM_COST=false`): no cost keys, no cost roll-up. */
  private readonly pricing: Pricing | undefined;
  /**
   * Spans that are the same API call as one of our LLM spans: a GenAI span started inside our call (the
   * Anthropic SDK's own span), or a foreign GenAI LLM span that our span was started under. Neither is
   * rendered as a second LLM span nor counted.
   */
  private readonly sameCall = new WeakSet<object>();
  private resolvedFor: unknown;
  private resolvedService = DEFAULT_SERVICE_NAME;

  constructor(readonly options: InfiniumSpanProcessorOptions = {}) {
    this.traceConfig = resolveTraceConfig(options);
    this.conventions = resolveConventions(options);
    this.pricing = resolvePricing(options);
    this.metrics = options.genAiMetrics === false ? undefined : new GlobalGenAiMetrics();
    const max = options.maxOpenTraces;
    this.store = new TraceStore(typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : DEFAULT_MAX_OPEN_TRACES);
    liveStores().add(this.store);
  }

  /** Traces tracked right now (for tests and diagnostics). */
  get openTraceCount(): number {
    return this.store.size;
  }

  onStart(span: Span, parentContext: Context): void {
    try {
      if (isLocalRoot(span)) this.store.open(span.spanContext().traceId);
      const fromContext = contextAttributes(parentContext);
      if (fromContext) setMissing(span, fromContext);
      if (isAiSpan(span.attributes)) {
        aiSpanCode().aiSdkSpanStarted(span, parentContext);
        // Another library's model call has started: the price table loads while it runs, not at its end.
        this.pricing?.prepare();
      }
      if (isInsideLlmCall(parentContext)) this.sameCall.add(span);
      else if (span.instrumentationScope.name === PACKAGE_NAME) this.markForeignParent(span, parentContext);
    } catch (err) {
      diag.debug('@infinium/otel: span processor onStart failed', err);
    }
  }

  onEnding(span: Span): void {
    try {
      // An AI SDK run ending ends its model calls left open first, so that the roll-up counts them.
      loadedAiSpanCode()?.aiSdkSpanEnding(span);
      const a = span.attributes;
      let kind = a[KIND];
      const genAi = a[GEN_AI_OPERATION] !== undefined;
      // Our own spans in GenAI-only mode carry no OpenInference kind: already rendered, never converted.
      if (kind === undefined && genAi && isOurs(span)) kind = genAiSpanKind(a[GEN_AI_OPERATION]);
      else if (kind === undefined && !this.sameCall.has(span)) kind = this.convertForeign(span, genAi);
      // With nothing hidden, masking only truncates long data URLs, which only AI spans carry; credentials
      // (an AI SDK span's `ai.request.headers.authorization`, an HTTP span's headers) go from every span.
      if (!this.traceConfig.showsEverything || kind !== undefined || genAi) maskSpan(span, this.traceConfig);
      else redactCredentials(span);
      boundSpanErrorText(span, this.traceConfig.maxAttributeLength);
      if (kind === 'LLM' && !this.sameCall.has(span)) this.noteLlmCall(span);
      if (this.pricing && (((kind === 'LLM' || kind === 'EMBEDDING') && !this.sameCall.has(span)) || reportsCost(span))) this.noteCost(span);
      if (isLocalRoot(span)) this.rollUp(span);
    } catch (err) {
      diag.debug('@infinium/otel: span processor onEnding failed', err);
    }
  }

  onEnd(_span: ReadableSpan): void {}

  /**
   * Nothing is buffered here, so there is nothing to flush. The roll-up state of open traces stays: a
   * per-request flush (serverless) must not take the counts of the requests still running.
   */
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.store.clear();
    liveStores().delete(this.store);
    return Promise.resolve();
  }

  /** Our LLM span started under a foreign GenAI LLM span: that span is the same call, seen twice. */
  private markForeignParent(span: Span, parentContext: Context): void {
    if (!isCallKind(asKind(span.attributes[KIND]) ?? genAiSpanKind(span.attributes[GEN_AI_OPERATION]))) return;
    const parent = trace.getSpan(parentContext) as Partial<ReadableSpan> | undefined;
    const pa = parent?.attributes;
    if (pa && pa[KIND] === undefined && isCallKind(genAiSpanKind(pa[GEN_AI_OPERATION]))) this.sameCall.add(parent!);
  }

  /**
   * A foreign span becomes an OpenInference span; returns the kind it got. An agent framework's own spans
   * first (foreign-runs.ts: Mastra's and the Claude Code CLI's carry `gen_ai.operation.name` too, but the
   * GenAI table alone would lose their content and make Mastra's whole model loop an LLM call), then the
   * GenAI table, then the Vercel AI SDK's spans (ai 5/6 `ai.*`, or an `@ai-sdk/otel` step).
   */
  private convertForeign(span: Span, genAi: boolean): AttributeValue | undefined {
    const converted = this.apply(span, foreignRunConversion(span));
    if (converted !== undefined || !isAiSpan(span.attributes)) return converted;
    return (genAi ? this.convertGenAi(span) : undefined) ?? this.apply(span, aiSpanCode().aiSdkConversion(span.attributes));
  }

  /** A span with GenAI attributes (`gen_ai.*`) becomes an OpenInference span. */
  private convertGenAi(span: Span): AttributeValue | undefined {
    const a = span.attributes;
    const code = aiSpanCode();
    const kind = code.embedOperationKind(span) ?? genAiSpanKind(a[GEN_AI_OPERATION]);
    if (kind === undefined) return undefined;
    if (isCallKind(kind)) setMissing(span, this.renderCall(span, code.genAiCallRecord(a, kind, span)));
    // Tool, agent, workflow and retrieval spans only gain OpenInference keys.
    else if (this.conventions.openInference) setMissing(span, code.genAiOtherAttributes(a, kind));
    return kind;
  }

  private apply(span: Span, conversion: AiSdkConversion | undefined): AttributeValue | undefined {
    if (!conversion) return undefined;
    if ('record' in conversion) setMissing(span, this.renderCall(span, conversion.record));
    else if (this.conventions.openInference) setMissing(span, conversion.attributes);
    if ('callsUsage' in conversion && conversion.callsUsage) this.applyCallsUsage(span, conversion.callsUsage);
    return conversion.kind;
  }

  private applyCallsUsage(span: Span, record: CallRecord): void {
    const state = this.store.get(span.spanContext().traceId);
    if (state) setMissing(span, callsUsageAttributes(state, span, record, this.pricing, this.traceConfig, this.conventions));
  }

  /** A converted call: rendered in the chosen conventions from its record, and recorded in the GenAI metrics. */
  private renderCall(span: Span, record: CallRecord): Attributes {
    record.latencyMs = hrTimeToMilliseconds(span.duration);
    if (this.pricing) record.cost = this.pricing.costOf(record);
    if (!SCOPES_RECORDING_GENAI_METRICS.has(span.instrumentationScope.name)) this.metrics?.get()?.record(record);
    return renderInConventions(record, this.traceConfig, this.conventions);
  }

  private noteLlmCall(span: Span): void {
    const state = this.store.get(span.spanContext().traceId);
    if (!state) return;
    const a = span.attributes;
    const call: LlmCallInfo = {
      provider: asString(a[OI.LLM_PROVIDER]) ?? 'unknown',
      model: asString(a[INFINIUM.MODEL]) ?? asString(a[OI.LLM_MODEL_NAME]) ?? '',
      promptTokens: asNumber(a[INFINIUM.PROMPT_TOKENS]) ?? asNumber(a[OI.LLM_TOKEN_COUNT_PROMPT]) ?? 0,
      completionTokens: asNumber(a[INFINIUM.COMPLETION_TOKENS]) ?? asNumber(a[OI.LLM_TOKEN_COUNT_COMPLETION]) ?? 0,
      latencyNs: hrTimeToNanoseconds(span.duration),
    };
    const temperature = asNumber(a[INFINIUM.TEMPERATURE]);
    if (temperature !== undefined) call.temperature = temperature;
    noteCallUnderParent(state, span);
    const errorType = asString(a['error.type']);
    if (errorType !== undefined) call.errorType = errorType;
    if (span.status.code === SpanStatusCode.ERROR && span.status.message !== undefined) call.errorMessage = span.status.message;
    state.addLlmCall(call);
  }

  private noteCost(span: Span): void {
    const state = this.store.get(span.spanContext().traceId);
    if (state) noteCallCost(state, span);
  }

  /** The Infinium roll-up on a local root; never overwrites what the app set. */
  private rollUp(span: Span): void {
    const state = this.store.close(span.spanContext().traceId);
    const rollUp: Attributes = {
      [INFINIUM.SERVICE]: this.serviceName(span),
      [INFINIUM.DURATION_S]: Math.round(hrTimeToMicroseconds(span.duration)) / 1e6,
    };
    // An evicted trace (or one whose root started before this processor) has no honest counts.
    if (state) {
      rollUp[INFINIUM.LLM_CALL_COUNT] = state.llmCallCount;
      rollUp[INFINIUM.PROMPT_FETCH_COUNT] = state.promptFetchCount;
      if (this.pricing) Object.assign(rollUp, costRollUp(state));
    }
    setMissing(span, rollUp);
  }

  private serviceName(span: Span): string {
    if (typeof this.options.serviceName === 'string' && this.options.serviceName !== '') return this.options.serviceName;
    const resource = span.resource;
    if (resource !== this.resolvedFor) {
      this.resolvedFor = resource;
      this.resolvedService = resourceServiceName(resource) ?? DEFAULT_SERVICE_NAME;
    }
    return this.resolvedService;
  }
}

function isOurs(span: Span): boolean {
  return span.instrumentationScope.name === PACKAGE_NAME;
}

function asKind(value: AttributeValue | undefined): ReturnType<typeof genAiSpanKind> {
  return typeof value === 'string' ? (value as ReturnType<typeof genAiSpanKind>) : undefined;
}

