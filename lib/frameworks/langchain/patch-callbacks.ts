import { diag } from '@opentelemetry/api';
import { AnyFunction, moduleExports, PatchHost } from '../../instrumentation/patching';

/** What we touch of a LangChain CallbackManager (duck-typed: `@langchain/core` is an optional peer, never imported). */
interface ManagerShape {
  handlers?: unknown;
  inheritableHandlers?: unknown;
  addHandler?: (handler: unknown, inherit?: boolean) => void;
}

/** The `CallbackManager` class a copy of `dist/callbacks/manager` exports. */
function callbackManagerClass(module: unknown): object | undefined {
  const cls = moduleExports<{ CallbackManager?: unknown } | undefined>(module)?.CallbackManager;
  return typeof cls === 'function' ? cls : undefined;
}

/**
 * Every LangChain run builds its callback manager in the static `CallbackManager._configureSync`: our one
 * handler, added there as an inheritable handler, sees every run and every child run, with no callbacks
 * passed by the app. When no manager was needed (no callbacks, no tracing), LangChain is asked for one with
 * ours, so the run is still seen.
 */
export function patchCallbackManager(host: PatchHost, module: unknown, handler: () => object): void {
  const cls = callbackManagerClass(module);
  if (!cls) return;
  host.wrap(cls, '_configureSync', (original: AnyFunction) =>
    function configureSyncWithTracing(this: unknown, ...args: unknown[]): unknown {
      const manager: unknown = original.apply(this, args);
      try {
        // No callbacks (nor tracing): LangChain made no manager. Asked again with our handler as the
        // inheritable list, it makes one itself, with the run's tags and metadata (a bare manager of ours
        // would have none, and the root run's span would lose its session, user, tags and metadata).
        if (manager === undefined) return original.apply(this, [[handler()], ...args.slice(1)]);
        if (manager && typeof manager === 'object') addTo(manager as ManagerShape, handler());
        return manager;
      } catch (err) {
        diag.debug('@infinium/otel: adding the LangChain handler to a callback manager failed', err);
        return manager;
      }
    },
  );
}

export function unpatchCallbackManager(host: PatchHost, module: unknown): void {
  const cls = callbackManagerClass(module);
  if (cls) host.unwrap(cls, '_configureSync');
}

/** `handler` among `manager`'s handlers, inherited by child runs; a manager of another shape is left as it is. */
function addTo(manager: ManagerShape, handler: object): void {
  const { handlers, inheritableHandlers } = manager;
  if (!Array.isArray(handlers) || !Array.isArray(inheritableHandlers) || typeof manager.addHandler !== 'function') return;
  if (!handlers.includes(handler)) manager.addHandler(handler, true);
  else if (!inheritableHandlers.includes(handler)) inheritableHandlers.push(handler);
}
