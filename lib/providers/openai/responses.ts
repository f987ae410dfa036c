import { CallRecord, Message, outputTypeOf } from '../../record/call-record';
import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { asArray, asRecord, asString, Json, TextAccumulator, without } from '../../record/read';
import { IndexedSlots, keptMessages, keptParts, OutputBuffers, shortString } from '../../record/bounded';
import type { StainlessOperation } from '../stainless/traced-method';
import { toolSchemas } from '../../record/json';
import { openaiServedBy, openaiServer } from './client';
import { readOpenAIContent } from './content';
import { readOpenAIUsage } from './usage';

/** Request keys that are content, not invocation parameters. */
const NOT_PARAMETERS = new Set(['input', 'instructions', 'tools']);

/**
 * `responses.create`, plain and streamed.
 *
 * The operation is `chat`: the GenAI semantic conventions have no `responses` operation, and the Responses
 * API is a chat-style generation (messages in, messages and tool calls out), which they name `chat`. The
 * span is then `chat {model}`, like a Chat Completions call, and the processor maps it the same way.
 */
export const responsesCreate: StainlessOperation = {
  kind: 'LLM',
  operation: 'chat',
  system: 'openai',
  servedBy: openaiServedBy,
  server: openaiServer,
  readRequest(record, body) {
    record.inputMessages = readInput(body);
    record.tools = toolSchemas(asArray(body.tools));
    record.invocationParameters = without(body, NOT_PARAMETERS);
    record.outputType = outputTypeOf(asRecord(asRecord(body.text)?.format)?.type);
  },
  readResponse(record, data) {
    readResponseObject(record, asRecord(data));
  },
  failure: (data) => responseFailure(asRecord(data)),
  chunkReader: (record) => new ResponseEventReader(record),
};

/** A failed response (`response.failed`) or an `error` event inside a stream that otherwise ended cleanly. */
export class ResponseFailedError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'ResponseFailedError';
  }
}

/** A response whose `status` is `failed` (plain result or a stream's `response.failed` event) as an error. */
function responseFailure(response: Json | undefined): ResponseFailedError | undefined {
  if (response?.status !== 'failed') return undefined;
  const error = asRecord(response.error);
  return new ResponseFailedError(asString(error?.message) ?? 'response failed', asString(error?.code));
}

/** `instructions` first, as the system message, then `input`: a string (one user message) or a list of items. */
function readInput(body: Json): Message[] {
  const messages: Message[] = [];
  const instructions = asString(body.instructions);
  if (instructions !== undefined) messages.push({ role: 'system', content: instructions });
  if (typeof body.input === 'string') {
    messages.push({ role: 'user', content: body.input });
    return messages;
  }
  for (const value of asArray(body.input)) {
    const message = readInputItem(asRecord(value));
    if (message) messages.push(message);
  }
  return messages;
}

function readInputItem(item: Json | undefined): Message | undefined {
  if (!item) return undefined;
  const type = asString(item.type);
  if (type === 'function_call') return { role: 'assistant', toolCalls: [readFunctionCall(item)] };
  if (type === 'function_call_output') {
    const message: Message = { role: 'tool', toolCallId: asString(item.call_id) };
    readOpenAIContent(message, item.output);
    return message;
  }
  // A message item; `type: 'message'` is optional on the easy input form `{ role, content }`.
  if ((type === undefined || type === 'message') && typeof item.role === 'string') {
    const message: Message = { role: item.role };
    readOpenAIContent(message, item.content);
    return message;
  }
  // Reasoning items, item references and built-in tool calls carry no message content we render.
  return undefined;
}

function readFunctionCall(item: Json) {
  return { id: asString(item.call_id), name: asString(item.name), arguments: asString(item.arguments) };
}

/** Model, output, usage and finish reason of a `response` object (the plain result or a stream's final event). */
function readResponseObject(record: CallRecord, response: Json | undefined): void {
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
function readOutput(items: unknown[], record: CallRecord): Message[] {
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

/** An output item as the stream builds it, until `response.output_item.done` gives the finished item. */
interface ItemState {
  type?: string;
  role?: string;
  callId?: string;
  name?: string;
  text: TextAccumulator;
  arguments: TextAccumulator;
  /** `response.function_call_arguments.done` or the finished item. */
  finalArguments?: string;
  finished?: Json;
}

/**
 * Reads Responses stream events. The final `response.completed` (or `.incomplete`, `.failed`) event carries
 * the whole response: model, output and usage are taken from it with the same reader as a plain call. The
 * deltas are assembled only so that a stream cut before that event keeps its partial output.
 */
class ResponseEventReader implements ChunkReader<unknown> {
  /** Output items by `output_index`, at most DEFAULT_MAX_OUTPUT_MESSAGES of them. */
  private readonly items: IndexedSlots<ItemState>;
  private finalResponseRead = false;
  private failedWith: ResponseFailedError | undefined;

  constructor(private readonly record: CallRecord) {
    const buffers = new OutputBuffers(record);
    this.items = buffers.messages((): ItemState => ({ text: buffers.text(), arguments: buffers.text() }));
  }

  onChunk(value: unknown): void {
    const event = asRecord(value);
    switch (asString(event?.type)) {
      case 'response.created':
      case 'response.in_progress':
        this.record.responseModel = asString(asRecord(event!.response)?.model) ?? this.record.responseModel;
        this.record.responseId = asString(asRecord(event!.response)?.id) ?? this.record.responseId;
        break;
      case 'response.output_item.added':
        this.startItem(event!);
        break;
      case 'response.output_text.delta':
        this.item(event!)?.text.add(event!.delta);
        break;
      case 'response.function_call_arguments.delta':
        this.item(event!)?.arguments.add(event!.delta);
        break;
      case 'response.function_call_arguments.done': {
        const item = this.item(event!);
        if (item) item.finalArguments = asString(event!.arguments);
        break;
      }
      case 'response.output_item.done': {
        const item = this.item(event!);
        if (item) item.finished = asRecord(event!.item);
        break;
      }
      case 'response.completed':
      case 'response.incomplete':
        this.readFinal(event!);
        break;
      case 'response.failed':
        this.failedWith = responseFailure({ status: 'failed', ...this.readFinal(event!) });
        break;
      case 'error':
        this.failedWith = new ResponseFailedError(asString(event!.message) ?? 'stream error', asString(event!.code));
        break;
    }
  }

  onStop(): void {
    if (this.finalResponseRead) return;
    // The stream stopped before its final event: keep what the deltas built.
    this.record.outputMessages = readOutput(this.items.ordered().map((state) => this.partialItem(state)), this.record);
  }

  failure(): unknown {
    return this.failedWith;
  }

  private readFinal(event: Json): Json | undefined {
    const response = asRecord(event.response);
    if (response) {
      readResponseObject(this.record, response);
      this.finalResponseRead = true;
    }
    return response;
  }

  private startItem(event: Json): void {
    const state = this.item(event);
    const item = asRecord(event.item);
    if (!item || !state) return;
    state.type = shortString(item.type);
    state.role = shortString(item.role);
    state.callId = shortString(item.call_id);
    state.name = shortString(item.name);
    state.arguments.add(item.arguments);
  }

  /** The item at the event's `output_index`; `undefined` past the cap. */
  private item(event: Json): ItemState | undefined {
    return this.items.at(typeof event.output_index === 'number' ? event.output_index : 0);
  }

  /** The item in the shape `readOutput` reads: the finished item when the stream got that far. */
  private partialItem(state: ItemState): Json {
    if (state.finished) return state.finished;
    if (state.type === 'function_call') {
      return {
        type: 'function_call',
        call_id: state.callId,
        name: state.name,
        arguments: state.finalArguments ?? state.arguments.text() ?? '',
      };
    }
    if (state.type === 'message' || !state.text.isEmpty) {
      return { type: 'message', role: state.role ?? 'assistant', content: [{ type: 'output_text', text: state.text.text() ?? '' }] };
    }
    return { type: state.type };
  }
}
