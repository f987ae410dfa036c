import { DEFAULT_MAX_OUTPUT_MESSAGES } from '../config/record-limits';
import { saneUsage, type Usage } from './usage';

/**
 * The provider-neutral record of one LLM call. Provider adapters translate their SDK's request, response,
 * stream chunks and errors into it; the renderer turns it into span attributes; the span processor maps
 * foreign GenAI spans into it. Nothing else knows an SDK's shapes.
 */

/** `LLM` for generation calls, `EMBEDDING` for embedding calls, `RERANKER` for rerank calls (the OpenInference span kind). */
export type CallKind = 'LLM' | 'EMBEDDING' | 'RERANKER';

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

export type { Usage } from './usage';

export interface Embedding {
  text?: string;
  vector?: number[];
}

/** One document a reranker read or returned. */
export interface RerankDocument {
  id?: string;
  content?: string;
  /** The relevance score the reranker gave it (output documents). */
  score?: number;
}

/** What a RERANKER call carries: the query, the documents in, and the documents out ranked with scores. */
export interface RerankData {
  model?: string;
  query?: string;
  topK?: number;
  inputDocuments: RerankDocument[];
  outputDocuments: RerankDocument[];
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
  /**
   * Token counts. Always sane: assigning a usage keeps only token counts (integers from 0 to 1e12), details
   * within their whole, and a total no smaller than prompt + completion (`saneUsage`), for every provider.
   */
  usage: Usage;
  /** The first choice's finish reason (OpenInference `llm.finish_reason`). */
  finishReason?: string;
  /**
   * Every choice's finish reason at its choice index (GenAI `gen_ai.response.finish_reasons`), set by
   * `noteFinishReason` where a response has several choices or candidates.
   */
  finishReasons?: Array<string | undefined>;
  embeddings?: Embedding[];
  /** Only on RERANKER records. */
  rerank?: RerankData;
  /** `performance.now()` when the call started. */
  startedAt: number;
  /** Milliseconds from start to the last byte (stream end) or the error. */
  latencyMs?: number;
  error?: CallError;
  /** The provider's id of the response (`chatcmpl-…`, `msg_…`, Gemini's `responseId`). */
  responseId?: string;
  /** The API endpoint the call went to (GenAI `server.address` / `server.port`), always when known. */
  server?: ServerEndpoint;
  /**
   * The OTel GenAI registry name (`gen_ai.provider.name`) where `provider` alone does not tell it, e.g.
   * `gcp.vertex_ai` for a Google client on Vertex AI (the provider stays `google`).
   */
  genAiProvider?: string;
  /** What the request asked for: `text`, `json`, `image` or `speech` (GenAI `gen_ai.output.type`). */
  outputType?: string;
  /** Streams only: milliseconds from start to the first chunk. */
  firstChunkMs?: number;
  /**
   * The longest text a stream reader keeps for one value (the masking's `maxAttributeLength`), so that
   * an endless stream holds flat memory. Set when the call's span starts; unset means the default cap.
   */
  textLimit?: number;
  /** What a reader left out of the output past the record's caps (lib/config/record-limits.ts). */
  omitted?: Omitted;
  /** What the call cost, set from the final usage when the call ends (lib/cost/pricing.ts); absent when unpriced. */
  cost?: CallCost;
}

/** What one call cost, in USD, part by part (OpenInference `llm.cost.*`). */
export interface CallCost {
  prompt: number;
  completion: number;
  total: number;
  /** Only where the usage has cache-read / cache-write tokens. */
  cacheRead?: number;
  cacheWrite?: number;
}

/** Counts of what was read but not kept: the span carries each as an `infinium.*.omitted` attribute. */
export interface Omitted {
  /** Output messages (choices, candidates, output items) past DEFAULT_MAX_OUTPUT_MESSAGES. */
  outputMessages?: number;
  /** Parts (content blocks, Gemini parts) past DEFAULT_MAX_OUTPUT_PARTS. */
  outputParts?: number;
  /** Tool calls past DEFAULT_MAX_TOOL_CALLS. */
  toolCalls?: number;
}

/** Adds `count` left-out items of `what` to the record's counts. */
export function noteOmitted(record: CallRecord, what: keyof Omitted, count: number): void {
  if (!(count > 0)) return;
  const omitted = (record.omitted ??= {});
  omitted[what] = (omitted[what] ?? 0) + count;
}

export interface ServerEndpoint {
  address: string;
  port?: number;
}

export function createCallRecord(kind: CallKind, operation: string, provider: string, system: string): CallRecord {
  return new NeutralRecord(kind, operation, provider, system);
}

/**
 * The one implementation of `CallRecord`: a class (not a literal, whose allocation site V8 could pretenure,
 * docs/performance.md) whose `usage` setter is the one place token counts are checked, whatever the
 * provider or the processor's mapper that assigns them.
 */
class NeutralRecord implements CallRecord {
  inputMessages: Message[] = [];
  outputMessages: Message[] = [];
  startedAt = performance.now();
  private counts: Usage = {};
  /** One `diag` line per call at most, though a stream may report bad counts in every chunk. */
  private warned = false;

  constructor(
    public kind: CallKind,
    public operation: string,
    public provider: string,
    public system: string,
  ) {}

  get usage(): Usage {
    return this.counts;
  }

  set usage(value: Usage) {
    const sane = saneUsage(value, !this.warned);
    if (sane !== value) this.warned = true;
    this.counts = sane;
  }
}

/** More choices than this are not listed one by one: an index from the wire must not size an array. */
const MAX_CHOICES = DEFAULT_MAX_OUTPUT_MESSAGES;

/**
 * Notes choice `index`'s finish reason: in `finishReasons`, and as `finishReason` when it is the first
 * choice's (or no choice's has been seen yet).
 */
export function noteFinishReason(record: CallRecord, index: number, reason: string | undefined): void {
  if (reason === undefined) return;
  if (index === 0 || record.finishReason === undefined) record.finishReason = reason;
  if (Number.isInteger(index) && index >= 0 && index < MAX_CHOICES) (record.finishReasons ??= [])[index] = reason;
}

/** The temperature the request set, if it set a number. Infinium records `llm.temperature` only then. */
export function requestTemperature(record: CallRecord): number | undefined {
  const value = record.invocationParameters?.temperature;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `outputType` from a requested response format: a JSON format or MIME type gives `json`, text gives `text`. */
export function outputTypeOf(format: unknown): string | undefined {
  switch (format) {
    case 'json_object':
    case 'json_schema':
    case 'application/json':
      return 'json';
    case 'text':
    case 'text/plain':
      return 'text';
    default:
      return undefined;
  }
}

/**
 * A message from its parts, in the form the renderer wants: only text parts become one joined `content`
 * (none when there are no parts); anything else keeps the `parts`. Tool calls are added when there are some.
 */
export function messageFromParts(role: string | undefined, parts: MessagePart[], toolCalls: ToolCall[] = []): Message {
  const message: Message = { role };
  if (parts.every((p) => p.type === 'text')) {
    if (parts.length > 0) message.content = parts.map((p) => p.text ?? '').join('');
  } else {
    message.parts = parts;
  }
  if (toolCalls.length > 0) message.toolCalls = toolCalls;
  return message;
}
