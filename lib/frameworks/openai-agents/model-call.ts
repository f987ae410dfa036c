import { createCallRecord, type CallRecord, type Message, type ToolCall } from '../../record/call-record';
import { argumentsJson } from '../../record/json';
import { asArray, asRecord, asString, type Json } from '../../record/read';
import { textOf } from '../../record/ai-sdk-shapes';
import { readOpenAIUsage } from '../../record/openai-usage';
import type { SdkSpanData } from './sdk-shapes';

/**
 * A model request the SDK traced (its `response` or `generation` span) that no SDK call of ours served (a
 * model provider we do not patch, or the openai patch disabled), as the neutral `CallRecord`: rendered as
 * the request's one LLM span, from what the SDK's span data holds. The data carries content only when the
 * app lets the SDK trace it (`traceIncludeSensitiveData`, on by default); model and usage otherwise may be
 * all there is.
 */
export function getModelCallRecord(type: string | undefined, data: SdkSpanData, startedAt: number): CallRecord {
  // The Responses API and Chat Completions models are OpenAI's; a generation span of another provider's
  // model (the AI SDK extension's) says no provider, and is named for the API shape it reports.
  const record = createCallRecord('LLM', 'chat', 'openai', 'openai');
  record.startedAt = startedAt;
  if (type === 'response') readResponse(record, data);
  else readGeneration(record, data);
  return record;
}

/** `_input` (the request's input items) and `_response` (the Responses API response). */
function readResponse(record: CallRecord, data: SdkSpanData): void {
  const input = data._input;
  record.inputMessages = typeof input === 'string' ? [{ role: 'user', content: input }] : asArray(input).map(getItemMessage).filter(isMessage);
  const response = asRecord(data._response);
  if (!response) return;
  record.responseModel = asString(response.model);
  record.responseId = asString(response.id) ?? asString(data.response_id);
  record.outputMessages = asArray(response.output).map(getItemMessage).filter(isMessage);
  const usage = readOpenAIUsage(response.usage);
  if (usage) record.usage = usage;
}

/** Chat Completions: `input` (messages), `output` (`[completion]`), `model`, `model_config`, `usage`. */
function readGeneration(record: CallRecord, data: SdkSpanData): void {
  record.requestModel = asString(data.model);
  const parameters = getModelParameters(asRecord(data.model_config));
  if (parameters) record.invocationParameters = parameters;
  record.inputMessages = asArray(data.input).map(getChatMessage).filter(isMessage);
  const completion = asRecord(asArray(data.output)[0]);
  if (completion) {
    record.responseModel = asString(completion.model);
    record.responseId = asString(completion.id);
    const message = asRecord(asRecord(asArray(completion.choices)[0])?.message);
    const out = message ? getChatMessage(message) : undefined;
    if (out) record.outputMessages = [out];
  }
  const usage = readOpenAIUsage(data.usage ?? completion?.usage);
  if (usage) record.usage = usage;
}

/**
 * The model settings the SDK traced, those it set. Not `base_url`: the SDK puts the client's endpoint there
 * when the request has no settings, and an endpoint is no parameter of the model (and may carry credentials).
 */
function getModelParameters(config: Json | undefined): Json | undefined {
  const set = Object.entries(config ?? {}).filter(([key, value]) => key !== 'base_url' && value !== undefined && value !== null);
  return set.length > 0 ? Object.fromEntries(set) : undefined;
}

function isMessage(message: Message | undefined): message is Message {
  return message !== undefined;
}

/**
 * One input or output item, in the SDK's spelling (`callId`, `function_call_result`) or the API's
 * (`call_id`, `function_call_output`): a message, a tool call, or a tool's result. Other items (reasoning,
 * hosted tool calls) are left out.
 */
export function getItemMessage(value: unknown): Message | undefined {
  const item = asRecord(value);
  if (!item) return undefined;
  const type = asString(item.type) ?? (item.role !== undefined ? 'message' : undefined);
  if (type === 'message') return { role: asString(item.role), content: getItemText(item.content) };
  if (type === 'function_call') {
    const call: ToolCall = { id: asString(item.callId) ?? asString(item.call_id), name: asString(item.name), arguments: argumentsJson(item.arguments) };
    return { role: 'assistant', toolCalls: [call] };
  }
  if (type === 'function_call_result' || type === 'function_call_output') {
    return { role: 'tool', toolCallId: asString(item.callId) ?? asString(item.call_id), content: getItemText(item.output) };
  }
  return undefined;
}

/** A content value as text: a string, the text of its text parts (`input_text`, `output_text`, `text`), or JSON. */
function getItemText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  const single = asRecord(content);
  if (single && typeof single.text === 'string') return single.text;
  const parts = asArray(content).map(asRecord);
  if (parts.length > 0 && parts.every((p) => typeof p?.text === 'string')) return parts.map((p) => (p as Json).text).join('');
  return textOf(content);
}

/** A Chat Completions message: role, content, `tool_calls`, `tool_call_id`. */
export function getChatMessage(value: unknown): Message | undefined {
  const m = asRecord(value);
  if (!m) return undefined;
  const message: Message = { role: asString(m.role) };
  const content = m.content === null ? undefined : getItemText(m.content);
  if (content !== undefined) message.content = content;
  const id = asString(m.tool_call_id);
  if (id !== undefined) message.toolCallId = id;
  const calls = asArray(m.tool_calls).map(asRecord).filter((c): c is Json => c !== undefined);
  if (calls.length > 0) {
    message.toolCalls = calls.map((c) => {
      const fn = asRecord(c.function);
      return { id: asString(c.id), name: asString(fn?.name), arguments: argumentsJson(fn?.arguments) };
    });
  }
  return message;
}

