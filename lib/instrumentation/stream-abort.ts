import { diag } from '@opentelemetry/api';

/** What an abort ends: the stream wrapper's watcher (`StreamWatcher.abort`). */
export interface Abortable {
  abort(): void;
  /** Runs `release` when the stream stops (at once if it has stopped already). */
  whenStopped?(release: () => void): void;
}

/**
 * Where a stream's abort comes from: the app's own signal for the request, or the SDK's own per-request
 * controller (which the SDK aborts on every path, the app's signal included).
 */
export type AbortSource = { signal: unknown } | { controller: unknown };

/** Ends the stream's span when `source` aborts, through the cheaper hook where the SDK's controller is known. */
export function endOnAbort(source: AbortSource | undefined, watcher: Abortable): void {
  if (source === undefined) return;
  if ('controller' in source) endOnControllerAbort(source.controller, watcher);
  else endOnSignalAbort(source.signal, watcher);
}

/**
 * Ends a stream's span when the app's own abort signal fires (Gemini's `config.abortSignal`, Bedrock's and
 * Cohere's request options, Mistral's `fetchOptions.signal`). Only streams whose request carries such a
 * signal pay for the listener. In its own function, so that the listener's closure holds the watcher only:
 * the signal stays reachable while the body is open, and a stream dropped unread must still be collected.
 *
 * The listener is removed when the stream stops: an app often passes one long-lived signal (its shutdown
 * controller) to every request, and a listener left per stream would pile up on it (each holding its
 * watcher) until Node warns of an EventTarget leak.
 */
export function endOnSignalAbort(signal: unknown, watcher: Abortable): void {
  const s = signal as AbortSignal | undefined;
  if (!s || typeof s.addEventListener !== 'function') return;
  if (s.aborted) return watcher.abort();
  const listener = () => watcher.abort();
  s.addEventListener('abort', listener, { once: true });
  watcher.whenStopped?.(() => {
    try {
      s.removeEventListener('abort', listener);
    } catch (err) {
      diag.debug('@infinium/otel: could not remove an abort listener', err);
    }
  });
}

const WATCH = Symbol('@infinium/otel abort watch');

/**
 * What a patched controller holds: the current watcher and the controller's own `abort`. A class, not an
 * object literal, whose allocation site V8 would pretenure (see `StreamWatcher`'s note on allocation sites).
 */
class AbortWatch {
  constructor(
    public watcher: Abortable,
    readonly abort: (reason?: unknown) => void,
  ) {}
}

interface WatchedController {
  abort(reason?: unknown): void;
  signal?: AbortSignal;
  [WATCH]?: AbortWatch;
}

/**
 * Ends a stream's span when the SDK's own per-request `AbortController` is aborted (the Stainless SDKs'
 * `stream.controller`, Ollama's `abortController`). Those SDKs abort it through its `abort()` method on
 * every path: the app's `stream.controller.abort()` or `stream.abort()`, the app's request signal (which
 * the SDK forwards with `controller.abort()`), the SDK's timeout.
 *
 * So that method is replaced on the instance by one shared function, instead of adding an 'abort' listener
 * to the signal: Node's EventTarget charges about 5 µs and 1.6 KB for a signal's first listener, and every
 * streamed call would pay it (docs/performance.md). The original method runs first and unchanged.
 */
export function endOnControllerAbort(controller: unknown, watcher: Abortable): void {
  const c = controller as WatchedController | undefined;
  if (!c || typeof c !== 'object' || typeof c.abort !== 'function') return;
  if (c.signal?.aborted) return watcher.abort();
  const watch = c[WATCH];
  if (watch) watch.watcher = watcher;
  else {
    c[WATCH] = new AbortWatch(watcher, c.abort);
    c.abort = abortAndEnd;
  }
}

function abortAndEnd(this: WatchedController, reason?: unknown): void {
  const watch = this[WATCH];
  try {
    return (watch?.abort ?? AbortController.prototype.abort).call(this, reason);
  } finally {
    try {
      watch?.watcher.abort();
    } catch (err) {
      diag.debug('@infinium/otel: could not end an aborted stream', err);
    }
  }
}
