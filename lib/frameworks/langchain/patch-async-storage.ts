import { context, diag } from '@opentelemetry/api';
import { AnyFunction, moduleExports, PatchHost } from '../../instrumentation/patching';
import type { RunTracker } from './run-tracker';

/**
 * Where `runWithConfig` is defined for a copy of `dist/singletons/async_local_storage/index`: the
 * prototype of its exported singleton (the class itself is not exported), else the singleton.
 */
function runWithConfigHolder(module: unknown): object | undefined {
  const singleton = moduleExports<{ AsyncLocalStorageProviderSingleton?: unknown } | undefined>(module)?.AsyncLocalStorageProviderSingleton;
  if (!singleton || typeof singleton !== 'object') return undefined;
  const proto: unknown = Object.getPrototypeOf(singleton);
  return proto && typeof proto === 'object' && Object.hasOwn(proto, 'runWithConfig') ? proto : singleton;
}

/**
 * The run a child config belongs to: a run hands its children a config whose callbacks are the manager
 * `runManager.getChild()` made, whose parent run id is that run's id.
 */
export function parentRunIdOf(config: unknown): string | undefined {
  const callbacks = (config as { callbacks?: unknown } | null | undefined)?.callbacks;
  if (!callbacks || typeof callbacks !== 'object') return undefined;
  const manager = callbacks as { getParentRunId?: () => unknown; _parentRunId?: unknown };
  const id = typeof manager.getParentRunId === 'function' ? manager.getParentRunId() : manager._parentRunId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * LangChain runs a lambda's, a tool's and a LangGraph node's body through
 * `AsyncLocalStorageProviderSingleton.runWithConfig(childConfig, body)`. The body runs in the context of
 * the run that config belongs to, so every span started inside it (HTTP, a database, our SDK spans) is a
 * child of that run's span.
 */
export function patchRunWithConfig(host: PatchHost, module: unknown, tracker: () => RunTracker): void {
  const holder = runWithConfigHolder(module);
  if (!holder) return;
  host.wrap(holder, 'runWithConfig', (original: AnyFunction) =>
    function runWithConfigInRunContext(this: unknown, ...args: unknown[]): unknown {
      let runContext;
      try {
        runContext = tracker().contextOfRun(parentRunIdOf(args[0]), context.active());
      } catch (err) {
        diag.debug('@infinium/otel: the context of a LangChain run could not be found', err);
      }
      return runContext ? context.with(runContext, original, this, ...args) : original.apply(this, args);
    },
  );
}

export function unpatchRunWithConfig(host: PatchHost, module: unknown): void {
  const holder = runWithConfigHolder(module);
  if (holder) host.unwrap(holder, 'runWithConfig');
}
