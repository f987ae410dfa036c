import { LLMSystem } from '@arizeai/openinference-semantic-conventions';
import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import type { CallRecord } from '../../record/call-record';
import { parseJson } from '../../record/json';
import { asNumber, asRecord, Json } from '../../record/read';
import { messagesCreate } from '../anthropic/messages';
import { MessageStreamReader } from '../anthropic/stream-reader';
import { readConverseRequest, readConverseResponse } from './converse';
import { ConverseStreamReader } from './converse-stream';

/**
 * InvokeModel and InvokeModelWithResponseStream send the model's own JSON body. Two families are read:
 * Anthropic (`anthropic_version: bedrock-2023-05-31`, the Messages API shapes) and Amazon Nova (the
 * Converse shapes). Any other model is recorded without content: model, latency, errors, and the token
 * counts Bedrock appends to the last stream chunk (`amazon-bedrock-invocationMetrics`).
 */
export type InvokeFamily = 'anthropic' | 'nova' | 'other';

/** The family as far as the model id tells (an ARN or a profile id may not tell; the body then decides). */
export function familyOfModel(modelId: string | undefined): InvokeFamily {
  if (modelId?.includes('anthropic.')) return 'anthropic';
  if (modelId?.includes('nova')) return 'nova';
  return 'other';
}

/**
 * Embedding models (Titan, Cohere, Nova multimodal embeddings) make EMBEDDING spans and rerank models
 * (Cohere, Amazon) RERANKER spans, without content: neither is an LLM call.
 */
export function nonChatKind(modelId: string | undefined): 'EMBEDDING' | 'RERANKER' | undefined {
  if (modelId === undefined) return undefined;
  if (/embed/i.test(modelId)) return 'EMBEDDING';
  if (/rerank/i.test(modelId)) return 'RERANKER';
  return undefined;
}

const utf8 = new TextDecoder();

/** A JSON body sent or received as a string or bytes (the SDK's Uint8ArrayBlobAdapter is a Uint8Array). */
export function decodeJsonBody(body: unknown): Json | undefined {
  if (typeof body === 'string') return asRecord(parseJson(body));
  if (body instanceof Uint8Array) return asRecord(parseJson(utf8.decode(body)));
  return undefined;
}

/** One InvokeModel call: the family is settled when the request body is read, and used for the answer. */
export class InvokeModelReader {
  constructor(private family: InvokeFamily) {}

  readRequest(record: CallRecord, input: Json): void {
    const body = decodeJsonBody(input.body);
    if (!body) return;
    if (typeof body.anthropic_version === 'string') this.family = 'anthropic';
    else if (body.schemaVersion === 'messages-v1') this.family = 'nova';
    if (this.family === 'anthropic') {
      record.system = LLMSystem.ANTHROPIC;
      messagesCreate.readRequest(record, body);
    } else if (this.family === 'nova') {
      readConverseRequest(record, body);
    }
  }

  readResponse(record: CallRecord, output: Json): void {
    if (this.family === 'other') return;
    const body = decodeJsonBody(output.body);
    if (this.family === 'anthropic') messagesCreate.readResponse(record, body);
    else readConverseResponse(record, body);
  }

  chunkReader(record: CallRecord): ChunkReader<unknown> {
    return new InvokeStreamReader(record, this.family);
  }
}

/** Reads `{ chunk: { bytes } }` events: each chunk's bytes are one JSON event of the model's own stream. */
class InvokeStreamReader implements ChunkReader<unknown> {
  private readonly inner: ChunkReader<unknown> | undefined;

  constructor(private readonly record: CallRecord, family: InvokeFamily) {
    if (family === 'anthropic') this.inner = new MessageStreamReader(record);
    else if (family === 'nova') this.inner = new ConverseStreamReader(record);
  }

  onChunk(value: unknown): void {
    const payload = decodeJsonBody(asRecord(asRecord(value)?.chunk)?.bytes);
    if (!payload) return;
    this.inner?.onChunk(payload);
    const metrics = asRecord(payload['amazon-bedrock-invocationMetrics']);
    if (metrics) {
      // A new usage through the record's setter, the one place token counts are checked.
      const usage = this.record.usage;
      this.record.usage = {
        ...usage,
        prompt: usage.prompt ?? asNumber(metrics.inputTokenCount),
        completion: usage.completion ?? asNumber(metrics.outputTokenCount),
      };
    }
  }

  onStop(): void {
    this.inner?.onStop?.();
  }
}
