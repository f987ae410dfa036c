import { context, Context } from '@opentelemetry/api';
import { followPromise, isThenable } from '../instrumentation/trace-call';

/**
 * Runs a wrapped SDK call (a store's method, an MCP request sent or handled) in `ctx` and reports its
 * outcome, whichever way it comes: a synchronous throw (rethrown as it is), a promise (the app gets one that
 * settles with the same value or error object: `followPromise`), or a plain value. Shared by the framework
 * rooms whose spans follow a call this way, so that none imports another's internals.
 */
export function runObserved(ctx: Context, invoke: () => unknown, succeed: (value: unknown) => void, fail: (error: unknown) => void): unknown {
  let result: unknown;
  try {
    result = context.with(ctx, invoke);
  } catch (error) {
    fail(error);
    throw error;
  }
  if (!isThenable(result)) {
    succeed(result);
    return result;
  }
  return followPromise(result, succeed, fail);
}
