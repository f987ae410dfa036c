import type { AttributeValue, Attributes } from '@opentelemetry/api';
import type { CallRecord, Message } from '../record/call-record';
import { safeJson } from '../record/json';
import { isTokenCount } from '../record/usage';
import { maskAttribute, REDACTED } from '../masking/mask';
import type { TraceConfig } from '../masking/trace-config';
import { INPUT_MESSAGE_KEYS, MessageKeys, OUTPUT_MESSAGE_KEYS } from './indexed-keys';
import { AttributeSink } from './render';
import { GEN_AI, genAiOperationName, genAiProviderName } from './genai-keys';
export { GEN_AI, genAiOperationName, genAiProviderName } from './genai-keys';
import { genAiFinishReason, genAiMessage, GenAiMessage, GenAiPart, genAiParts, ImageMask } from './genai-parts';

/**
 * The GenAI renderer: a call record becomes OpenTelemetry GenAI span attributes (`gen_ai.*`,
 * `server.*`), next to the OpenInference renderer (render.ts) and fed by the same record. Every value goes
 * through the one masking function; message JSON is not even built when the masking hides it.
 * `error.type` and the Infinium keys are written by the caller (genai-conventions.ts).
 */
export function renderGenAiAttributes(record: CallRecord, config: TraceConfig): Attributes {
  const out = new AttributeSink(config);
  out.put(GEN_AI.OPERATION_NAME, genAiOperationName(record.operation));
  out.put(GEN_AI.PROVIDER_NAME, genAiProviderName(record));
  out.put(GEN_AI.REQUEST_MODEL, record.requestModel);
  out.put(GEN_AI.RESPONSE_MODEL, record.responseModel);
  out.put(GEN_AI.RESPONSE_ID, record.responseId);
  const finishReasons = finishReasonsOf(record);
  if (finishReasons.length > 0) out.put(GEN_AI.RESPONSE_FINISH_REASONS, finishReasons);
  const server = record.server;
  out.put(GEN_AI.SERVER_ADDRESS, server?.address ?? record.serverAddress);
  out.put(GEN_AI.SERVER_PORT, server?.port);
  out.put(GEN_AI.OUTPUT_TYPE, record.outputType);
  renderRequestParameters(out, record.invocationParameters);
  renderUsage(out, record);
  if (record.firstChunkMs !== undefined) out.put(GEN_AI.RESPONSE_TIME_TO_FIRST_CHUNK, record.firstChunkMs / 1000);
  const dimensions = record.embeddings?.[0]?.vector?.length;
  if (dimensions) out.put(GEN_AI.EMBEDDINGS_DIMENSION_COUNT, dimensions);
  renderMessages(out, record);
  return out.attributes;
}

/** Every choice's finish reason in choice order (choices still open have none), or the one the record has. */
function finishReasonsOf(record: CallRecord): string[] {
  const listed = record.finishReasons?.filter((r): r is string => r !== undefined);
  if (listed && listed.length > 0) return listed;
  return record.finishReason === undefined ? [] : [record.finishReason];
}

/** Request parameter names as the providers spell them, for each GenAI request key. */
const REQUEST_PARAMETERS: ReadonlyArray<readonly [string, readonly string[]]> = [
  [GEN_AI.REQUEST_TEMPERATURE, ['temperature']],
  [GEN_AI.REQUEST_TOP_P, ['top_p', 'topP']],
  [GEN_AI.REQUEST_TOP_K, ['top_k', 'topK']],
  [GEN_AI.REQUEST_MAX_TOKENS, ['max_tokens', 'max_completion_tokens', 'max_output_tokens', 'maxOutputTokens']],
  [GEN_AI.REQUEST_SEED, ['seed']],
  [GEN_AI.REQUEST_FREQUENCY_PENALTY, ['frequency_penalty', 'frequencyPenalty']],
  [GEN_AI.REQUEST_PRESENCE_PENALTY, ['presence_penalty', 'presencePenalty']],
  [GEN_AI.REQUEST_CHOICE_COUNT, ['n', 'candidateCount']],
];
const STOP_SEQUENCES = ['stop_sequences', 'stopSequences', 'stop'];

function renderRequestParameters(out: AttributeSink, params: Record<string, unknown> | undefined): void {
  if (!params) return;
  for (const [key, names] of REQUEST_PARAMETERS) {
    for (const name of names) {
      const value = params[name];
      if (typeof value === 'number' && Number.isFinite(value)) {
        // The conventions record a choice count only when it is not 1.
        if (key !== GEN_AI.REQUEST_CHOICE_COUNT || value !== 1) out.put(key, value);
        break;
      }
    }
  }
  for (const name of STOP_SEQUENCES) {
    const value = params[name];
    if (typeof value === 'string') return out.put(GEN_AI.REQUEST_STOP_SEQUENCES, [value]);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return out.put(GEN_AI.REQUEST_STOP_SEQUENCES, value as string[]);
  }
}

/** Each GenAI usage key and the record's count it carries. */
const USAGE: ReadonlyArray<readonly [string, keyof CallRecord['usage']]> = [
  [GEN_AI.USAGE_INPUT_TOKENS, 'prompt'],
  [GEN_AI.USAGE_OUTPUT_TOKENS, 'completion'],
  [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS, 'cacheRead'],
  [GEN_AI.USAGE_CACHE_CREATION_INPUT_TOKENS, 'cacheWrite'],
  [GEN_AI.USAGE_REASONING_OUTPUT_TOKENS, 'reasoning'],
];

function renderUsage(out: AttributeSink, record: CallRecord): void {
  for (const [key, field] of USAGE) {
    const value = record.usage[field];
    if (isTokenCount(value)) out.put(key, value);
  }
}

/**
 * Leading system messages become `gen_ai.system_instructions` (a list of parts), the rest
 * `gen_ai.input.messages`; the output messages carry the finish reason. Hidden content is written as
 * `__REDACTED__` without building its JSON; hidden images are left out of the parts, long ones truncated.
 */
function renderMessages(out: AttributeSink, record: CallRecord): void {
  const input = record.inputMessages;
  let first = 0;
  while (first < input.length && input[first]?.role === 'system') first++;
  if (first > 0) putJson(out, GEN_AI.SYSTEM_INSTRUCTIONS, () => systemParts(out, input, first));
  if (first < input.length) putJson(out, GEN_AI.INPUT_MESSAGES, () => messagesOf(out, input, first, INPUT_MESSAGE_KEYS, 'user'));
  const output = record.outputMessages;
  if (output.length === 0) return;
  putJson(out, GEN_AI.OUTPUT_MESSAGES, () => messagesOf(out, output, 0, OUTPUT_MESSAGE_KEYS, 'assistant', outputFinish(record)));
}

/**
 * Output message `i`'s finish reason: its own choice's when there is one message per choice, else the
 * record's one finish reason on every message.
 */
function outputFinish(record: CallRecord): (i: number) => string | undefined {
  const perChoice = record.finishReasons;
  if (perChoice && perChoice.length === record.outputMessages.length) {
    return (i) => (perChoice[i] === undefined ? undefined : genAiFinishReason(perChoice[i]!));
  }
  const finish = record.finishReason === undefined ? undefined : genAiFinishReason(record.finishReason);
  return () => finish;
}

function systemParts(out: AttributeSink, input: Message[], count: number): GenAiPart[] {
  const mask = imageMask(out, INPUT_MESSAGE_KEYS);
  const parts: GenAiPart[] = [];
  for (let i = 0; i < count; i++) parts.push(...genAiParts(input[i], i, mask));
  return parts;
}

function messagesOf(out: AttributeSink, messages: Message[], from: number, keys: MessageKeys, defaultRole: string, finish?: (i: number) => string | undefined): GenAiMessage[] {
  const mask = imageMask(out, keys);
  const result: GenAiMessage[] = [];
  for (let i = from; i < messages.length; i++) if (messages[i]) result.push(genAiMessage(messages[i], i, mask, defaultRole, finish?.(i)));
  return result;
}

/** Images inside the JSON get the masking of the OpenInference image attributes (truncated, or left out). */
function imageMask(out: AttributeSink, keys: MessageKeys): ImageMask {
  return (url, message, part) => {
    const masked = maskAttribute(out.config, keys.partImage(message, part), url);
    return typeof masked === 'string' ? masked : undefined;
  };
}

function putJson(out: AttributeSink, key: string, build: () => unknown): void {
  if (out.hides(key)) return out.put(key, REDACTED);
  const json = safeJson(build()) as AttributeValue | undefined;
  if (json !== undefined) out.put(key, json);
}
