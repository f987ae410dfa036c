import { context, diag } from '@opentelemetry/api';
import { isTracingSuppressed } from '../../compat/sdk-shared';
import type { CallRuntime } from '../../instrumentation/llm-call';
import type { AnyFunction, PatchHost } from '../../instrumentation/patching';
import { asRecord, asString } from '../../record/read';
import { ClaudeAgentRun } from './agent-run';
import { CLAUDE_CODE_AGENT } from './files';
import { isThenable } from '../../instrumentation/trace-call';
import { observeQuery, observeWarmQuery } from './observed-query';

/**
 * The SDK's `query({ prompt, options })`: one AGENT run per call, active while the SDK starts the CLI.
 *
 * The SDK reads the active context inside `query()` itself, as it builds the CLI's environment
 * (`propagation.inject(context.active(), …)` through its bundled `@opentelemetry/api`, which uses the app's
 * registered propagator and context manager), and passes it as TRACEPARENT/TRACESTATE: calling it with the
 * run's span active is what makes the CLI's own spans children of the run. Its message loop, hooks and
 * in-process MCP tools are set going in the same call, so they run inside the run too.
 *
 * The app gets the SDK's own `Query`, watched (observed-query.ts); an error `query()` throws is rethrown as is.
 */
export function queryWrapper(host: PatchHost, exportedQuery: () => unknown) {
  return (original: AnyFunction): AnyFunction =>
    function tracedQuery(this: unknown, ...args: unknown[]) {
      if (unpatched(exportedQuery, original)) return original.apply(this, args);
      return runQuery(host.runtime, args[0], () => original.apply(this, args));
    };
}

/**
 * `startup({ options })` starts the CLI ahead of time and resolves a `WarmQuery`, whose `query(prompt)` (once)
 * runs the turn: that call is a run as `query()`'s, with startup's options. The CLI was started before it, so
 * its own spans carry startup's context, not the run's. The app's promise is the SDK's own: ours only
 * watches it, and a rejection is the app's to handle.
 */
export function startupWrapper(host: PatchHost, exportedStartup: () => unknown) {
  return (original: AnyFunction): AnyFunction =>
    function tracedStartup(this: unknown, ...args: unknown[]) {
      const warm: unknown = original.apply(this, args);
      if (unpatched(exportedStartup, original) || !isThenable(warm)) return warm;
      const options = asRecord(args[0])?.options;
      // Registered before the app's own await can resume: `query` is ours by the time the app calls it.
      warm.then(
        (resolved) => observeWarmQuery(resolved, (prompt, call) => runQuery(host.runtime, { prompt, options }, call)),
        () => undefined,
      );
      return warm;
    };
}

/** One run around `call` (the SDK's query), the Query it returns watched; the SDK's own error rethrown as is. */
function runQuery(runtime: CallRuntime, params: unknown, call: () => unknown): unknown {
  const run = startRun(runtime, params);
  if (!run) return call();
  let query: unknown;
  try {
    query = context.with(run.context, call);
  } catch (error) {
    run.failed(error);
    throw error;
  }
  observeQuery(query, run);
  run.stopOnAbort(abortSignalOf(params));
  return query;
}

/**
 * `disable()` puts the SDK's own export back on its module, but an app may hold ours from before
 * (`const { query } = await import(…)` copies it): once the module has the SDK's own again, ours is too.
 */
function unpatched(exported: () => unknown, original: AnyFunction): boolean {
  try {
    return exported() === original;
  } catch (err) {
    diag.debug('@infinium/otel: could not read a Claude Agent SDK export', err);
    return false;
  }
}

function startRun(runtime: CallRuntime, params: unknown): ClaudeAgentRun | undefined {
  try {
    const parent = context.active();
    if (isTracingSuppressed(parent)) return undefined;
    const { prompt, options } = asRecord(params) ?? {};
    // `options.agent` names the agent the main thread runs as (one of `options.agents`).
    const name = asString(asRecord(options)?.agent) || CLAUDE_CODE_AGENT;
    // A streaming-input prompt (an async iterable of user messages) is the app's to read, never ours.
    const input = typeof prompt === 'string' ? prompt : undefined;
    return new ClaudeAgentRun(runtime, { kind: 'AGENT', name, agentName: name, input, startedAt: performance.now() }, parent);
  } catch (err) {
    diag.debug('@infinium/otel: could not start a Claude Agent SDK run', err);
    return undefined;
  }
}

/** `options.abortController.signal`, read without trusting the shape (a getter that throws reads as none). */
function abortSignalOf(params: unknown): unknown {
  try {
    return asRecord(asRecord(asRecord(params)?.options)?.abortController)?.signal;
  } catch (err) {
    diag.debug('@infinium/otel: could not read the abort signal of a Claude Agent SDK query', err);
    return undefined;
  }
}
