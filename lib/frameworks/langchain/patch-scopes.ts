import { context, diag, type Context } from '@opentelemetry/api';
import { enterRunScope, type RunScope } from '../../instrumentation/run-scope';
import { AnyFunction, moduleExports, PatchHost, prototypeOf } from '../../instrumentation/patching';
import type { RunTracker } from './run-tracker';
import { scopedAsyncIterator } from './scoped-iterator';

/** A method whose body is a run's: it starts the run (its callbacks) and does the run's work. */
interface ScopedMethod {
  readonly name: string;
  /** An async generator method: its body runs step by step, inside each `next()`. */
  readonly generator: boolean;
}

/** The classes of one `@langchain/core` file whose methods run inside a run scope. */
export type ScopedClasses = Readonly<Record<string, readonly ScopedMethod[]>>;

const generate: ScopedMethod = { name: 'generate', generator: false };
const streamIterator: ScopedMethod = { name: '_streamIterator', generator: true };

/**
 * A chat model's or LLM's run: the model call our SDK patch traces happens inside (`generate` for invoke and
 * batch, `_streamIterator` for stream). A retriever's run: the embedding call and the store's HTTP calls.
 * A streamed runnable's run: the steps it pipes (`_transformStreamWithConfig`, where lambdas, maps and
 * parsers start their runs; a sequence's and a fallback's own `_streamIterator`, where theirs start), so
 * that an app breaking out of `.stream()` abandons the outermost run too. Same names and files in core 0.3
 * and 1.x.
 */
export const CHAT_MODEL_SCOPES: ScopedClasses = { BaseChatModel: [generate, streamIterator] };
export const LLM_SCOPES: ScopedClasses = { BaseLLM: [generate, streamIterator] };
export const RETRIEVER_SCOPES: ScopedClasses = { BaseRetriever: [{ name: 'invoke', generator: false }] };
export const RUNNABLE_SCOPES: ScopedClasses = {
  Runnable: [{ name: '_transformStreamWithConfig', generator: true }],
  RunnableSequence: [streamIterator],
  RunnableWithFallbacks: [streamIterator],
};

/**
 * A tool's run: a class-based tool's `_call` runs in the caller's context (a `tool()`'s function runs in
 * its run's, through `runWithConfig`), so its HTTP calls would sit beside its TOOL span, not under it.
 * Subclasses' `call` (Tool, DynamicTool, DynamicStructuredTool) end in this one.
 */
export const TOOL_SCOPES: ScopedClasses = { StructuredTool: [{ name: 'call', generator: false }] };

/** A LangGraph graph's run starts in its own stream (invoke consumes it): a broken-off graph stream abandons the graph's runs. */
export const PREGEL_SCOPES: ScopedClasses = { Pregel: [streamIterator] };

function eachMethod(module: unknown, classes: ScopedClasses, fn: (proto: object, method: ScopedMethod) => void): void {
  const exports = moduleExports<Record<string, unknown> | undefined>(module);
  if (!exports) return;
  for (const [className, methods] of Object.entries(classes)) {
    const proto = prototypeOf(exports[className]);
    if (proto) for (const method of methods) fn(proto, method);
  }
}

export function patchScopes(host: PatchHost, module: unknown, classes: ScopedClasses, tracker: () => RunTracker): void {
  eachMethod(module, classes, (proto, method) =>
    host.wrap(proto, method.name, (original) => (method.generator ? scopedGenerator(original, tracker) : scopedCall(original))),
  );
}

export function unpatchScopes(host: PatchHost, module: unknown, classes: ScopedClasses): void {
  eachMethod(module, classes, (proto, method) => host.unwrap(proto, method.name));
}

/** A new run scope entered from the caller's context; undefined (the method then runs as it is) if that fails. */
function enterScope(): { scope: RunScope; context: Context } | undefined {
  try {
    return enterRunScope(context.active());
  } catch (err) {
    diag.debug('@infinium/otel: entering a LangChain run scope failed', err);
    return undefined;
  }
}

/** The method, run inside a new run scope entered from the caller's context. */
function scopedCall(original: AnyFunction): AnyFunction {
  return function inRunScope(this: unknown, ...args: unknown[]): unknown {
    const scoped = enterScope();
    return scoped ? context.with(scoped.context, original, this, ...args) : original.apply(this, args);
  };
}

/** The generator method, each step of its generator inside one run scope; an abandoned generator ends that scope's runs. */
function scopedGenerator(original: AnyFunction, tracker: () => RunTracker): AnyFunction {
  return function inRunScope(this: unknown, ...args: unknown[]): unknown {
    const scoped = enterScope();
    if (!scoped) return original.apply(this, args);
    const generator: unknown = context.with(scoped.context, original, this, ...args);
    return scopedAsyncIterator(generator, scoped.context, () => tracker().abandonRunsIn(scoped.scope));
  };
}
