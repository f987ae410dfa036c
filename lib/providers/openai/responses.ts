import { Message, outputTypeOf } from '../../record/call-record';
import { asArray, asRecord, asString, Json, without } from '../../record/read';
import type { StainlessOperation } from '../stainless/traced-method';
import { toolSchemas } from '../../record/json';
import { openaiServedBy, openaiServer } from './client';
import { readOpenAIContent } from './content';
import { readFunctionCall, readResponseObject, responseFailure } from './responses-output';
import { ResponseEventReader } from './responses-stream';

// Declared with the response readers; still exported from here, the module that always exported it.
export { ResponseFailedError } from './responses-output';

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
