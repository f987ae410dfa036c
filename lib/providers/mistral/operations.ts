import { LLMProvider, LLMSystem } from '@arizeai/openinference-semantic-conventions';
import type { LlmCall } from '../../instrumentation/llm-call';
import type { CallRecord, Embedding } from '../../record/call-record';
import { toolSchemas } from '../../record/json';
import { asArray, asRecord, asString, Json, without } from '../../record/read';
import type { AsyncMethodOperation } from '../async-method';
import { watchIterableInPlace } from '../async-iterable';
import { readEmbeddingData } from '../openai/embeddings';
import { readMistralCompletion, readMistralMessage, readMistralUsage } from './messages';
import { MistralChunkReader } from './stream';

/** Request keys that are content, not invocation parameters. `suffix` is FIM input text. */
const NOT_PARAMETERS = new Set(['messages', 'tools', 'prompt', 'suffix', 'inputs']);

function request(args: unknown[]): Json {
  return asRecord(args[0]) ?? {};
}

const MISTRAL = { provider: LLMProvider.MISTRALAI, system: LLMSystem.MISTRALAI } as const;

function model(_self: unknown, args: unknown[]): string | undefined {
  return asString(request(args).model);
}

/**
 * `chat.stream` and `fim.stream` resolve to the SDK's `EventStream` (a ReadableStream read with
 * `for await`). The app keeps that object; its iterator goes through the stream wrapper, and an abort
 * through `fetchOptions.signal` ends the span as abandoned.
 */
function watchEventStream(value: unknown, call: LlmCall, args: unknown[]): unknown {
  const signal = asRecord(asRecord(args[1])?.fetchOptions)?.signal;
  return watchIterableInPlace(value, call, new MistralChunkReader(call.record), { signal });
}

function readChatRequest(record: CallRecord, _self: unknown, args: unknown[]): void {
  const body = request(args);
  record.inputMessages = asArray(body.messages).map((m) => readMistralMessage(m));
  record.tools = toolSchemas(asArray(body.tools));
  record.invocationParameters = without(body, NOT_PARAMETERS);
}

/** `chat.parse` / `parseStream` also take `responseFormat`: a Zod schema, not a parameter we can record. */
const NOT_PARSE_PARAMETERS = new Set([...NOT_PARAMETERS, 'responseFormat']);

function readParseRequest(record: CallRecord, self: unknown, args: unknown[]): void {
  readChatRequest(record, self, args);
  record.invocationParameters = without(request(args), NOT_PARSE_PARAMETERS);
  record.outputType = 'json';
}

export const chatComplete: AsyncMethodOperation = {
  kind: 'LLM',
  operation: 'chat',
  ...MISTRAL,
  model,
  readRequest: readChatRequest,
  readResult: readMistralCompletion,
};

export const chatStream: AsyncMethodOperation = { ...chatComplete, readResult: undefined, watchStream: watchEventStream };

/**
 * Structured output (`chat.parse`, `chat.parseStream`): the SDK turns the Zod `responseFormat` into a JSON
 * schema and calls the same endpoint as `complete`/`stream` (through its own functions, not those methods,
 * so one call is one span). `parse` answers a completion whose messages also carry `parsed`: the message
 * content is recorded, as for `complete`.
 */
export const chatParse: AsyncMethodOperation = { ...chatComplete, readRequest: readParseRequest };
export const chatParseStream: AsyncMethodOperation = { ...chatStream, readRequest: readParseRequest };

/** Fill-in-the-middle: the prompt is recorded as a text-completion prompt; the suffix is not recorded. */
export const fimComplete: AsyncMethodOperation = {
  kind: 'LLM',
  operation: 'text_completion',
  ...MISTRAL,
  model,
  readRequest(record, _self, args) {
    const body = request(args);
    const prompt = asString(body.prompt);
    if (prompt !== undefined) record.prompts = [prompt];
    record.invocationParameters = without(body, NOT_PARAMETERS);
  },
  readResult: readMistralCompletion,
};

export const fimStream: AsyncMethodOperation = { ...fimComplete, readResult: undefined, watchStream: watchEventStream };

export const embeddingsCreate: AsyncMethodOperation = {
  kind: 'EMBEDDING',
  operation: 'embeddings',
  ...MISTRAL,
  model,
  readRequest(record, _self, args) {
    const body = request(args);
    const inputs = body.inputs;
    const texts = typeof inputs === 'string' ? [inputs] : asArray(inputs);
    record.embeddings = texts.map((t): Embedding => ({ text: asString(t) }));
    record.invocationParameters = without(body, NOT_PARAMETERS);
  },
  readResult(record, value) {
    const response = asRecord(value);
    if (!response) return;
    record.responseModel = asString(response.model) ?? record.responseModel;
    record.usage = readMistralUsage(response.usage) ?? record.usage;
    readEmbeddingData(record, response.data);
  },
};
