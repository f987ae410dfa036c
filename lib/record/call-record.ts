/**
 * The provider-neutral record of one LLM call. Provider adapters translate their SDK's request, response,
 * stream chunks and errors into it; the renderer turns it into span attributes; the span processor maps
 * foreign GenAI spans into it. Nothing else knows an SDK's shapes.
 */

/** `LLM` for generation calls, `EMBEDDING` for embedding calls (the OpenInference span kind). */
export type CallKind = 'LLM' | 'EMBEDDING';

/** One part of a multi-part message. `type` is `text`, `image`, `audio`, `file`, `thinking`, … */
export interface MessagePart {
  type: string;
  text?: string;
  /** An image URL or `data:` URL. */
  imageUrl?: string;
}

export interface ToolCall {
  id?: string;
  name?: string;
  /** The arguments as the model wrote them: a JSON string. */
  arguments?: string;
}

export interface Message {
  role?: string;
  /** Plain text content. A message has `content` or `parts`, not both. */
  content?: string;
  parts?: MessagePart[];
  name?: string;
  /** On a tool-result message: the call it answers. */
  toolCallId?: string;
  toolCalls?: ToolCall[];
}

export interface Usage {
  prompt?: number;
  completion?: number;
  total?: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
  promptAudio?: number;
  completionAudio?: number;
}

export interface Embedding {
  text?: string;
  vector?: number[];
}

export interface CallError {
  /** The error's class name, e.g. `RateLimitError`. */
  type: string;
  message?: string;
}

export interface CallRecord {
  kind: CallKind;
  /** The GenAI operation: `chat`, `text_completion`, `generate_content`, `embeddings`, `responses`. Used in the span name. */
  operation: string;
  /** Who serves the model: openai, xai, anthropic, google, azure, groq, … */
  provider: string;
  /** The API family (OpenInference `llm.system`): openai, anthropic, vertexai. */
  system: string;
  requestModel?: string;
  responseModel?: string;
  /** Server host for OpenAI-compatible endpoints that are not recognised by name. */
  serverAddress?: string;
  inputMessages: Message[];
  outputMessages: Message[];
  /** Legacy text-completion prompts. */
  prompts?: string[];
  /** Tools offered to the model, each a JSON schema string. */
  tools?: string[];
  /** Request parameters other than messages and tools (temperature, max_tokens, top_p, …). */
  invocationParameters?: Record<string, unknown>;
  usage: Usage;
  finishReason?: string;
  embeddings?: Embedding[];
  /** `performance.now()` when the call started. */
  startedAt: number;
  /** Milliseconds from start to the last byte (stream end) or the error. */
  latencyMs?: number;
  error?: CallError;
  /**
   * The longest text a stream reader keeps for one value (the masking's `maxAttributeLength`), so that
   * an endless stream holds flat memory. Set when the call's span starts; unset means the default cap.
   */
  textLimit?: number;
}

export function createCallRecord(kind: CallKind, operation: string, provider: string, system: string): CallRecord {
  return {
    kind,
    operation,
    provider,
    system,
    inputMessages: [],
    outputMessages: [],
    usage: {},
    startedAt: performance.now(),
  };
}

/** The temperature the request set, if it set a number. Infinium records `llm.temperature` only then. */
export function requestTemperature(record: CallRecord): number | undefined {
  const value = record.invocationParameters?.temperature;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
