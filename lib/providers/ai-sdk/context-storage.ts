import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from '@opentelemetry/api';

/** Where @opentelemetry/api 1.x keeps its globals (the context manager among them), for every copy of the API. */
const API_GLOBAL = Symbol.for('opentelemetry.js.api.1');

/**
 * The `AsyncLocalStorage` behind the registered OTel context manager (`AsyncLocalStorageContextManager`, the
 * one NodeSDK registers), or `undefined` for any other manager. A tracing channel can only make a context
 * current through such a storage (`bindStore`); the API has no public way to reach it, so this reads the
 * manager's field, checks what it finds, and without it the AI SDK spans still nest among themselves.
 */
export function contextStorage(): AsyncLocalStorage<Context> | undefined {
  const globals = (globalThis as Record<symbol, unknown>)[API_GLOBAL] as { context?: unknown } | undefined;
  const manager = globals?.context as { _asyncLocalStorage?: unknown } | undefined;
  const storage = manager?._asyncLocalStorage;
  return storage instanceof AsyncLocalStorage ? (storage as AsyncLocalStorage<Context>) : undefined;
}
