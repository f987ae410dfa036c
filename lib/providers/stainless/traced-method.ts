import { CallKind, CallRecord, createCallRecord, ServerEndpoint } from '../../record/call-record';
import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import type { LlmCall } from '../../instrumentation/llm-call';
import { traceCall } from '../../instrumentation/trace-call';
import { asRecord, asString } from '../../record/read';
import type { AnyFunction, PatchHost } from '../types';
import { observeApiPromise } from './api-promise';
import { watchStainlessStream } from './stream';

/**
 * One API method of a Stainless SDK (OpenAI, Anthropic), described by what only its adapter knows:
 * how to read its request, its response and its stream chunks into the neutral record.
 */
export interface StainlessOperation {
  readonly kind: CallKind;
  /** The GenAI operation name: chat, text_completion, embeddings, … */
  readonly operation: string;
  /** OpenInference `llm.system`. */
  readonly system: string;
  /**
   * Who serves the call, from the resource's client (its base URL). `genAiProvider`: the GenAI registry name
   * where `provider` alone does not tell it (Claude on Vertex: gcp.vertex_ai).
   */
  servedBy(resource: unknown): { provider: string; serverAddress?: string; genAiProvider?: string };
  /** The endpoint, from the client's base URL (GenAI `server.address`/`server.port`). */
  server?(resource: unknown): ServerEndpoint | undefined;
  readRequest(record: CallRecord, body: Record<string, unknown>): void;
  readResponse(record: CallRecord, data: unknown): void;
  /**
   * A failure that a successful HTTP answer reports in its data (a Responses `status: 'failed'`): the span
   * then ends as ERROR with it, although the app gets the data as it is.
   */
  failure?(data: unknown): unknown;
  /** Present for methods that can stream. */
  chunkReader?(record: CallRecord): ChunkReader<unknown>;
}

/** The wrapper for `Resource.prototype.create` of a Stainless SDK: one LLM span per call. */
export function stainlessMethodWrapper(host: PatchHost, op: StainlessOperation): (original: AnyFunction) => AnyFunction {
  return (original) =>
    function tracedCreate(this: unknown, ...args: unknown[]) {
      const body = asRecord(args[0]);
      const resource = this;
      const invoke = () => original.apply(resource, args);
      let record: CallRecord;
      try {
        record = stainlessCallRecord(op, resource, body);
      } catch {
        return invoke();
      }
      const streaming = body?.stream === true;
      return traceCall(
        host.runtime,
        record,
        (r) => body && op.readRequest(r, body),
        invoke,
        (result, call) => observeStainlessResult(host, op, result, call, streaming),
      );
    };
}

/**
 * The record a call of `op` on `resource` starts with: who serves it, the requested model, the endpoint.
 * Also what Anthropic's `messages.stream()` helper starts before the SDK's `create` runs. May throw (an
 * adapter's read of the client): the caller then lets the SDK run untraced.
 */
export function stainlessCallRecord(op: StainlessOperation, resource: unknown, body: Record<string, unknown> | undefined): CallRecord {
  const served = op.servedBy(resource);
  const record = createCallRecord(op.kind, op.operation, served.provider, op.system);
  record.requestModel = asString(body?.model);
  record.serverAddress = served.serverAddress;
  if (served.genAiProvider !== undefined) record.genAiProvider = served.genAiProvider;
  record.server = op.server?.(resource);
  return record;
}

/**
 * Reads what a Stainless method returned: a stream is watched to its end, a response read at once.
 * Returns what the app gets instead of `result`, if anything (a plain promise's follower).
 */
export function observeStainlessResult(host: PatchHost, op: StainlessOperation, result: unknown, call: LlmCall, streaming: boolean): unknown {
  const onResult = (data: unknown, error?: unknown) => {
    if (error === undefined && streaming && op.chunkReader && watchStainlessStream(data, call, op.chunkReader(call.record))) return;
    op.readResponse(call.record, data);
    const failure = error ?? op.failure?.(data);
    if (failure === undefined) call.succeed();
    else call.fail(failure);
  };
  return observeApiPromise(host, result, call, onResult, streaming);
}
