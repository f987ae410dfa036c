import { CallRecord, Message } from '../../record/call-record';
import { asRecord, asString, Json, TextAccumulator } from '../../record/read';
import { keptMessages, keptParts } from '../../record/bounded';
import { readOpenAIUsage } from './usage';

/*
 * The readers of a Responses API `response` object, shared by the plain call (responses.ts) and the stream
 * reader (responses-stream.ts), which reads the same object from its final event.
 */

/** A failed response (`response.failed`) or an `error` event inside a stream that otherwise ended cleanly. */
export class ResponseFailedError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'ResponseFailedError';
  }
}

/** A response whose `status` is `failed` (plain result or a stream's `response.failed` event) as an error. */
export function responseFailure(response: Json | undefined): ResponseFailedError | undefined {
  if (response?.status !== 'failed') return undefined;
  const error = asRecord(response.error);
  return new ResponseFailedError(asString(error?.message) ?? 'response failed', asString(error?.code));
}

/** A `function_call` item (input or output) as a tool call. */
export function readFunctionCall(item: Json) {
  return { id: asString(item.call_id), name: asString(item.name), arguments: asString(item.arguments) };
}

/** Model, output, usage and finish reason of a `response` object (the plain result or a stream's final event). */
export function readResponseObject(record: CallRecord, response: Json | undefined): void {
  if (!response) return;
  record.responseModel = asString(response.model) ?? record.responseModel;
  record.responseId = asString(response.id) ?? record.responseId;
  record.outputMessages = readOutput(keptMessages(response.output, record), record);
  record.usage = readOpenAIUsage(response.usage) ?? record.usage;
  record.finishReason = asString(asRecord(response.incomplete_details)?.reason) ?? asString(response.status) ?? record.finishReason;
}

/**
 * Output items become assistant messages: each `message` item one message (its text parts joined, as the
 * SDK's `output_text` does), and `function_call` items tool calls on the assistant message before them, so
 * that text followed by tool calls reads like one Chat Completions message. Reasoning items are skipped.
 */
export function readOutput(items: unknown[], record: CallRecord): Message[] {
  const messages: Message[] = [];
  let last: Message | undefined;
  for (const value of items) {
    const item = asRecord(value);
    const type = asString(item?.type);
    if (!item) continue;
    if (type === 'message') {
      last = { role: asString(item.role) ?? 'assistant', content: outputText(item.content, record) };
      messages.push(last);
    } else if (type === 'function_call') {
      if (!last) messages.push((last = { role: 'assistant' }));
      (last.toolCalls ??= []).push(readFunctionCall(item));
    }
  }
  return messages;
}

function outputText(content: unknown, record: CallRecord): string | undefined {
  // Joined up to the text cap: the renderer would write no more.
  const text = new TextAccumulator(record.textLimit);
  for (const value of keptParts(content, record)) {
    const part = asRecord(value);
    if (part?.type === 'output_text') text.add(part.text);
    else if (part?.type === 'refusal') text.add(part.refusal);
  }
  return text.text();
}
