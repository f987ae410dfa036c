import { context, diag } from '@opentelemetry/api';
import { LLMProvider, LLMSystem } from '@arizeai/openinference-semantic-conventions';
import type { LlmCall } from '../../instrumentation/llm-call';
import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { isThenable, observePromise, traceCall } from '../../instrumentation/trace-call';
import { CallRecord, createCallRecord } from '../../record/call-record';
import { asRecord, asString, Json } from '../../record/read';
import { watchAsyncIterable } from '../async-iterable';
import type { AnyFunction, PatchHost } from '../types';
import { readConverseRequest, readConverseResponse } from './converse';
import { ConverseStreamReader } from './converse-stream';
import { familyOfModel, InvokeModelReader, nonChatKind } from './invoke-model';

const OPERATION_OF = { EMBEDDING: 'embeddings', RERANKER: 'rerank' } as const;

/** The four commands we trace; every other command (ApplyGuardrail, CountTokens, …) passes straight through. */
export type BedrockCommand = 'Converse' | 'ConverseStream' | 'InvokeModel' | 'InvokeModelWithResponseStream';

/** The command classes of one loaded copy of the SDK, to their names (class names may be minified in bundles). */
export type CommandTable = ReadonlyMap<unknown, BedrockCommand>;

/** One traced command: how its request, answer and stream are read. */
interface BedrockCall {
  record: CallRecord;
  readRequest(record: CallRecord, input: Json): void;
  readOutput?(record: CallRecord, output: Json): void;
  /** Streaming commands: the output property that holds the event stream, and its reader. */
  stream?: { property: 'stream' | 'body'; reader: (record: CallRecord) => ChunkReader<unknown> };
}

function bedrockCall(name: BedrockCommand, input: Json): BedrockCall {
  const modelId = asString(input.modelId);
  if (name === 'Converse' || name === 'ConverseStream') {
    const record = createCallRecord('LLM', 'chat', LLMProvider.AWS, LLMSystem.AMAZON);
    record.requestModel = modelId;
    if (name === 'Converse') return { record, readRequest: readConverseRequest, readOutput: readConverseResponse };
    return { record, readRequest: readConverseRequest, stream: { property: 'stream', reader: (r) => new ConverseStreamReader(r) } };
  }
  const kind = nonChatKind(modelId);
  const record = createCallRecord(kind ?? 'LLM', kind === undefined ? 'chat' : OPERATION_OF[kind], LLMProvider.AWS, LLMSystem.AMAZON);
  record.requestModel = modelId;
  if (kind === 'RERANKER') record.rerank = { model: modelId, inputDocuments: [], outputDocuments: [] };
  const invoke = new InvokeModelReader(kind === undefined ? familyOfModel(modelId) : 'other');
  const readRequest = (r: CallRecord, i: Json) => invoke.readRequest(r, i);
  if (name === 'InvokeModel') return { record, readRequest, readOutput: (r, o) => invoke.readResponse(r, o) };
  return { record, readRequest, stream: { property: 'body', reader: (r) => invoke.chunkReader(r) } };
}

/**
 * The wrapper of `send` on the Bedrock Runtime client. The aggregated `BedrockRuntime` client's methods
 * (`converse()`, `invokeModel()`, …) build the command and call `send`, so they are traced through it.
 * Only `command.input` is read: credentials, signatures and headers live in the client config and the
 * signed request, which we never touch.
 */
export function bedrockSendWrapper(host: PatchHost, commands: CommandTable): (original: AnyFunction) => AnyFunction {
  return (original) =>
    function tracedSend(this: unknown, ...args: unknown[]) {
      const self = this;
      let traced: BedrockCall | undefined;
      let input: Json = {};
      try {
        const command = asRecord(args[0]);
        const name = commands.get(command?.constructor);
        input = asRecord(command?.input) ?? {};
        if (name) traced = bedrockCall(name, input);
      } catch (err) {
        diag.debug('@infinium/otel: could not start a Bedrock call', err);
      }
      if (!traced) return original.apply(self, args);
      const signal = asRecord(args[1])?.abortSignal;
      const callbackAt = typeof args[args.length - 1] === 'function' ? args.length - 1 : -1;
      const appContext = context.active();
      // Set by `observe`, which runs right after `invoke`: the SDK calls a callback later, never at once.
      let current: LlmCall | undefined;
      const invoke = (): unknown => {
        if (callbackAt < 0) return original.apply(self, args);
        const callback = args[callbackAt] as AnyFunction;
        const withOurs = [...args];
        // The app's callback runs in the app's context, not inside our call (else a call it makes would
        // look nested in this one and go untraced), as code after `await send()` does.
        withOurs[callbackAt] = function tracedCallback(this: unknown, error: unknown, output: unknown) {
          if (current) settle(traced, current, error, output, signal);
          return context.with(appContext, () => callback.call(this, error, output));
        };
        return original.apply(self, withOurs);
      };
      return traceCall(host.runtime, traced.record, (r) => traced.readRequest(r, input), invoke, (result, call) => {
        current = call;
        if (callbackAt >= 0) return;
        if (!isThenable(result)) return call.succeed();
        // Registered before the app's own reaction to the promise, so the stream is watched before it is read.
        return observePromise(result, call, (value) => readOutput(traced, call, asRecord(value), signal));
      });
    };
}

/** The callback form (`send(command, callback)`): the same ends as the promise form, before the app's callback. */
function settle(traced: BedrockCall, call: LlmCall, error: unknown, output: unknown, signal: unknown): void {
  try {
    if (error) call.fail(error);
    else readOutput(traced, call, asRecord(output), signal);
  } catch (err) {
    diag.debug('@infinium/otel: could not read a Bedrock response', err);
    call.succeed();
  }
}

function readOutput(traced: BedrockCall, call: LlmCall, output: Json | undefined, signal: unknown): void {
  if (traced.stream) {
    const stream = output?.[traced.stream.property];
    if (watchAsyncIterable(stream, call, traced.stream.reader(call.record), { signal })) return;
  } else if (output && call.recording) {
    traced.readOutput?.(call.record, output);
  }
  call.succeed();
}
