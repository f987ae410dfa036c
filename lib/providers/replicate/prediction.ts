import type { CallRecord, Message, MessagePart } from '../../record/call-record';
import { asArray, asRecord, asReportedNumber, asString, Json } from '../../record/read';
import { keptParts, OutputBuffers } from '../../record/bounded';
import { tokenSum } from '../../record/usage';

/**
 * Replicate's shapes as neutral records. A prediction (https://replicate.com/docs/reference/http#predictions.get)
 * is `{ id, model, version, input, output, status, error, metrics }`:
 * - `input` is whatever the model takes. Language models take `prompt` and often `system_prompt` (some a
 *   `messages` list); image models take a `prompt` too. Those become the input messages (the user's and
 *   system's own words); scalar inputs (temperature, max_tokens, seed, …) are the parameters; media,
 *   other structured inputs and credentials (a model's secret inputs) are not recorded.
 * - `output` of a language model is a list of text pieces (tokens), joined into one assistant message;
 *   a model that answers with files (images, audio) answers with URLs (`https:`/`data:`, the SDK's own
 *   rule for files), kept as image parts, never as text; other outputs (numbers, JSON) are not messages.
 * - `metrics.input_token_count` / `output_token_count` are the usage where the model reports them; there
 *   are no tokens otherwise (an image model's span has none).
 */

/** A scalar input longer than this is content (a document, a long instruction), not a parameter. */
const MAX_PARAMETER_STRING = 256;
/** Inputs that are messages, not parameters. */
const MESSAGE_INPUTS = new Set(['prompt', 'system_prompt', 'messages']);
/**
 * An input named as a credential: a model's cog `Secret` inputs (`hf_token`, `openai_api_key`,
 * `replicate_api_token`, a `password`) are passed in `input` like any other. Never a parameter.
 */
const SECRET_INPUT = /(?:^|[._-])(?:token|secret|password|passwd|credentials?|api[-_]?key|authorization)$/i;
/** A key-shaped value under any name: Replicate `r8_`, Hugging Face `hf_`, `sk-` (OpenAI and others), Google `AIza`, Groq `gsk_`. */
const SECRET_VALUE = /^(?:r8_|hf_|sk-|AIza|gsk_)[A-Za-z0-9_-]{8,}/;

export function readPredictionInput(record: CallRecord, value: unknown): void {
  const input = asRecord(value);
  if (!input) return;
  const messages: Message[] = [];
  const system = asString(input.system_prompt);
  if (system) messages.push({ role: 'system', content: system });
  for (const item of asArray(input.messages)) {
    const m = asRecord(item);
    if (m && typeof m.content === 'string') messages.push({ role: asString(m.role) ?? 'user', content: m.content });
  }
  const prompt = asString(input.prompt);
  if (prompt) messages.push({ role: 'user', content: prompt });
  record.inputMessages = messages;
  let parameters: Record<string, unknown> | undefined;
  for (const key of Object.keys(input)) {
    if (MESSAGE_INPUTS.has(key) || SECRET_INPUT.test(key) || !isParameter(input[key])) continue;
    (parameters ??= {})[key] = input[key];
  }
  record.invocationParameters = parameters;
}

function isParameter(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'boolean') return true;
  return typeof value === 'string' && value.length <= MAX_PARAMETER_STRING && !isFileUrl(value) && !SECRET_VALUE.test(value);
}

/** What the SDK itself treats as a file output (`run`'s transform): an `https:` or `data:` URL. */
export function isFileUrl(value: string): boolean {
  return value.startsWith('https:') || value.startsWith('data:');
}

/** Everything a prediction tells about the call, as far as it has got (polls repeat it, growing). */
export function readPrediction(record: CallRecord, value: unknown): void {
  const prediction = asRecord(value);
  if (!prediction) return;
  record.responseId = asString(prediction.id) ?? record.responseId;
  const model = asString(prediction.model);
  // Created by version alone: the prediction names the model it belongs to.
  if (model && record.requestModel !== undefined && !record.requestModel.includes('/')) record.responseModel = `${model}:${record.requestModel}`;
  const output = readOutput(record, prediction.output);
  if (output) record.outputMessages = [output];
  if (prediction.status === 'canceled' || prediction.status === 'aborted') record.finishReason = prediction.status;
  const metrics = asRecord(prediction.metrics);
  const prompt = asReportedNumber(metrics?.input_token_count);
  const completion = asReportedNumber(metrics?.output_token_count);
  if (prompt !== undefined || completion !== undefined) {
    record.usage = { prompt, completion, total: prompt !== undefined && completion !== undefined ? tokenSum(prompt, completion) : undefined };
  }
}

/**
 * The output as one assistant message: text (joined within the record's text cap: a long generation's
 * list of tokens is never joined whole), or image parts (the record's part cap); nothing for other outputs.
 */
function readOutput(record: CallRecord, output: unknown): Message | undefined {
  const items = typeof output === 'string' ? [output] : Array.isArray(output) && output.every((o) => typeof o === 'string') ? (output as string[]) : undefined;
  if (!items || items.length === 0) return undefined;
  if (!items.some(isFileUrl)) {
    const text = new OutputBuffers(record).text();
    for (const item of items) text.add(item);
    return { role: 'assistant', content: text.text() ?? '' };
  }
  const parts = (keptParts(items.filter(isFileUrl), record) as string[]).map(filePart);
  return { role: 'assistant', parts };
}

const IMAGE_PATH = /\.(png|jpe?g|webp|gif|avif|bmp)$/i;

/** A file output's URL as a message part: an image where its type or extension says so, else a file (no URL kept). */
export function filePart(url: string): MessagePart {
  if (url.startsWith('data:image/')) return { type: 'image', imageUrl: url };
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // not a URL after all: no extension to read
  }
  return IMAGE_PATH.test(path) ? { type: 'image', imageUrl: url } : { type: 'file' };
}

/** The `owner/name[:version]` a call names, from `run`/`stream`'s ref or `predictions.create`'s options. */
export function requestedModel(options: Json | undefined): string | undefined {
  return asString(options?.model) ?? asString(options?.version);
}

/** The prediction's status says it failed: the SDK's own wording, as `run` and `wait` throw it. */
export function predictionFailure(value: unknown): Error | undefined {
  const prediction = asRecord(value);
  return prediction?.status === 'failed' ? new Error(`Prediction failed: ${String(prediction.error)}`) : undefined;
}
