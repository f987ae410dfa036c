import { Context, context, diag } from '@opentelemetry/api';
import type { LlmCall } from '../../instrumentation/llm-call';
import { endOnAbort } from '../../instrumentation/stream-abort';
import { StreamWatcher } from '../../instrumentation/stream-wrapper';
import { isThenable, observePromise, traceCall } from '../../instrumentation/trace-call';
import { CallRecord, createCallRecord } from '../../record/call-record';
import { asRecord, asString } from '../../record/read';
import type { AnyFunction, PatchHost } from '../types';
import type { HuggingFaceTask } from './files';
import { HUGGINGFACE_OPERATIONS, HUGGINGFACE_SYSTEM, HuggingFaceOperation, providerOf, serverOf } from './operations';
import { noteCallContext } from './request-functions';

/** The SDK's request functions' wrapper, loaded with the task wrappers (index.ts loads this file only). */
export { requestWrapper } from './request-functions';

/**
 * The wrapper of one task function: one LLM (or EMBEDDING) span per call. The standalone function and the
 * client's method reach the same wrapper (files.ts), and a call made inside one of our calls is not traced
 * again (traceCall merges through the OTel context), so one request is one span whichever way it is made.
 */
export function huggingFaceTaskWrapper(host: PatchHost, task: HuggingFaceTask): (original: AnyFunction) => AnyFunction {
  const op = HUGGINGFACE_OPERATIONS[task];
  return (original) =>
    function tracedHuggingFaceTask(this: unknown, ...args: unknown[]) {
      const self = this;
      // A client made while we were enabled keeps this function after disable(): it then only calls the SDK's.
      if (!isEnabled(host)) return original.apply(self, args);
      let record: CallRecord;
      try {
        const request = asRecord(args[0]) ?? {};
        record = createCallRecord(op.kind, op.operation, providerOf(request), HUGGINGFACE_SYSTEM);
        record.requestModel = asString(request.model);
        record.server = serverOf(request);
      } catch {
        return original.apply(self, args);
      }
      return traceCall(
        host.runtime,
        record,
        (r) => op.readRequest(r, asRecord(args[0]) ?? {}),
        () => original.apply(self, args),
        (result, call) => observe(op, result, call, args[1]),
      );
    };
}

/**
 * `InferenceClient` copies the task functions onto each instance when it is made, so an instance made while
 * we were enabled still calls this wrapper after `disable()` has restored the exports.
 */
function isEnabled(host: PatchHost): boolean {
  const runtime = host.runtime as { isEnabled?: () => boolean };
  return typeof runtime.isEnabled !== 'function' || runtime.isEnabled();
}

/** A promise ends the span when it settles; an async generator (the two stream tasks) when it stops. */
function observe(op: HuggingFaceOperation, result: unknown, call: LlmCall, options: unknown): unknown {
  noteCallContext(call);
  if (op.chunkReader) {
    if (!watchGenerator(result, op, call, asRecord(options)?.signal)) call.succeed();
    return undefined;
  }
  if (!isThenable(result)) return call.succeed();
  return observePromise(result, call, (value) => {
    op.readResult?.(call.record, value);
    call.succeed();
  });
}

type AsyncGeneratorMethods = Pick<AsyncGenerator<unknown>, 'next' | 'return' | 'throw'>;

/**
 * Watches the async generator the task returned, in place: the app keeps the SDK's generator object, whose
 * `next`, `return` and `throw` become own methods that go through the one stream wrapper. `for await` and
 * direct `next()` calls are both watched; `break` (its `return()`) or the app's `signal` (request options)
 * ends the span as abandoned, an error mid-stream as ERROR, and a generator dropped unread is abandoned
 * when it is collected.
 */
function watchGenerator(value: unknown, op: HuggingFaceOperation, call: LlmCall, signal: unknown): boolean {
  const generator = value as AsyncGeneratorMethods | null;
  if (!generator || typeof generator !== 'object' || typeof generator.next !== 'function') return false;
  try {
    const watcher = new StreamWatcher<unknown>(call, op.chunkReader!(call.record));
    const proto = Object.getPrototypeOf(generator) as AsyncGeneratorMethods;
    const watched = watcher.wrapIterator(new GeneratorSteps(generator, proto, call.context), generator);
    for (const name of ['next', 'return', 'throw'] as const) {
      Object.defineProperty(generator, name, { configurable: true, writable: true, value: watched[name]!.bind(watched) });
    }
    if (signal !== undefined) endOnAbort({ signal }, watcher);
    watcher.watchCollection(generator);
    return true;
  } catch (err) {
    diag.debug('@infinium/otel: could not watch a Hugging Face stream', err);
    return false;
  }
}

/**
 * The generator's own steps (its prototype's methods), which the watched iterator calls. The generator's
 * body runs in the context of whoever calls `next()`, and its first step is the request (the provider's
 * resolution, `innerStreamingRequest`, the fetch): that step runs in the call's context, as a promise
 * task's request does, so the request function finds its call (request-functions.ts) and an HTTP client span
 * is the LLM span's child. Later steps only read the body: the app's context, no cost per chunk.
 */
class GeneratorSteps implements AsyncIterator<unknown> {
  constructor(
    private readonly generator: AsyncGeneratorMethods,
    private readonly proto: AsyncGeneratorMethods,
    private firstStepContext: Context | undefined,
  ) {}

  next(value?: unknown): Promise<IteratorResult<unknown>> {
    const callContext = this.firstStepContext;
    if (callContext === undefined) return this.proto.next.call(this.generator, value);
    this.firstStepContext = undefined;
    return context.with(callContext, () => this.proto.next.call(this.generator, value));
  }

  return(value?: unknown): Promise<IteratorResult<unknown>> {
    return this.proto.return.call(this.generator, value);
  }

  throw(error?: unknown): Promise<IteratorResult<unknown>> {
    return this.proto.throw.call(this.generator, error);
  }
}
