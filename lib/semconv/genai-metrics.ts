import { Attributes, diag, Histogram, Meter, ValueType } from '@opentelemetry/api';
import type { CallRecord } from '../record/call-record';
import { isTokenCount } from '../record/usage';
import { GEN_AI, GEN_AI_METRIC, GEN_AI_TOKEN_TYPE, genAiOperationName, genAiProviderName } from './genai-keys';

/** The advised bucket boundaries of the GenAI client metrics. */
export const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
export const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

/**
 * The GenAI client metrics, recorded from the call record whatever conventions the spans carry:
 * `gen_ai.client.token.usage`, `gen_ai.client.operation.duration` and, for streams,
 * `gen_ai.client.operation.time_to_first_chunk`. Attributes: operation, provider, request and response
 * model, server address; `error.type` on a failed call's duration. Never any content.
 */
export class GenAiMetrics {
  private readonly tokenUsage: Histogram;
  private readonly duration: Histogram;
  private readonly timeToFirstChunk: Histogram;

  constructor(meter: Meter) {
    this.tokenUsage = meter.createHistogram(GEN_AI_METRIC.TOKEN_USAGE, {
      description: 'Number of input and output tokens used.',
      unit: '{token}',
      valueType: ValueType.INT,
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    });
    this.duration = meter.createHistogram(GEN_AI_METRIC.OPERATION_DURATION, {
      description: 'GenAI operation duration.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.timeToFirstChunk = meter.createHistogram(GEN_AI_METRIC.TIME_TO_FIRST_CHUNK, {
      description: 'Time to receive the first chunk in a streaming operation.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
  }

  /** Records one finished call; never throws. */
  record(record: CallRecord): void {
    try {
      const attributes = metricAttributes(record);
      if (record.latencyMs !== undefined) {
        const failed = record.error ? { ...attributes, [GEN_AI.ERROR_TYPE]: record.error.type } : attributes;
        this.duration.record(record.latencyMs / 1000, failed);
      }
      const { prompt, completion } = record.usage;
      if (isTokenCount(prompt)) this.tokenUsage.record(prompt, { ...attributes, [GEN_AI.TOKEN_TYPE]: GEN_AI_TOKEN_TYPE.INPUT });
      if (isTokenCount(completion)) this.tokenUsage.record(completion, { ...attributes, [GEN_AI.TOKEN_TYPE]: GEN_AI_TOKEN_TYPE.OUTPUT });
      if (record.firstChunkMs !== undefined) this.timeToFirstChunk.record(record.firstChunkMs / 1000, attributes);
    } catch (err) {
      diag.debug('@infinium/otel: could not record GenAI metrics', err);
    }
  }
}

function metricAttributes(record: CallRecord): Attributes {
  const attributes: Attributes = {
    [GEN_AI.OPERATION_NAME]: genAiOperationName(record.operation),
    [GEN_AI.PROVIDER_NAME]: genAiProviderName(record),
  };
  if (record.requestModel !== undefined) attributes[GEN_AI.REQUEST_MODEL] = record.requestModel;
  if (record.responseModel !== undefined) attributes[GEN_AI.RESPONSE_MODEL] = record.responseModel;
  const address = record.server?.address ?? record.serverAddress;
  if (address !== undefined) attributes[GEN_AI.SERVER_ADDRESS] = address;
  return attributes;
}
