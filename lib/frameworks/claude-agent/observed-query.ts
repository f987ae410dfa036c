import { context, diag } from '@opentelemetry/api';
import type { AnyFunction } from '../../instrumentation/patching';
import { isThenable } from '../../instrumentation/trace-call';
import type { ClaudeAgentRun } from './agent-run';

/**
 * Watches the `Query` that `query()` returned without changing it: the app gets the very object the SDK
 * made, of the same class, with every method it had. Its `next`/`return`/`throw` become own properties of
 * the instance that call the class's own methods and look at what they return.
 *
 * The SDK's `Query` is not its own iterator: `q[Symbol.asyncIterator]()` returns an inner generator that
 * `q.next()` also delegates to, so a `for await` never calls `q.next`. The inner generator gets the same own
 * properties when the app asks for it, and a message seen through both is read once (`ClaudeAgentRun.read`).
 *
 * Each step runs with the run's span active, so whatever the SDK does in it (its generator's body) is inside
 * the run. `close()` and `Symbol.asyncDispose` stop the run as `return()` does, and so does the Query being
 * collected (the app dropped it).
 */
export function observeQuery(query: unknown, run: ClaudeAgentRun): void {
  try {
    if (!isIterator(query)) {
      // Not the shape this was written for: nothing to follow, so the run ends now rather than never.
      run.done();
      return;
    }
    tapIterator(query, run);
    collected.register(query, run);
    for (const stop of ['close', Symbol.asyncDispose]) {
      defineOwn(query, stop, (original) =>
        function stopQuery(this: unknown, ...args: unknown[]) {
          run.stopped();
          return original.apply(this, args);
        },
      );
    }
    defineOwn(query, Symbol.asyncIterator, (original) =>
      function iterator(this: unknown, ...args: unknown[]) {
        const inner: unknown = original.apply(this, args);
        if (inner !== this && isIterator(inner)) tapIterator(inner, run);
        return inner;
      },
    );
  } catch (err) {
    diag.debug('@infinium/otel: could not observe a Claude Agent SDK query', err);
  }
}

/**
 * A `WarmQuery` (from `startup()`): its `query(prompt)` becomes an own property that hands the SDK's call to
 * `run`, which makes the run around it. Its other methods (`close()`) stay as they are.
 */
export function observeWarmQuery(warm: unknown, run: (prompt: unknown, call: () => unknown) => unknown): void {
  try {
    if (warm === null || typeof warm !== 'object') return;
    defineOwn(warm as Record<PropertyKey, unknown>, 'query', (original) =>
      function tracedWarmQuery(this: unknown, ...args: unknown[]) {
        return run(args[0], () => original.apply(this, args));
      },
    );
  } catch (err) {
    diag.debug('@infinium/otel: could not observe a Claude Agent SDK warm query', err);
  }
}

const tapped = new WeakSet<object>();

/**
 * A Query the app drops without reading it to the end: the SDK ran the CLI to its end all the same, and once
 * the Query is collected nobody can read it, so its run ends as if stopped (abandoned before any result was
 * read). The run holds nothing of the Query, so it never keeps it alive.
 */
const collected = new FinalizationRegistry<ClaudeAgentRun>((run) => run.stopped());

function tapIterator(iterator: Record<PropertyKey, unknown>, run: ClaudeAgentRun): void {
  if (tapped.has(iterator)) return;
  tapped.add(iterator);
  for (const step of ['next', 'throw']) {
    defineOwn(iterator, step, (original) =>
      function observedStep(this: unknown, ...args: unknown[]) {
        return follow(context.with(run.context, () => original.apply(this, args)), run);
      },
    );
  }
  defineOwn(iterator, 'return', (original) =>
    function observedReturn(this: unknown, ...args: unknown[]) {
      // Before the SDK's return(): it closes the CLI, and nothing read after that is the app's answer.
      run.stopped();
      return context.with(run.context, () => original.apply(this, args));
    },
  );
}

/** The step's own promise settles the app's: the same result, the same error, read on the way. */
function follow(step: unknown, run: ClaudeAgentRun): unknown {
  if (!isThenable(step)) {
    observe(step, run);
    return step;
  }
  return step.then(
    (result: unknown) => {
      observe(result, run);
      return result;
    },
    (error: unknown) => {
      run.failed(error);
      throw error;
    },
  );
}

function observe(result: unknown, run: ClaudeAgentRun): void {
  try {
    const step = result as IteratorResult<unknown> | null | undefined;
    if (step?.done) run.done();
    else if (step) run.read(step.value);
  } catch (err) {
    diag.debug('@infinium/otel: could not read a Claude Agent SDK step', err);
  }
}

/** Puts `wrap(target[key])` on the instance itself, hidden from enumeration like a class method; skipped when absent. */
function defineOwn(target: Record<PropertyKey, unknown>, key: PropertyKey, wrap: (original: AnyFunction) => AnyFunction): void {
  try {
    const original = target[key];
    if (typeof original !== 'function') return;
    Object.defineProperty(target, key, { value: wrap(original as AnyFunction), writable: true, configurable: true, enumerable: false });
  } catch (err) {
    diag.debug(`@infinium/otel: could not observe ${String(key)} of a Claude Agent SDK query`, err);
  }
}

function isIterator(value: unknown): value is Record<PropertyKey, unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { next?: unknown }).next === 'function';
}

