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
 * One span per call. The app gets the SDK's `HttpResponsePromise` class (cohere-ai 8; its
 * `withRawResponse()` keeps working) or the SDK's promise (7). Our reaction is registered before the app can
 * register its own, so a stream is watched before the app reads it.
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
          const onValue = (value: unknown) => finish(op, call, value, asRecord(args[1])?.abortSignal);
          return followHttpResponsePromise(result, call, onValue) ?? observePromise(result, call, onValue);
        },
      );
    };
}

/**
 * cohere-ai 8 answers with its `HttpResponsePromise`: a Promise subclass whose `then` reads the request's own
 * promise (`{ data, rawResponse }`), and whose `withRawResponse()` hands that promise out. A reaction of ours
 * on it would handle a failure nobody asked for, and hide the app's unhandled rejection. So the app gets a
 * promise of the same class (`fromPromise`, its own factory) over our follower of the request's promise: its
 * methods stay, and a failure nobody handles is still unhandled. Undefined for any other shape.
 */
function followHttpResponsePromise(result: PromiseLike<unknown>, call: LlmCall, onValue: (value: unknown) => void): unknown {
  const inner = (result as { innerPromise?: unknown }).innerPromise;
  const factory = (result as { constructor?: { fromPromise?: unknown } }).constructor;
  if (!(inner instanceof Promise) || typeof factory?.fromPromise !== 'function') return undefined;
  if (typeof (result as { withRawResponse?: unknown }).withRawResponse !== 'function') return undefined;
  const follower = observePromise(inner, call, (raw) => onValue(asRecord(raw)?.data));
  try {
    return (factory.fromPromise as (promise: PromiseLike<unknown>) => unknown).call(factory, follower);
  } catch (err) {
    diag.debug('@infinium/otel: could not follow a Cohere HttpResponsePromise', err);
    follower.then(undefined, () => undefined);
    return result;
  }
}

function finish(op: CohereOperation, call: LlmCall, value: unknown, signal: unknown): void {
  if (op.chunkReader) {
    if (watchAsyncIterable(value, call, op.chunkReader(call.record), { signal })) return;
  } else if (call.recording) {
    op.readResult?.(call.record, value);
  }
  call.succeed();
}
