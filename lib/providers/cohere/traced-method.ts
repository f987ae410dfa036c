import { diag } from '@opentelemetry/api';
import { LLMProvider, LLMSystem } from '@arizeai/openinference-semantic-conventions';
import type { LlmCall } from '../../instrumentation/llm-call';
import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { isThenable, observePromise, traceCall } from '../../instrumentation/trace-call';
import { CallKind, CallRecord, createCallRecord } from '../../record/call-record';
import { asRecord, asString, Json } from '../../record/read';
import { watchAsyncIterable } from '../async-iterable';
import type { AnyFunction, PatchHost } from '../types';

/** One `cohere-ai` client method (v1 `CohereClient` or v2 `V2Client`), described by what its adapter knows. */
export interface CohereOperation {
  kind: CallKind;
  operation: string;
  readRequest(record: CallRecord, request: Json): void;
  readResult?(record: CallRecord, value: unknown): void;
  /** Streaming methods: the resolved value is the SDK's `Stream`, watched in place with this reader. */
  chunkReader?(record: CallRecord): ChunkReader<unknown>;
}

/**
 * One span per call. The method returns the SDK's `HttpResponsePromise` (its `withRawResponse()` keeps
 * working: we only call `then` on it). Our reaction is registered before the app can register its own,
 * so a stream is watched before the app reads it.
 */
export function cohereMethodWrapper(host: PatchHost, op: CohereOperation): (original: AnyFunction) => AnyFunction {
  return (original) =>
    function tracedCohereMethod(this: unknown, ...args: unknown[]) {
      const self = this;
      let record: CallRecord;
      const request = asRecord(args[0]) ?? {};
      try {
        record = createCallRecord(op.kind, op.operation, LLMProvider.COHERE, LLMSystem.COHERE);
        record.requestModel = asString(request.model);
      } catch (err) {
        diag.debug('@infinium/otel: could not start a Cohere call', err);
        return original.apply(self, args);
      }
      return traceCall(
        host.runtime,
        record,
        (r) => op.readRequest(r, request),
        () => original.apply(self, args),
        (result, call) => {
          if (!isThenable(result)) return call.succeed();
          return observePromise(result, call, (value) => finish(op, call, value, asRecord(args[1])?.abortSignal));
        },
      );
    };
}

function finish(op: CohereOperation, call: LlmCall, value: unknown, signal: unknown): void {
  if (op.chunkReader) {
    if (watchAsyncIterable(value, call, op.chunkReader(call.record), { signal })) return;
  } else if (call.recording) {
    op.readResult?.(call.record, value);
  }
  call.succeed();
}
