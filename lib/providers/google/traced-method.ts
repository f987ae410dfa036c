import { LLMProvider, LLMSystem } from '@arizeai/openinference-semantic-conventions';
import { AsyncMethodOperation, asyncMethodWrapper } from '../async-method';
import type { AnyFunction, PatchHost } from '../types';

/**
 * One method of a Google Gemini SDK, described by what only its adapter knows: an async method whose
 * provider and system are always Google's. `self` is the object the method was called on (genai's
 * `Models`, the legacy `GenerativeModel` or `ChatSession`).
 */
export type GeminiOperation = Omit<AsyncMethodOperation, 'provider' | 'system'>;

/** Both Google SDKs call the Gemini API: provider `google`, OpenInference system `vertexai`. */
export const GOOGLE_PROVIDER = LLMProvider.GOOGLE;
export const GEMINI_SYSTEM = LLMSystem.VERTEXAI;

/** The wrapper for one Gemini SDK method: one LLM (or EMBEDDING) span per call (see `asyncMethodWrapper`). */
export function geminiMethodWrapper(host: PatchHost, op: GeminiOperation): (original: AnyFunction) => AnyFunction {
  return asyncMethodWrapper(host, { ...op, provider: GOOGLE_PROVIDER, system: GEMINI_SYSTEM });
}
