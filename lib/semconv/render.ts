import { diag, type Attributes } from '@opentelemetry/api';
import { CallRecord, Message, requestTemperature } from '../record/call-record';
import { safeJson } from '../record/json';
import { isTokenCount } from '../record/usage';
import type { Usage } from '../record/usage';
import { maskAttribute, REDACTED } from '../masking/mask';
import type { TraceConfig } from '../masking/trace-config';
import { AttributeSink, type AttributeTarget } from './attribute-sink';
import { ATTR_ERROR_TYPE, INFINIUM, MimeType, OI } from './attributes';
import {
  EMBEDDING_TEXT_KEY,
  EMBEDDING_VECTOR_KEY,
  INPUT_MESSAGE_KEYS,
  MessageKeys,
  OUTPUT_MESSAGE_KEYS,
  TOOL_SCHEMA_KEY,
} from './indexed-keys';
import { jsonWithin } from './fit-json';
import { capMessages, mayLeaveOut, messageCount, PlacedMessage, renderInputMessages, renderMessage } from './messages';
import { fitsWhole, renderWholeConversation } from './whole-conversation';
import { renderCost } from './render-cost';
import { renderReranker } from './render-reranker';

export { AttributeSink, type AttributeTarget } from './attribute-sink';

/**
 * The one renderer: a call record becomes OpenInference + Infinium attributes, every value passed through
 * the one masking function. It reads the record and the config and returns a fresh attribute map; given a
 * `target` (the call's own span), it writes the attributes straight onto it in the same order and returns
 * what is left for the caller to set (nothing, unless it had to hold a slot for the omitted count, which
 * only a map can fill in afterwards).
 *
 * The order of the map is the order of importance. The OpenTelemetry SDK keeps at most
 * `attributeCountLimit` attributes (128 by default) and drops every NEW key after that, and
 * `span.setAttributes` adds them in map order. So: the essentials (kind, provider, model, token counts,
 * finish reason, latency, error, Infinium keys), then the parameters and the output, then `input.value`,
 * then the input messages (system first, then newest to oldest, as many as fit), then tools and embeddings.
 */
export function renderCallRecord(record: CallRecord, config: TraceConfig, target?: AttributeTarget): Attributes {
  // The usual call (a short conversation of plain messages) is written whole, as it is: none of the capping
  // and budgeting below runs for it, and so V8 has none of it to compile in an app's first thousands of calls.
  const whole = fitsWhole(record, config);
  const total = whole ? record.inputMessages.length : messageCount(record.inputMessages);
  const capped = whole ? undefined : capMessages(record.inputMessages, config.maxMessages, config.maxAttributeLength);
  const omittable = capped !== undefined && total > 0 && mayLeaveOut(capped, total, record.outputMessages, config);
  const out = new AttributeSink(config, omittable ? undefined : target);
  renderEssentials(out, record);
  // Holds its place among the essentials; the real count is known once the messages are written.
  if (omittable) out.put(INFINIUM.INPUT_MESSAGES_OMITTED, 0);
  renderParameters(out, record);
  renderOutputValue(out, record);
  for (let i = 0; i < record.outputMessages.length; i++) {
    const m = record.outputMessages[i];
    if (m) renderMessage(out, OUTPUT_MESSAGE_KEYS, m, i);
  }
  // The messages `input.value` repeats: those the span records (none for a list of holes only).
  renderInputValue(out, record, capped === undefined || (total > 0 && capped.length === total) ? record.inputMessages : capped.map((p) => p.message));
  if (record.prompts && record.prompts.length > 0) out.put(OI.LLM_PROMPTS, record.prompts);
  // Written whole unless what came before took more of the budget than counted on: then capped.
  if (total > 0 && !(whole && renderWholeConversation(out, record.inputMessages, whole, config.attributeCountLimit))) {
    renderCappedInput(out, capped ?? capMessages(record.inputMessages, config.maxMessages, config.maxAttributeLength), total, omittable);
  }
  if (record.tools) for (let i = 0; i < record.tools.length; i++) out.put(TOOL_SCHEMA_KEY(i), record.tools[i]);
  if (record.embeddings) renderEmbeddings(out, record);
  if (record.rerank) renderReranker(out, record);
  return out.attributes;
}

/** As many of the capped input messages as fit, and the count of those left out. */
function renderCappedInput(out: AttributeSink, capped: PlacedMessage[], total: number, omittable: boolean): void {
  const written = renderInputMessages(out, capped, out.config.attributeCountLimit);
  const omitted = total > written ? total - written : undefined;
  // Should the estimate have been wrong, the count still goes on the span, after the messages.
  if (omittable) out.replace(INFINIUM.INPUT_MESSAGES_OMITTED, omitted);
  else if (omitted !== undefined) out.put(INFINIUM.INPUT_MESSAGES_OMITTED, omitted);
}

/** The span name, in the GenAI form `{operation} {model}`. */
export function callSpanName(record: CallRecord): string {
  const model = record.requestModel;
  return model ? `${record.operation} ${model}` : record.operation;
}

function renderEssentials(out: AttributeSink, record: CallRecord): void {
  const model = record.responseModel ?? record.requestModel;
  out.put(OI.OPENINFERENCE_SPAN_KIND, record.kind);
  out.put(OI.LLM_PROVIDER, record.provider);
  out.put(OI.LLM_SYSTEM, record.system);
  // A reranker's model goes in `reranker.model_name` (render-reranker.ts), not the LLM keys.
  if (model !== undefined && !record.rerank) {
    out.put(record.kind === 'EMBEDDING' ? OI.EMBEDDING_MODEL_NAME : OI.LLM_MODEL_NAME, model);
    out.put(INFINIUM.MODEL, model);
  }
  if (record.serverAddress !== undefined) out.put('server.address', record.serverAddress);
  renderUsage(out, record);
  renderCost(out, record);
  if (record.finishReason !== undefined) out.put(OI.LLM_FINISH_REASON, record.finishReason);
  if (record.latencyMs !== undefined) out.put(INFINIUM.LATENCY_MS, Math.round(record.latencyMs * 1000) / 1000);
  if (record.error) out.put(ATTR_ERROR_TYPE, record.error.type);
  const temperature = requestTemperature(record);
  if (temperature !== undefined) out.put(INFINIUM.TEMPERATURE, temperature);
  renderOmittedOutput(out, record);
}

/** What the response's reader left out past the record's caps: one count each, only when some was. */
export function renderOmittedOutput(out: AttributeSink, record: CallRecord): void {
  const omitted = record.omitted;
  if (!omitted) return;
  out.put(INFINIUM.OUTPUT_MESSAGES_OMITTED, omitted.outputMessages);
  out.put(INFINIUM.OUTPUT_PARTS_OMITTED, omitted.outputParts);
  out.put(INFINIUM.TOOL_CALLS_OMITTED, omitted.toolCalls);
}

function renderParameters(out: AttributeSink, record: CallRecord): void {
  const params = record.invocationParameters;
  // Skip building the JSON when the masking would drop it anyway.
  if (!params || out.config.hideLlmInvocationParameters) return;
  const json = safeJson(params);
  if (json !== undefined && json !== '{}') out.put(OI.LLM_INVOCATION_PARAMETERS, json);
}

function renderEmbeddings(out: AttributeSink, record: CallRecord): void {
  const embeddings = record.embeddings ?? [];
  for (let i = 0; i < embeddings.length; i++) {
    const e = embeddings[i];
    if (!e) continue;
    if (e.text !== undefined) out.put(EMBEDDING_TEXT_KEY(i), e.text);
    if (e.vector !== undefined && e.vector.length > 0) out.put(EMBEDDING_VECTOR_KEY(i), e.vector);
  }
}

function renderInputValue(out: AttributeSink, record: CallRecord, messages: Message[]): void {
  let texts: string[] | undefined;
  if (record.kind === 'EMBEDDING') texts = record.embeddings?.flatMap((e) => (e.text === undefined ? [] : [e.text]));
  else if (record.prompts && record.prompts.length > 0) texts = record.prompts;
  if (texts) {
    if (texts.length > 0) putValue(out, OI.INPUT_VALUE, OI.INPUT_MIME_TYPE, texts.length === 1 ? texts[0] : texts);
    return;
  }
  if (messages.length === 0) return;
  if (out.hides(OI.INPUT_VALUE)) return out.put(OI.INPUT_VALUE, REDACTED);
  const only = messages.length === 1 ? messages[0] : undefined;
  putValue(out, OI.INPUT_VALUE, OI.INPUT_MIME_TYPE, only && isPlainText(only) && only.role === 'user' ? only.content : withMaskedImages(out, INPUT_MESSAGE_KEYS, messages));
}

function renderOutputValue(out: AttributeSink, record: CallRecord): void {
  const messages = record.outputMessages;
  if (messages.length === 0) return;
  // Skip building the JSON that the masking would replace anyway.
  if (out.hides(OI.OUTPUT_VALUE)) return out.put(OI.OUTPUT_VALUE, REDACTED);
  const only = messages.length === 1 ? messages[0] : undefined;
  putValue(out, OI.OUTPUT_VALUE, OI.OUTPUT_MIME_TYPE, only && isPlainText(only) ? only.content : withMaskedImages(out, OUTPUT_MESSAGE_KEYS, messages));
}

/**
 * `input.value`/`output.value` repeat the messages as JSON, so their images get the masking of the image
 * attributes (truncated, or left out when hidden): else a base64 image would pass the length limit, or a
 * hidden image still show, inside the JSON. Messages without images are returned as they are.
 */
function withMaskedImages(out: AttributeSink, keys: MessageKeys, messages: Message[]): Message[] {
  if (!hasImage(messages)) return messages;
  return messages.map((m, i) => {
    if (!m?.parts) return m;
    const parts = m.parts.map((part, j) => {
      if (part.imageUrl === undefined) return part;
      const masked = maskAttribute(out.config, keys.partImage(i, j), part.imageUrl);
      const { imageUrl: _hidden, ...rest } = part;
      return typeof masked === 'string' ? { ...rest, imageUrl: masked } : rest;
    });
    return { ...m, parts };
  });
}

/** Whether a message of the list has an image part. A loop: it runs on every call, mostly unoptimized. */
function hasImage(messages: Message[]): boolean {
  for (let i = 0; i < messages.length; i++) {
    const parts = messages[i]?.parts;
    if (!parts) continue;
    for (let j = 0; j < parts.length; j++) if (parts[j]?.imageUrl !== undefined) return true;
  }
  return false;
}

function isPlainText(m: Message): m is Message & { content: string } {
  return typeof m.content === 'string' && !m.parts && !(m.toolCalls && m.toolCalls.length > 0);
}

/**
 * A string goes as text/plain, anything else as one JSON string, made to fit the text cap (and what is
 * left of the span's text budget) as valid JSON; JSON that still does not fit is cut as text/plain.
 */
export function putValue(out: AttributeSink, valueKey: string, mimeKey: string, value: unknown): void {
  if (typeof value === 'string') {
    out.put(valueKey, value);
    out.put(mimeKey, MimeType.TEXT);
    return;
  }
  const limit = Math.min(out.config.maxAttributeLength, out.textBudget);
  const json = jsonWithin(value, limit);
  if (json === undefined) return;
  out.put(valueKey, json);
  out.put(mimeKey, json.length > limit ? MimeType.TEXT : MimeType.JSON);
}

function renderUsage(out: AttributeSink, record: CallRecord): void {
  renderTokenCounts(out, record.usage, true);
}

/**
 * Token counts in OpenInference's keys, and Infinium's `llm.prompt_tokens`/`llm.completion_tokens` where
 * `infinium` (a model call's span; a framework run's reported usage has the OpenInference keys only).
 */
export function renderTokenCounts(out: AttributeSink, u: Usage, infinium: boolean): void {
  const total = u.total ?? (isTokenCount(u.prompt) && isTokenCount(u.completion) ? u.prompt + u.completion : undefined);
  putCount(out, OI.LLM_TOKEN_COUNT_PROMPT, u.prompt);
  putCount(out, OI.LLM_TOKEN_COUNT_COMPLETION, u.completion);
  putCount(out, OI.LLM_TOKEN_COUNT_TOTAL, total);
  if (infinium) {
    putCount(out, INFINIUM.PROMPT_TOKENS, u.prompt);
    putCount(out, INFINIUM.COMPLETION_TOKENS, u.completion);
  }
  putCount(out, OI.LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ, u.cacheRead);
  putCount(out, OI.LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE, u.cacheWrite);
  putCount(out, OI.LLM_TOKEN_COUNT_PROMPT_DETAILS_AUDIO, u.promptAudio);
  putCount(out, OI.LLM_TOKEN_COUNT_COMPLETION_DETAILS_REASONING, u.reasoning);
  putCount(out, OI.LLM_TOKEN_COUNT_COMPLETION_DETAILS_AUDIO, u.completionAudio);
}

function putCount(out: AttributeSink, key: string, value: number | undefined): void {
  if (value === undefined) return;
  if (isTokenCount(value)) out.put(key, value);
  else diag.warn(`@infinium/otel: ${key} left out: ${String(value)} is not a token count`);
}
