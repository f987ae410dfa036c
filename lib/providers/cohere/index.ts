import { diag } from '@opentelemetry/api';
import { LLMProvider, LLMSystem } from '@arizeai/openinference-semantic-conventions';
import { InstrumentationNodeModuleDefinition, InstrumentationNodeModuleFile } from '@opentelemetry/instrumentation';
import type { LlmCall } from '../../instrumentation/llm-call';
import { isThenable, observePromise, traceCall } from '../../instrumentation/trace-call';
import { CallKind, CallRecord, createCallRecord } from '../../record/call-record';
import { asRecord, asString, Json } from '../../record/read';
import { watchAsyncIterable } from '../async-iterable';
import { AnyFunction, moduleExports, PatchHost, prototypeOf, ProviderInstrumentation } from '../types';
import { ChatStreamReader, readChatRequest, readChatResponse } from './chat';
import { readEmbedRequest, readEmbedResponse, readRerankRequest, readRerankResponse } from './embed-rerank';

/**
 * `cohere-ai` v2 API: `chat`, `chatStream`, `embed` and `rerank` of the `V2Client` resource, which
 * `CohereClientV2` binds as its own methods (and `CohereClient#v2` exposes). 8.1 is tested; 7.x has the
 * same `V2Client` but is not tested here. The class is not exported, so its file is hooked.
 */
export const COHERE_VERSIONS = ['>=7.0.0 <9'];
const V2_CLIENT_FILE = 'cohere-ai/api/resources/v2/client/Client.js';

interface CohereOperation {
  kind: CallKind;
  operation: string;
  readRequest(record: CallRecord, request: Json): void;
  readResult?(record: CallRecord, value: unknown): void;
  /** `chatStream`: the resolved value is the SDK's `Stream`, watched in place. */
  streams?: boolean;
}

const OPERATIONS: Readonly<Record<string, CohereOperation>> = {
  chat: { kind: 'LLM', operation: 'chat', readRequest: readChatRequest, readResult: readChatResponse },
  chatStream: { kind: 'LLM', operation: 'chat', readRequest: readChatRequest, streams: true },
  embed: { kind: 'EMBEDDING', operation: 'embeddings', readRequest: readEmbedRequest, readResult: readEmbedResponse },
  rerank: { kind: 'RERANKER', operation: 'rerank', readRequest: readRerankRequest, readResult: readRerankResponse },
};

/**
 * One span per call. The method returns the SDK's `HttpResponsePromise` (its `withRawResponse()` keeps
 * working: we only call `then` on it). Our reaction is registered before the app can register its own,
 * so a stream is watched before the app reads it.
 */
function cohereMethodWrapper(host: PatchHost, op: CohereOperation): (original: AnyFunction) => AnyFunction {
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
          observePromise(result, call, (value) => finish(op, call, value, asRecord(args[1])?.abortSignal));
        },
      );
    };
}

function finish(op: CohereOperation, call: LlmCall, value: unknown, signal: unknown): void {
  if (op.streams) {
    if (watchAsyncIterable(value, call, new ChatStreamReader(call.record), { signal })) return;
  } else if (call.recording) {
    op.readResult?.(call.record, value);
  }
  call.succeed();
}

function v2ClientPrototype(module: unknown): Record<string, unknown> | undefined {
  return prototypeOf(moduleExports<{ V2Client?: unknown } | undefined>(module)?.V2Client);
}

export const cohereInstrumentation: ProviderInstrumentation = {
  name: 'cohere',
  definitions(host: PatchHost) {
    const patch = <T>(module: T): T => {
      const proto = v2ClientPrototype(module);
      if (proto) for (const [name, op] of Object.entries(OPERATIONS)) host.wrap(proto, name, cohereMethodWrapper(host, op));
      return module;
    };
    const unpatch = (module: unknown): void => {
      const proto = module ? v2ClientPrototype(module) : undefined;
      if (proto) for (const name of Object.keys(OPERATIONS)) host.unwrap(proto, name);
    };
    const file = new InstrumentationNodeModuleFile(V2_CLIENT_FILE, COHERE_VERSIONS, patch, unpatch);
    // The same patch on the package root is a no-op there (it exports no V2Client) but lets
    // `manuallyInstrument(require('cohere-ai/api/resources/v2/client/Client.js'))` work for bundled apps.
    return [new InstrumentationNodeModuleDefinition('cohere-ai', COHERE_VERSIONS, patch, unpatch, [file])];
  },
};
