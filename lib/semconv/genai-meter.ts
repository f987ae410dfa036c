import { createNoopMeter, diag, Meter, metrics, MeterProvider } from '@opentelemetry/api';
import type { CallRecord } from '../record/call-record';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version';
import type * as GenAiMetricsModule from './genai-metrics';

/** Records the GenAI client metrics of a finished call. */
export interface CallMetrics {
  record(record: CallRecord): void;
}

/**
 * The GenAI metrics for a meter, or `undefined` when the meter is the API's no-op one (no MeterProvider
 * registered): then a call costs one `undefined` test. With a meter (NodeSDK registers one by default), the
 * metrics code and its instruments are made at the first call recorded, not at start-up: a process that
 * makes no model call never loads them.
 */
export function genAiMetricsFor(meter: Meter | undefined): CallMetrics | undefined {
  if (!meter || isNoopMeter(meter)) return undefined;
  return new MetricsFromFirstCall(meter);
}

class MetricsFromFirstCall implements CallMetrics {
  /** `null`: the metrics could not be made; calls record nothing. */
  private metrics: CallMetrics | null | undefined;

  constructor(private readonly meter: Meter) {}

  record(record: CallRecord): void {
    if (this.metrics === undefined) this.metrics = createGenAiMetrics(this.meter);
    this.metrics?.record(record);
  }
}

function createGenAiMetrics(meter: Meter): CallMetrics | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { GenAiMetrics } = require('./genai-metrics') as typeof GenAiMetricsModule;
    return new GenAiMetrics(meter);
  } catch (err) {
    diag.debug('@infinium/otel: GenAI metrics unavailable', err);
    return null;
  }
}

function isNoopMeter(meter: Meter): boolean {
  return meter === createNoopMeter() || (meter as { constructor?: { name?: string } }).constructor?.name === 'NoopMeter';
}

/**
 * Instrumentations that record the GenAI client metrics themselves (instrumentation-aws-sdk for its Bedrock
 * Runtime spans): the processor records none for their spans, or every call would count twice.
 */
export const SCOPES_RECORDING_GENAI_METRICS: ReadonlySet<string> = new Set(['@opentelemetry/instrumentation-openai', '@opentelemetry/instrumentation-aws-sdk']);

/**
 * The metrics through the global MeterProvider, for the span processor, which has no `setMeterProvider`:
 * NodeSDK registers its provider after the processor is built, so the provider is looked up again when it
 * changes (one identity test per call otherwise).
 */
export class GlobalGenAiMetrics {
  private provider: MeterProvider | undefined;
  private current: CallMetrics | undefined;

  get(): CallMetrics | undefined {
    const provider = metrics.getMeterProvider();
    if (provider !== this.provider) {
      this.provider = provider;
      this.current = genAiMetricsFor(provider.getMeter(PACKAGE_NAME, PACKAGE_VERSION));
    }
    return this.current;
  }
}
