/**
 * ai 7 channel events → call records. A `languageModelCall` event carries the request (provider id, model,
 * instructions, messages, tools, settings); its result the provider's answer (content, usage, finish reason,
 * response model). `embed`/`embedMany` carry the values, their results the vectors and the token count.
 * Events are already filtered by the AI SDK's own `recordInputs`/`recordOutputs`.
 */
import { CallKind, CallRecord, createCallRecord } from '../../record/call-record';
import {
  aiSdkProvider,
  aiSdkSettings,
  aiSdkSystem,
  aiSdkUsage,
  finishReasonOf,
  modelMessages,
  outputMessage,
  textOf,
} from '../../record/ai-sdk-shapes';
import { toolSchemas } from '../../record/json';
import { asArray, asNumber, asRecord, asString, Json } from '../../record/read';

export function newRecord(kind: CallKind, operation: string, event: Json): CallRecord {
  const provider = aiSdkProvider(event.provider);
  const record = createCallRecord(kind, operation, provider, aiSdkSystem(provider));
  record.requestModel = asString(event.modelId);
  return record;
}

/** The request side of a model call. */
export function readModelRequest(record: CallRecord, event: Json): void {
  if (event.recordInputs !== false) {
    record.inputMessages = modelMessages(event.instructions, event.messages);
    const tools = toolSchemas(asArray(event.tools));
    if (tools) record.tools = tools;
  }
  const params = aiSdkSettings(event, record.requestModel);
  if (params) record.invocationParameters = params;
}

/**
 * The answer of a model call: the provider's result (generateText, on the channel) or the SDK's
 * `onLanguageModelCallEnd` event (streamText, at the end of the stream); both have content, usage and a
 * finish reason.
 */
export function readModelResponse(record: CallRecord, result: Json): void {
  const response = asRecord(result.response);
  record.responseModel = asString(response?.modelId) ?? asString(result.modelId) ?? record.responseModel;
  record.usage = aiSdkUsage(result.usage);
  record.finishReason = finishReasonOf(result.finishReason);
  const message = outputMessage(asArray(result.content));
  if (message) record.outputMessages = [message];
}

/** The values of an `embed` (`value`: one value) or `embedMany` (`value`: the list) event. */
export function readEmbedRequest(record: CallRecord, event: Json, many: boolean): void {
  if (event.recordInputs === false) return;
  const values = many ? asArray(event.value ?? event.values) : [event.value];
  record.embeddings = values.map((v) => ({ text: textOf(v) ?? '' }));
}

export function readEmbedResponse(record: CallRecord, result: Json): void {
  record.usage = aiSdkUsage(result.usage);
  const vectors = 'embeddings' in result ? asArray(result.embeddings) : [result.embedding];
  const embeddings = record.embeddings ?? [];
  vectors.forEach((vector, i) => {
    const numbers = asArray(vector).filter((n): n is number => asNumber(n) !== undefined);
    if (numbers.length === 0) return;
    embeddings[i] = { ...embeddings[i], vector: numbers };
  });
  if (embeddings.length > 0) record.embeddings = embeddings;
}
