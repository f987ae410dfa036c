import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { CallRecord, Message, requestTemperature } from '../record/call-record';
import { safeJson } from '../record/json';
import { maskAttribute, REDACTED } from '../masking/mask';
import type { TraceConfig } from '../masking/trace-config';
import { ATTR_ERROR_TYPE, INFINIUM, MimeType, OI } from './attributes';
import {
  EMBEDDING_TEXT_KEY,
  EMBEDDING_VECTOR_KEY,
  INPUT_MESSAGE_KEYS,
  MessageKeys,
  OUTPUT_MESSAGE_KEYS,
  TOOL_SCHEMA_KEY,
} from './indexed-keys';

/**
 * The one renderer: a call record becomes OpenInference + Infinium attributes, every value passed through
 * the one masking function. Pure: it reads the record and the config and returns a fresh attribute map,
 * or writes through the given sink (LlmCall's writes straight onto its span) and returns that sink's map.
 */
export function renderCallRecord(record: CallRecord, config: TraceConfig, out: AttributeSink = new AttributeSink(config)): Attributes {
  const model = record.responseModel ?? record.requestModel;
  out.put(OI.OPENINFERENCE_SPAN_KIND, record.kind);
  out.put(OI.LLM_PROVIDER, record.provider);
  out.put(OI.LLM_SYSTEM, record.system);
  if (model !== undefined) {
    out.put(record.kind === 'EMBEDDING' ? OI.EMBEDDING_MODEL_NAME : OI.LLM_MODEL_NAME, model);
    out.put(INFINIUM.MODEL, model);
  }
  if (record.serverAddress !== undefined) out.put('server.address', record.serverAddress);
  renderParameters(out, record);
  renderMessages(out, INPUT_MESSAGE_KEYS, record.inputMessages);
  renderMessages(out, OUTPUT_MESSAGE_KEYS, record.outputMessages);
  if (record.prompts && record.prompts.length > 0) out.put(OI.LLM_PROMPTS, record.prompts);
  if (record.tools) for (let i = 0; i < record.tools.length; i++) out.put(TOOL_SCHEMA_KEY(i), record.tools[i]);
  if (record.embeddings) renderEmbeddings(out, record);
  renderInputValue(out, record);
  renderOutputValue(out, record);
  renderUsage(out, record);
  if (record.finishReason !== undefined) out.put(OI.LLM_FINISH_REASON, record.finishReason);
  if (record.latencyMs !== undefined) out.put(INFINIUM.LATENCY_MS, Math.round(record.latencyMs * 1000) / 1000);
  if (record.error) out.put(ATTR_ERROR_TYPE, record.error.type);
  return out.attributes;
}

/** The span name, in the GenAI form `{operation} {model}`. */
export function callSpanName(record: CallRecord): string {
  const model = record.requestModel;
  return model ? `${record.operation} ${model}` : record.operation;
}

/** Collects attributes, masking each one on the way in. */
export class AttributeSink {
  readonly attributes: Attributes = {};
  constructor(readonly config: TraceConfig) {}

  put(key: string, value: AttributeValue | undefined): void {
    if (value === undefined || value === null) return;
    const masked = maskAttribute(this.config, key, value);
    if (masked !== undefined) this.write(key, masked);
  }

  /** Where a masked attribute goes: this sink's own map, or (in a subclass) straight onto a span. */
  protected write(key: string, value: AttributeValue): void {
    this.attributes[key] = value;
  }

  /** True when the masking would hide this key whatever its value: lets callers skip building it. */
  hides(key: string): boolean {
    return maskAttribute(this.config, key, PROBE) !== PROBE;
  }
}

const PROBE = '\u0000probe';

function renderParameters(out: AttributeSink, record: CallRecord): void {
  const params = record.invocationParameters;
  if (!params) return;
  const temperature = requestTemperature(record);
  if (temperature !== undefined) out.put(INFINIUM.TEMPERATURE, temperature);
  if (!out.hides(OI.LLM_INVOCATION_PARAMETERS)) {
    const json = safeJson(params);
    if (json !== undefined && json !== '{}') out.put(OI.LLM_INVOCATION_PARAMETERS, json);
  }
}

function renderMessages(out: AttributeSink, keys: MessageKeys, messages: Message[]): void {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    // Records built from app input can hold holes (a sparse `messages` array mapped as it is).
    if (!m) continue;
    if (m.role !== undefined) out.put(keys.role(i), m.role);
    if (m.name !== undefined) out.put(keys.name(i), m.name);
    if (m.toolCallId !== undefined) out.put(keys.toolCallId(i), m.toolCallId);
    if (m.content !== undefined) out.put(keys.content(i), m.content);
    if (m.parts) {
      for (let j = 0; j < m.parts.length; j++) {
        const part = m.parts[j];
        if (!part) continue;
        out.put(keys.partType(i, j), part.type);
        if (part.text !== undefined) out.put(keys.partText(i, j), part.text);
        if (part.imageUrl !== undefined) out.put(keys.partImage(i, j), part.imageUrl);
      }
    }
    if (m.toolCalls) {
      for (let k = 0; k < m.toolCalls.length; k++) {
        const call = m.toolCalls[k];
        if (!call) continue;
        if (call.id !== undefined) out.put(keys.toolCallIdOf(i, k), call.id);
        if (call.name !== undefined) out.put(keys.toolCallName(i, k), call.name);
        if (call.arguments !== undefined) out.put(keys.toolCallArguments(i, k), call.arguments);
      }
    }
  }
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

function renderInputValue(out: AttributeSink, record: CallRecord): void {
  let texts: string[] | undefined;
  if (record.kind === 'EMBEDDING') texts = record.embeddings?.flatMap((e) => (e.text === undefined ? [] : [e.text]));
  else if (record.prompts && record.prompts.length > 0) texts = record.prompts;
  if (texts) {
    if (texts.length > 0) putValue(out, OI.INPUT_VALUE, OI.INPUT_MIME_TYPE, texts.length === 1 ? texts[0] : texts);
    return;
  }
  const messages = record.inputMessages;
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
  if (!messages.some((m) => m.parts?.some((p) => p.imageUrl !== undefined))) return messages;
  return messages.map((m, i) => {
    if (!m.parts) return m;
    const parts = m.parts.map((part, j) => {
      if (part.imageUrl === undefined) return part;
      const masked = maskAttribute(out.config, keys.partImage(i, j), part.imageUrl);
      const { imageUrl: _hidden, ...rest } = part;
      return typeof masked === 'string' ? { ...rest, imageUrl: masked } : rest;
    });
    return { ...m, parts };
  });
}

function isPlainText(m: Message): m is Message & { content: string } {
  return typeof m.content === 'string' && !m.parts && !(m.toolCalls && m.toolCalls.length > 0);
}

/** A string goes as text/plain, anything else as one JSON string. */
function putValue(out: AttributeSink, valueKey: string, mimeKey: string, value: unknown): void {
  if (typeof value === 'string') {
    out.put(valueKey, value);
    out.put(mimeKey, MimeType.TEXT);
    return;
  }
  const json = safeJson(value);
  if (json === undefined) return;
  out.put(valueKey, json);
  out.put(mimeKey, MimeType.JSON);
}

function renderUsage(out: AttributeSink, record: CallRecord): void {
  const u = record.usage;
  const total = u.total ?? (u.prompt !== undefined && u.completion !== undefined ? u.prompt + u.completion : undefined);
  putCount(out, OI.LLM_TOKEN_COUNT_PROMPT, u.prompt);
  putCount(out, OI.LLM_TOKEN_COUNT_COMPLETION, u.completion);
  putCount(out, OI.LLM_TOKEN_COUNT_TOTAL, total);
  putCount(out, OI.LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_READ, u.cacheRead);
  putCount(out, OI.LLM_TOKEN_COUNT_PROMPT_DETAILS_CACHE_WRITE, u.cacheWrite);
  putCount(out, OI.LLM_TOKEN_COUNT_PROMPT_DETAILS_AUDIO, u.promptAudio);
  putCount(out, OI.LLM_TOKEN_COUNT_COMPLETION_DETAILS_REASONING, u.reasoning);
  putCount(out, OI.LLM_TOKEN_COUNT_COMPLETION_DETAILS_AUDIO, u.completionAudio);
  putCount(out, INFINIUM.PROMPT_TOKENS, u.prompt);
  putCount(out, INFINIUM.COMPLETION_TOKENS, u.completion);
}

function putCount(out: AttributeSink, key: string, value: number | undefined): void {
  if (typeof value === 'number' && Number.isFinite(value)) out.put(key, value);
}

