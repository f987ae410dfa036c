import { LLMProvider, LLMSystem } from '@arizeai/openinference-semantic-conventions';
import type { LlmCall } from '../../instrumentation/llm-call';
import type { CallKind, CallRecord, ServerEndpoint } from '../../record/call-record';
import { asyncMethodWrapper } from '../async-method';
import type { AnyFunction, PatchHost } from '../types';

/**
 * One method of a Google Gemini SDK, described by what only its adapter knows. `self` is the object the
 * method was called on (genai's `Models`, the legacy `GenerativeModel` or `ChatSession`).
 */
export interface GeminiOperation {
  readonly kind: CallKind;
  /** The GenAI operation name: `generate_content` or `embeddings`. */
  readonly operation: string;
  model(self: unknown, args: unknown[]): string | undefined;
  /** The endpoint the client calls (GenAI `server.address`), read for every call: the metrics want it. */
  server?(self: unknown): ServerEndpoint | undefined;
  readRequest(record: CallRecord, self: unknown, args: unknown[]): void;
  /** Reads the resolved value of a non-streaming call. */
  readResult?(record: CallRecord, value: unknown): void;
  /**
   * For streaming methods: returns what the app receives, with its stream watched by `call` (a wrapped
   * iterator, or the SDK's result object with its stream replaced). The span then ends from the stream.
   */
  watchStream?(value: unknown, call: LlmCall, args: unknown[]): unknown;
}

/** Both Google SDKs call the Gemini API: provider `google`, OpenInference system `vertexai`. */
export const GOOGLE_PROVIDER = LLMProvider.GOOGLE;
export const GEMINI_SYSTEM = LLMSystem.VERTEXAI;

/** The wrapper for one Gemini SDK method: one LLM (or EMBEDDING) span per call (see `asyncMethodWrapper`). */
export function geminiMethodWrapper(host: PatchHost, op: GeminiOperation): (original: AnyFunction) => AnyFunction {
  return asyncMethodWrapper(host, { ...op, provider: GOOGLE_PROVIDER, system: GEMINI_SYSTEM });
}
