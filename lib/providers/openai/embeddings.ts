import type { CallRecord, Embedding } from '../../record/call-record';
import { asArray, asRecord, asString, without } from '../../record/read';
import type { StainlessOperation } from '../stainless/traced-method';
import { openaiServedBy, openaiServer } from './client';
import { readOpenAIUsage } from './usage';

/** Request keys that are content, not invocation parameters. */
const NOT_PARAMETERS = new Set(['input']);

/**
 * `embeddings.create`: an EMBEDDING span with the input texts and the vectors.
 *
 * Without `encoding_format` the SDK asks for base64 and decodes it itself (a `_thenUnwrap` on the promise
 * `create` returns, which is the promise we observe), so we see number arrays. When the app asks for
 * `encoding_format: 'base64'` the SDK hands it the string; we decode our own copy, and the app's data stays
 * as it is.
 */
export const embeddingsCreate: StainlessOperation = {
  kind: 'EMBEDDING',
  operation: 'embeddings',
  system: 'openai',
  servedBy: openaiServedBy,
  server: openaiServer,
  readRequest(record, body) {
    record.embeddings = readInputs(body.input);
    record.invocationParameters = without(body, NOT_PARAMETERS);
  },
  readResponse(record, data) {
    const response = asRecord(data);
    if (!response) return;
    record.responseModel = asString(response.model) ?? record.responseModel;
    record.usage = readOpenAIUsage(response.usage) ?? record.usage;
    readEmbeddingData(record, response.data);
  },
};

/**
 * The vectors of an embeddings response's `data` (`[{ embedding, index }]`, OpenAI's shape, Mistral's too),
 * each put with the input it belongs to.
 */
export function readEmbeddingData(record: CallRecord, data: unknown): void {
  const embeddings = record.embeddings ?? [];
  const items = asArray(data);
  // An index past every input and item is malformed: fall back to the position rather than grow a huge array.
  const slots = Math.max(items.length, embeddings.length);
  for (let i = 0; i < items.length; i++) {
    const item = asRecord(items[i]);
    const vector = readVector(item?.embedding);
    if (vector === undefined) continue;
    (embeddings[slotOf(item?.index, i, slots)] ??= {}).vector = vector;
  }
  // Fill holes a sparse assignment left, so every index renders.
  record.embeddings = Array.from(embeddings, (e) => e ?? {});
}

/** The item's `index` when it is a sane position, else its place in `data`. */
function slotOf(index: unknown, position: number, slots: number): number {
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < slots ? index : position;
}

/**
 * One entry per input. A string is recorded as text; token-id inputs (`number[]`, `number[][]`) keep their
 * slot without text, so the vectors still line up with their inputs.
 */
function readInputs(input: unknown): Embedding[] {
  if (typeof input === 'string') return [{ text: input }];
  if (!Array.isArray(input)) return [];
  // A flat list of token ids is one input.
  if (input.length > 0 && input.every((x) => typeof x === 'number')) return [{}];
  return input.map((x): Embedding => (typeof x === 'string' ? { text: x } : {}));
}

/** A vector as numbers: an array of numbers as it is, or base64 little-endian float32 decoded. */
export function readVector(value: unknown): number[] | undefined {
  if (Array.isArray(value)) return value.every((x) => typeof x === 'number') ? (value as number[]) : undefined;
  if (typeof value !== 'string') return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length % 4 !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const vector = new Array<number>(bytes.length / 4);
  for (let i = 0; i < vector.length; i++) vector[i] = view.getFloat32(i * 4, true);
  return vector;
}
