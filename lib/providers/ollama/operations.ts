import { LLMProvider } from '@arizeai/openinference-semantic-conventions';
import type { LlmCall } from '../../instrumentation/llm-call';
import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import type { CallRecord, Message } from '../../record/call-record';
import { IndexedSlots, keptToolCalls, OutputBuffers, shortString, ToolCallBuffer, toolCallOf } from '../../record/bounded';
import { toolSchemas } from '../../record/json';
import { asArray, asNumber, asRecord, asString, Json, TextAccumulator, without } from '../../record/read';
import type { AsyncMethodOperation } from '../async-method';
import { watchIterableInPlace } from '../async-iterable';
import { readFunctionToolCall } from '../openai/chat';
import { releaseFromClient } from './client-entry';

/**
 * `ollama`'s native API (`/api/chat`, `/api/generate`, `/api/embed`). Requests and responses are the
 * wire's own snake_case JSON. Sampling parameters sit in `options` (`temperature`, `top_p`, `num_predict`).
 */
const OLLAMA = { provider: LLMProvider.OLLAMA, system: 'ollama' } as const;

/** Request keys that are content (or the nested `options`), not invocation parameters. */
const NOT_PARAMETERS = new Set(['messages', 'tools', 'prompt', 'suffix', 'system', 'images', 'context', 'template', 'input', 'options']);

function request(args: unknown[]): Json {
  return asRecord(args[0]) ?? {};
}

/** The top-level parameters with `options` flattened in, so `temperature` is where the record reads it. */
function parameters(body: Json): Json | undefined {
  const top = without(body, NOT_PARAMETERS);
  const options = asRecord(body.options);
  return options ? { ...top, ...options } : top;
}

const base = {
  ...OLLAMA,
  model: (_self: unknown, args: unknown[]) => asString(request(args).model),
  streams: (args: unknown[]) => request(args).stream === true,
};

export const chat: AsyncMethodOperation = {
  ...base,
  kind: 'LLM',
  operation: 'chat',
  readRequest(record, _self, args) {
    const body = request(args);
    record.inputMessages = asArray(body.messages).map((m) => readMessage(asRecord(m)));
    record.tools = toolSchemas(asArray(body.tools));
    record.invocationParameters = parameters(body);
  },
  readResult(record, value) {
    const response = asRecord(value);
    if (!response) return;
    record.outputMessages = [readMessage(asRecord(response.message), 'assistant', record)];
    readFinal(record, response);
  },
  watchStream: (value, call, _args, self) => watchNdjson(value, call, new ChatChunkReader(call.record), self),
};

export const generate: AsyncMethodOperation = {
  ...base,
  kind: 'LLM',
  operation: 'text_completion',
  readRequest(record, _self, args) {
    const body = request(args);
    const prompt = asString(body.prompt);
    if (prompt !== undefined) record.prompts = [prompt];
    const system = asString(body.system);
    if (system !== undefined) record.inputMessages = [{ role: 'system', content: system }];
    record.invocationParameters = parameters(body);
  },
  readResult(record, value) {
    const response = asRecord(value);
    if (!response) return;
    const text = asString(response.response);
    if (text !== undefined) record.outputMessages = [{ role: 'assistant', content: text }];
    readFinal(record, response);
  },
  watchStream: (value, call, _args, self) => watchNdjson(value, call, new GenerateChunkReader(call.record), self),
};

export const embed: AsyncMethodOperation = {
  ...base,
  kind: 'EMBEDDING',
  operation: 'embeddings',
  streams: () => false,
  readRequest(record, _self, args) {
    const body = request(args);
    const input = body.input;
    record.embeddings = (typeof input === 'string' ? [input] : asArray(input)).map((t) => ({ text: asString(t) }));
    record.invocationParameters = parameters(body);
  },
  readResult(record, value) {
    const response = asRecord(value);
    if (!response) return;
    record.responseModel = asString(response.model) ?? record.responseModel;
    record.usage = { prompt: asNumber(response.prompt_eval_count) };
    const vectors = asArray(response.embeddings);
    const embeddings = record.embeddings ?? [];
    vectors.forEach((v, i) => {
      if (Array.isArray(v) && v.every((x) => typeof x === 'number')) (embeddings[i] ??= {}).vector = v as number[];
    });
    record.embeddings = Array.from(embeddings, (e) => e ?? {});
  },
};

/** The legacy `/api/embeddings`: one `prompt` in, one `embedding` out, no counts. */
export const embeddings: AsyncMethodOperation = {
  ...embed,
  readRequest(record, _self, args) {
    const body = request(args);
    const prompt = asString(body.prompt);
    record.embeddings = prompt === undefined ? [] : [{ text: prompt }];
    record.invocationParameters = parameters(body);
  },
  readResult(record, value) {
    const vector = asRecord(value)?.embedding;
    if (!Array.isArray(vector) || !vector.every((x) => typeof x === 'number')) return;
    record.embeddings = [{ text: record.embeddings?.[0]?.text, vector: vector as number[] }];
  },
};

/**
 * A chat message: content, a tool result's `tool_name`, tool calls (arguments are an object), images.
 * `output`: the record of a response, whose tool calls are capped.
 */
function readMessage(m: Json | undefined, defaultRole?: string, output?: CallRecord): Message {
  if (!m) return { role: defaultRole };
  const message: Message = { role: asString(m.role) ?? defaultRole, name: asString(m.tool_name) };
  const content = asString(m.content);
  const images = asArray(m.images);
  // Images are raw base64 (or bytes) without a media type: recorded as image parts without their data.
  if (images.length > 0) message.parts = [...(content ? [{ type: 'text', text: content }] : []), ...images.map(() => ({ type: 'image' }))];
  else message.content = content;
  const calls = (output ? keptToolCalls(m.tool_calls, output) : asArray(m.tool_calls)).map(readFunctionToolCall);
  if (calls.length > 0) message.toolCalls = calls;
  return message;
}

/** The final response (or final stream chunk): model, finish reason and token counts. */
function readFinal(record: CallRecord, response: Json): void {
  record.responseModel = asString(response.model) ?? record.responseModel;
  record.finishReason = asString(response.done_reason) ?? record.finishReason;
  const prompt = asNumber(response.prompt_eval_count);
  const completion = asNumber(response.eval_count);
  if (prompt !== undefined || completion !== undefined) record.usage = { prompt, completion };
}

/**
 * `stream: true` resolves to the SDK's `AbortableAsyncIterator` (NDJSON lines). The app keeps it; its
 * iterator goes through the stream wrapper, and `abort()` (on it or on the client) ends the span. The
 * client holds it only weakly from now on, so that a stream dropped unread is collected (client-entry.ts).
 */
function watchNdjson(value: unknown, call: LlmCall, reader: ChunkReader<unknown>, client: unknown): unknown {
  const watched = watchIterableInPlace(value, call, reader, { controller: asRecord(value)?.abortController });
  releaseFromClient(client, value);
  return watched;
}

/** Content deltas and tool calls of `chat` chunks; the `done` chunk has the counts. */
class ChatChunkReader implements ChunkReader<unknown> {
  private readonly text: TextAccumulator;
  /** Whole tool calls, as each chunk brings them (numbered in order), within the caps. */
  private readonly toolCalls: IndexedSlots<ToolCallBuffer>;
  private toolCallCount = 0;
  private role: string | undefined;
  constructor(private readonly record: CallRecord) {
    const buffers = new OutputBuffers(record);
    this.text = buffers.text();
    this.toolCalls = buffers.toolCalls();
  }

  onChunk(value: unknown): void {
    const chunk = asRecord(value);
    if (!chunk) return;
    const message = asRecord(chunk.message);
    if (message) {
      this.role = shortString(message.role) ?? this.role;
      this.text.add(message.content);
      if (message.tool_calls !== undefined) for (const call of keptToolCalls(message.tool_calls, this.record)) this.addToolCall(call);
    }
    if (chunk.done === true) readFinal(this.record, chunk);
    else if (typeof chunk.model === 'string') this.record.responseModel = chunk.model;
  }

  onStop(): void {
    const message: Message = { role: this.role ?? 'assistant', content: this.text.text() ?? '' };
    if (this.toolCalls.size > 0) message.toolCalls = this.toolCalls.ordered().map(toolCallOf);
    this.record.outputMessages = [message];
  }

  private addToolCall(value: unknown): void {
    const buffer = this.toolCalls.at(this.toolCallCount++);
    if (!buffer) return;
    const call = readFunctionToolCall(value);
    buffer.id = shortString(call.id);
    buffer.name.add(call.name);
    buffer.arguments.add(call.arguments);
  }
}

/** Text pieces of `generate` chunks (`response`); the `done` chunk has the counts. */
class GenerateChunkReader implements ChunkReader<unknown> {
  private readonly text: TextAccumulator;
  constructor(private readonly record: CallRecord) {
    this.text = new OutputBuffers(record).text();
  }

  onChunk(value: unknown): void {
    const chunk = asRecord(value);
    if (!chunk) return;
    this.text.add(chunk.response);
    if (chunk.done === true) readFinal(this.record, chunk);
    else if (typeof chunk.model === 'string') this.record.responseModel = chunk.model;
  }

  onStop(): void {
    this.record.outputMessages = [{ role: 'assistant', content: this.text.text() ?? '' }];
  }
}
