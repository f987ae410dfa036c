import { Attributes, diag, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TracerProvider } from '@opentelemetry/api';
import { validPromptFetch } from '../helpers/prompt-fetch';
import type { TraceContext } from '../helpers/trace-context';
import { resolveTraceConfig } from '../masking/trace-config';
import { Pricing, resolvePricing } from '../cost/pricing';
import { normalizeProvider, systemOf } from '../processor/genai-mapper';
import { asNumber, asRecord, asString } from '../record/read';
import { createCallRecord } from '../record/call-record';
import { INFINIUM, OI } from '../semconv/attributes';
import { callSpanName, renderCallRecord } from '../semconv/render';

export interface InfiniumOTelExporterOptions {
  /** `infinium.service` on the root span. Default `infinium-agent`. */
  serviceName?: string;
  /** The tracer (instrumentation scope) name. Default `infinium`. */
  tracerName?: string;
  /** Default: the global tracer provider, looked up at each export. */
  tracerProvider?: TracerProvider;
}

export interface ExportTraceArgs {
  traceName: string;
  durationS: number;
  /** Calls and prompt fetches captured elsewhere, in the `getCurrentTraceContext()` shape. */
  ctx?: Partial<TraceContext>;
}

/**
 * The bridge of Infinium's SDK document: turns a trace captured elsewhere (logs, another SDK) into OTel
 * spans. The root span lasts `durationS` and ends now; each LLM call becomes a child span rendered by the
 * same renderer as the instrumentation's spans; each prompt fetch an event on the root. Malformed entries
 * are skipped, and nothing here throws.
 */
export class InfiniumOTelExporter {
  readonly serviceName: string;
  readonly tracerName: string;
  private readonly tracerProvider: TracerProvider | undefined;
  /** The imported calls are priced as our own are (`INFINIUM_COST`, `INFINIUM_PRICES_FILE`). */
  private readonly pricing: Pricing | undefined;

  constructor(options: InfiniumOTelExporterOptions = {}) {
    this.serviceName = nonEmpty(options.serviceName) ?? 'infinium-agent';
    this.tracerName = nonEmpty(options.tracerName) ?? 'infinium';
    this.tracerProvider = options.tracerProvider;
    this.pricing = resolvePricing();
  }

  exportTrace(args: ExportTraceArgs): void {
    try {
      this.emit(args);
    } catch (err) {
      diag.debug('@infinium/otel: exportTrace failed', err);
    }
  }

  private emit(args: ExportTraceArgs): void {
    const input = asRecord(args) ?? {};
    const traceName = nonEmpty(input.traceName) ?? 'infinium-trace';
    const rawDuration = asNumber(input.durationS);
    const durationS = rawDuration !== undefined && rawDuration >= 0 ? rawDuration : 0;
    const ctx = asRecord(input.ctx) ?? {};
    const calls = Array.isArray(ctx.llmCalls) ? ctx.llmCalls.map(validLlmCall).filter((c) => c !== undefined) : [];
    const fetches = Array.isArray(ctx.promptFetches) ? ctx.promptFetches.map(validPromptFetch).filter((f) => f !== undefined) : [];

    const tracer = (this.tracerProvider ?? trace.getTracerProvider()).getTracer(this.tracerName);
    const endMs = Date.now();
    const startMs = endMs - durationS * 1000;
    const root = tracer.startSpan(
      traceName,
      {
        root: true,
        startTime: startMs,
        attributes: {
          [OI.OPENINFERENCE_SPAN_KIND]: 'CHAIN',
          [INFINIUM.SERVICE]: this.serviceName,
          [INFINIUM.DURATION_S]: durationS,
          [INFINIUM.LLM_CALL_COUNT]: calls.length,
          [INFINIUM.PROMPT_FETCH_COUNT]: fetches.length,
        },
      },
      ROOT_CONTEXT,
    );
    const parent = trace.setSpan(ROOT_CONTEXT, root);
    const config = resolveTraceConfig();
    // The calls carry no start times: they are laid out one after the other from the root's start.
    let cursorMs = startMs;
    for (const call of calls) {
      const { attributes, latencyMs, errorMessage, failed, record } = callAttributes(call, config, this.pricing);
      const callStart = Math.min(cursorMs, endMs);
      const callEnd = Math.min(callStart + latencyMs, endMs);
      cursorMs = callEnd;
      const span = tracer.startSpan(callSpanName(record), { kind: SpanKind.CLIENT, startTime: callStart, attributes }, parent);
      span.setStatus(failed ? { code: SpanStatusCode.ERROR, message: errorMessage } : { code: SpanStatusCode.OK });
      span.end(callEnd);
    }
    for (const fetch of fetches) {
      const attributes: Attributes = { [INFINIUM.PROMPT_ID]: fetch.id };
      if (fetch.name !== undefined) attributes[INFINIUM.PROMPT_NAME] = fetch.name;
      if (fetch.version !== undefined) attributes[INFINIUM.PROMPT_VERSION] = fetch.version;
      root.addEvent(INFINIUM.PROMPT_FETCH_EVENT, attributes);
    }
    root.end(endMs);
  }
}

/** One captured call as a call record, rendered by the one renderer. */
function callAttributes(call: Record<string, unknown>, config: ReturnType<typeof resolveTraceConfig>, pricing: Pricing | undefined) {
  const provider = normalizeProvider(asString(call.provider));
  const record = createCallRecord('LLM', 'chat', provider, systemOf(provider));
  record.requestModel = nonEmpty(call.model);
  const prompt = count(call.promptTokens);
  const completion = count(call.completionTokens);
  // Through the record's usage setter, the one place token counts are checked.
  record.usage = { prompt, completion };
  const temperature = asNumber(call.temperature);
  if (temperature !== undefined) record.invocationParameters = { temperature };
  const latencyNs = count(call.latencyNs);
  const latencyMs = latencyNs !== undefined ? latencyNs / 1e6 : 0;
  if (latencyNs !== undefined) record.latencyMs = latencyMs;
  const errorType = nonEmpty(call.errorType);
  const errorMessage = asString(call.errorMessage);
  if (errorType !== undefined) record.error = { type: errorType, message: errorMessage };
  if (pricing) record.cost = pricing.costOf(record);
  return { attributes: renderCallRecord(record, config), latencyMs, errorMessage, failed: errorType !== undefined, record };
}

/** An LLM call entry must say which provider it was (a non-empty string); anything else is skipped, not counted. */
function validLlmCall(value: unknown): Record<string, unknown> | undefined {
  const call = asRecord(value);
  return call && nonEmpty(call.provider) !== undefined ? call : undefined;
}

function count(value: unknown): number | undefined {
  const n = asNumber(value);
  return n !== undefined && n >= 0 ? n : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
