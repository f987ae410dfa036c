import { context, diag } from '@opentelemetry/api';
import { isWrapped } from '@opentelemetry/instrumentation';
import { isTracingSuppressed } from '../../compat/sdk-shared';
import type { AnyFunction, PatchHost } from '../../instrumentation/patching';
import { markFrameworkRetriever } from '../../instrumentation/run-scope';
import { followPromise, isThenable } from '../../instrumentation/trace-call';
import { RunSpan } from '../run-span';
import { deltaText, isStreamed, LlamaIndexOperation, noteResult, startRecord } from './records';
import { watchRunStream } from './run-stream';

export type { LlamaIndexOperation } from './records';

/**
 * The wrapper of a traced method (`query`, `chat`, `retrieve`): the call runs with its run's span active,
 * so that everything it starts (the retriever's run, the SDK's LLM or EMBEDDING span, a vector store's
 * query) is that span's child through the OTel context alone, concurrent runs each in their own. The app
 * gets LlamaIndex's own result (the same promise settlement, the same stream object).
 */
export function runWrapper(host: PatchHost, operation: LlamaIndexOperation): (original: AnyFunction) => AnyFunction {
  return (original) =>
    function tracedLlamaIndexRun(this: unknown, ...args: unknown[]) {
      if (!patchedNow(this, operation)) return original.apply(this, args);
      return traceRun(host, operation, this, args, () => original.apply(this, args));
    };
}

/**
 * Whether a class in the instance's prototype chain still holds a wrapper of the method (the method's name is
 * the operation's). LlamaIndex's `wrapEventCaller` decorator binds the method to each instance when it is
 * built, so an engine built while we were enabled keeps calling this wrapper after `disable()`: it must then
 * trace nothing. (One built while we were disabled keeps the original: `enable()` cannot reach it.) The whole
 * chain, not the nearest method: an app's subclass that overrides `chat` and calls `super.chat` reaches the
 * wrapper through the class below its own.
 */
function patchedNow(self: unknown, method: LlamaIndexOperation): boolean {
  try {
    for (let proto = self !== null && typeof self === 'object' ? Object.getPrototypeOf(self) : null; proto; proto = Object.getPrototypeOf(proto)) {
      if (Object.prototype.hasOwnProperty.call(proto, method) && isWrapped(Object.getOwnPropertyDescriptor(proto, method)?.value)) return true;
    }
    return false;
  } catch {
    return false;
  }
}

function traceRun(host: PatchHost, operation: LlamaIndexOperation, self: unknown, args: unknown[], invoke: () => unknown): unknown {
  const parent = context.active();
  if (isTracingSuppressed(parent)) return invoke();
  let run: RunSpan;
  try {
    run = RunSpan.start(host.runtime, startRecord(operation, self, args[0]), parent);
  } catch (err) {
    diag.debug('@infinium/otel: could not start a LlamaIndex run span', err);
    return invoke();
  }
  // A vector store queried by the retriever records its database call under this span, not the documents again.
  const runContext = operation === 'retrieve' ? markFrameworkRetriever(run.context) : run.context;
  let result: unknown;
  try {
    result = context.with(runContext, invoke);
  } catch (error) {
    run.fail(error);
    throw error;
  }
  const streamed = isStreamed(operation, args[0]);
  if (!isThenable(result)) {
    settle(run, result, streamed);
    return result;
  }
  return followPromise(
    result,
    (value) => settle(run, value, streamed),
    (error) => run.fail(error),
  );
}

/** A finished call: its result on the record and the span ended, or, for a stream, ended by the stream. */
function settle(run: RunSpan, value: unknown, streamed: boolean): void {
  try {
    if (streamed && followStream(run, value)) return;
    noteResult(run.record, value);
  } catch (err) {
    diag.debug('@infinium/otel: could not read a LlamaIndex result', err);
  }
  run.end();
}

/** A streamed response: the run ends with the stream (its text the output), failed or left unfinished as it is. */
function followStream(run: RunSpan, stream: unknown): boolean {
  let text = '';
  return watchRunStream(stream, {
    chunk: (value) => void (text += deltaText(value)),
    done: () => {
      run.record.output = text;
      run.end();
    },
    failed: (error) => run.fail(error),
    abandoned: () => {
      if (text !== '') run.record.output = text;
      run.abandon();
    },
  });
}
