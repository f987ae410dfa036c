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
 * passed by the app. When no manager was needed (no callbacks, no tracing), one is made so the run is
 * still seen.
 */
export function patchCallbackManager(host: PatchHost, module: unknown, handler: () => object): void {
  const cls = callbackManagerClass(module);
  if (!cls) return;
  host.wrap(cls, '_configureSync', (original: AnyFunction) =>
    function configureSyncWithTracing(this: unknown, ...args: unknown[]): unknown {
      const manager: unknown = original.apply(this, args);
      try {
        // No callbacks and no tracing: LangChain made no manager. Asked again with our handler as the
        // inheritable list, it makes one itself, with the run's tags and metadata (a bare manager has none,
        // and the root run's span would lose its session, user, tags and metadata).
        if (manager === undefined && args[0] === undefined && args[1] === undefined) {
          return original.apply(this, [[handler()], ...args.slice(1)]);
        }
        return withHandler(manager, typeof this === 'function' ? this : cls, handler());
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

/**
 * `manager` with `handler` among its handlers, inherited by child runs; a new manager of `managerClass`
 * (the class the static was called on) when there was none. What we cannot change is returned as it was.
 */
function withHandler(manager: unknown, managerClass: unknown, handler: object): unknown {
  if (manager === undefined) {
    const created = new (managerClass as new () => ManagerShape)();
    return addTo(created, handler) ? created : manager;
  }
  if (manager && typeof manager === 'object') addTo(manager as ManagerShape, handler);
  return manager;
}

function addTo(manager: ManagerShape, handler: object): boolean {
  const { handlers, inheritableHandlers } = manager;
  if (!Array.isArray(handlers) || !Array.isArray(inheritableHandlers) || typeof manager.addHandler !== 'function') return false;
  if (!handlers.includes(handler)) manager.addHandler(handler, true);
  else if (!inheritableHandlers.includes(handler)) inheritableHandlers.push(handler);
  return true;
}
