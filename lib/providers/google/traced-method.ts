import { diag } from '@opentelemetry/api';
import { LLMProvider, LLMSystem } from '@arizeai/openinference-semantic-conventions';
import type { LlmCall } from '../../instrumentation/llm-call';
import { isThenable, observePromise, traceCall } from '../../instrumentation/trace-call';
import { CallKind, CallRecord, createCallRecord, ServerEndpoint } from '../../record/call-record';
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

/** The wrapper for one Gemini SDK method: one LLM (or EMBEDDING) span per call. */
export function geminiMethodWrapper(host: PatchHost, op: GeminiOperation): (original: AnyFunction) => AnyFunction {
  return (original) =>
    function tracedGeminiMethod(this: unknown, ...args: unknown[]) {
      const self = this;
      let record: CallRecord;
      try {
        record = createCallRecord(op.kind, op.operation, GOOGLE_PROVIDER, GEMINI_SYSTEM);
        record.requestModel = op.model(self, args);
        record.server = op.server?.(self);
      } catch {
        return original.apply(self, args);
      }
      // Set by `observe`, which runs synchronously right after `invoke`: the stream arrives later, in a
      // promise callback, and is only wrapped when this call is traced.
      let call: LlmCall | undefined;
      const invoke = (): unknown => {
        const result = original.apply(self, args);
        if (!op.watchStream || !isThenable(result)) return result;
        return Promise.resolve(result).then((value) => (call ? watchSafely(op, value, call, args) : value));
      };
      return traceCall(
        host.runtime,
        record,
        (r) => op.readRequest(r, self, args),
        invoke,
        (result, traced) => {
          call = traced;
          if (!isThenable(result)) return traced.succeed();
          if (op.watchStream) {
            // Only the rejection (HTTP error before the stream starts); the stream ends the span otherwise.
            result.then(undefined, (error: unknown) => traced.fail(error));
            return;
          }
          observePromise(result, traced, (value) => {
            op.readResult?.(record, value);
            traced.succeed();
          });
        },
      );
    };
}

function watchSafely(op: GeminiOperation, value: unknown, call: LlmCall, args: unknown[]): unknown {
  if (call.isEnded) return value;
  try {
    return op.watchStream!(value, call, args);
  } catch (err) {
    diag.debug('@infinium/otel: could not watch a Gemini stream', err);
    call.succeed();
    return value;
  }
}
