import { diag } from '@opentelemetry/api';
import type { LlmCall } from '../instrumentation/llm-call';
import { isThenable, observePromise, traceCall } from '../instrumentation/trace-call';
import { CallKind, CallRecord, createCallRecord, ServerEndpoint } from '../record/call-record';
import type { AnyFunction, PatchHost } from './types';

/**
 * One method of an SDK whose calls are plain `async` methods (Gemini, Mistral, Ollama): a promise of the
 * response, or a promise of a stream object. Described by what only its adapter knows. `self` is the object
 * the method was called on.
 */
export interface AsyncMethodOperation {
  readonly kind: CallKind;
  /** The GenAI operation name: chat, text_completion, embeddings, … */
  readonly operation: string;
  readonly provider: string;
  /**
   * The GenAI `gen_ai.provider.name` where `provider` alone does not tell it (`gcp.vertex_ai`). Set before
   * the span starts: a sampler sees it, and so do the metrics of a call whose span is not recorded.
   */
  readonly genAiProvider?: string;
  /** OpenInference `llm.system`. */
  readonly system: string;
  model(self: unknown, args: unknown[]): string | undefined;
  /** The endpoint the client calls (GenAI `server.address`), read for every call: the metrics want it. */
  server?(self: unknown): ServerEndpoint | undefined;
  readRequest(record: CallRecord, self: unknown, args: unknown[]): void;
  /** Reads the resolved value of a call that does not stream. */
  readResult?(record: CallRecord, value: unknown): void;
  /** Whether this call answers with a stream (default: whenever `watchStream` is there). */
  streams?(args: unknown[]): boolean;
  /**
   * Watches the stream the call resolved to and returns what the app receives; the stream ends the span.
   * `self` is the object the method was called on (the client that may keep the stream).
   */
  watchStream?(value: unknown, call: LlmCall, args: unknown[], self: unknown): unknown;
}

/** The wrapper for one async SDK method: one LLM (or EMBEDDING) span per call. */
export function asyncMethodWrapper(host: PatchHost, op: AsyncMethodOperation): (original: AnyFunction) => AnyFunction {
  return (original) =>
    function tracedAsyncMethod(this: unknown, ...args: unknown[]) {
      const self = this;
      let record: CallRecord;
      let streaming: boolean;
      try {
        record = createCallRecord(op.kind, op.operation, op.provider, op.system);
        record.genAiProvider = op.genAiProvider;
        record.requestModel = op.model(self, args);
        record.server = op.server?.(self);
        streaming = op.watchStream !== undefined && (op.streams?.(args) ?? true);
      } catch {
        return original.apply(self, args);
      }
      // Set by `observe`, which runs synchronously right after `invoke`: the stream arrives later, in a
      // promise callback, and is only watched when this call is traced.
      let call: LlmCall | undefined;
      const invoke = (): unknown => {
        const result = original.apply(self, args);
        if (!streaming || !isThenable(result)) return result;
        // The app gets this promise: a failure before the stream starts ends the span and rejects it with the
        // SDK's own error, unhandled if the app never handles it, as without us.
        return Promise.resolve(result).then(
          (value) => (call ? watchSafely(op, value, call, args, self) : value),
          (error: unknown) => {
            call?.fail(error);
            throw error;
          },
        );
      };
      return traceCall(
        host.runtime,
        record,
        (r) => op.readRequest(r, self, args),
        invoke,
        (result, traced) => {
          call = traced;
          if (!isThenable(result)) return traced.succeed();
          // A stream ends the span itself; `invoke`'s promise ends it on a failure before the stream starts.
          if (streaming) return;
          return observePromise(result, traced, (value) => {
            op.readResult?.(traced.record, value);
            traced.succeed();
          });
        },
      );
    };
}

function watchSafely(op: AsyncMethodOperation, value: unknown, call: LlmCall, args: unknown[], self: unknown): unknown {
  if (call.isEnded) return value;
  try {
    return op.watchStream!(value, call, args, self);
  } catch (err) {
    diag.debug('@infinium/otel: could not watch a stream', err);
    call.succeed();
    return value;
  }
}
