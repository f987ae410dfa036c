import { CallRecord, Message, MessagePart, noteFinishReason, Usage } from '../../record/call-record';
import { asArray, asNumber, asRecord, asString, Json } from '../../record/read';
import { keptMessages, keptToolCalls } from '../../record/bounded';
import { readFunctionToolCall } from '../openai/chat';
import { readOpenAIContent } from '../openai/content';

/**
 * Mistral's shapes as the SDK hands them over: camelCase on both sides (`toolCalls`, `toolCallId`,
 * `finishReason`, `promptTokens`), because the SDK's zod schemas translate the wire's snake_case.
 */

/** A request or response message; `output`: the record of a response, whose parts and tool calls are capped. */
export function readMistralMessage(value: unknown, defaultRole?: string, output?: CallRecord): Message {
  const m = asRecord(value) ?? {};
  const message: Message = { role: asString(m.role) ?? defaultRole };
  // OpenAI's content shape (a string, or a list of typed chunks) with Mistral's chunk types.
  readOpenAIContent(message, m.content, readChunk, output);
  message.name = asString(m.name);
  message.toolCallId = asString(m.toolCallId);
  const calls = (output ? keptToolCalls(m.toolCalls, output) : asArray(m.toolCalls)).map(readFunctionToolCall);
  if (calls.length > 0) message.toolCalls = calls;
  return message;
}

function readChunk(type: string, chunk: Json): MessagePart {
  switch (type) {
    case 'text':
      return { type: 'text', text: asString(chunk.text) };
    case 'image_url': {
      // `imageUrl` is a URL string or `{ url, detail }`.
      const image = chunk.imageUrl;
      return { type: 'image', imageUrl: asString(image) ?? asString(asRecord(image)?.url) };
    }
    case 'thinking':
      return { type: 'thinking', text: thinkingText(chunk.thinking) };
    default:
      return { type };
  }
}

function thinkingText(value: unknown): string | undefined {
  const texts = asArray(value)
    .map((item) => asString(asRecord(item)?.text))
    .filter((t): t is string => t !== undefined);
  return texts.length > 0 ? texts.join('') : undefined;
}

/** Text from a delta's content: a string, or the text chunks of a list. */
export function deltaText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  const texts = asArray(content)
    .map((item) => asRecord(item))
    .filter((c) => c?.type === 'text')
    .map((c) => asString(c?.text) ?? '');
  return texts.length > 0 ? texts.join('') : undefined;
}

export function readMistralUsage(value: unknown): Usage | undefined {
  const u = asRecord(value);
  if (!u) return undefined;
  // Fields the SDK's schema does not name pass through with their wire spelling.
  const details = asRecord(u.promptTokensDetails) ?? asRecord(u.prompt_tokens_details);
  return {
    prompt: asNumber(u.promptTokens),
    completion: asNumber(u.completionTokens),
    total: asNumber(u.totalTokens),
    cacheRead: asNumber(details?.cachedTokens) ?? asNumber(details?.cached_tokens) ?? asNumber(u.num_cached_tokens),
  };
}

/** A chat (or FIM) completion response: model, one output message and one finish reason per choice, usage. */
export function readMistralCompletion(record: CallRecord, data: unknown): void {
  const response = asRecord(data);
  if (!response) return;
  record.responseModel = asString(response.model) ?? record.responseModel;
  // Only the choices a record keeps are read: 200,000 of them cost what 128 do.
  const choices = keptMessages(response.choices, record);
  record.outputMessages = choices.map((choice) => readMistralMessage(asRecord(choice)?.message, 'assistant', record));
  choices.forEach((choice, i) => noteFinishReason(record, i, asString(asRecord(choice)?.finishReason)));
  record.usage = readMistralUsage(response.usage) ?? record.usage;
}
