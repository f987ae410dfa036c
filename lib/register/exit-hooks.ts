import { diag } from '@opentelemetry/api';

/** What the exit hooks drive: the SDK pipeline the register entry started. */
export interface FlushTarget {
  /** True when spans ended since the last flush started (so `beforeExit` does not loop forever). */
  hasUnflushedSpans(): boolean;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** The parts of `process` the hooks use; a fake in unit tests. */
export interface ExitProcess {
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
  listenerCount(event: string): number;
  kill(pid: number, signal: string): unknown;
  readonly pid: number;
}

export const EXIT_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * The app never calls shutdown, so nothing would be exported for the last spans. These hooks flush
 * without changing how the app exits:
 * - `beforeExit` (the event loop is empty): flush the spans that ended since the last flush. The
 *   export keeps the loop alive, `beforeExit` fires again, finds nothing new, and the process exits
 *   with the app's own exit code.
 * - SIGTERM / SIGINT with no other listener: Node's default would kill the process at once. We shut
 *   down (bounded by `timeoutMs`), remove our listeners and raise the same signal again, so the
 *   process still dies by that signal.
 * - SIGTERM / SIGINT the app listens to itself: the app decides how and when to exit. We only start
 *   a flush and never exit on its behalf.
 * Returns a function that removes the hooks.
 */
export function installExitHooks(target: FlushTarget, timeoutMs: number, proc: ExitProcess = process): () => void {
  let flushing: Promise<void> | undefined;
  const flushNew = (): void => {
    if (flushing || !target.hasUnflushedSpans()) return;
    flushing = safely(target.flush(), 'flush').finally(() => {
      flushing = undefined;
    });
  };

  let dying: string | undefined;
  const onSignal = (signal: string): void => {
    if (dying) {
      // A second signal while we flush: stop waiting.
      reraise(signal);
      return;
    }
    if (proc.listenerCount(signal) > 1) {
      flushNew();
      return;
    }
    dying = signal;
    const timer = setTimeout(() => reraise(signal), timeoutMs);
    void safely(target.shutdown(), 'shutdown').then(() => {
      clearTimeout(timer);
      reraise(signal);
    });
  };

  const listeners = new Map<string, (...args: any[]) => void>();
  const uninstall = (): void => {
    for (const [event, listener] of listeners) proc.removeListener(event, listener);
    listeners.clear();
  };
  const reraise = (signal: string): void => {
    uninstall();
    try {
      proc.kill(proc.pid, signal);
    } catch (err) {
      diag.error(`@infinium/otel: could not re-raise ${signal}`, err);
    }
  };

  listeners.set('beforeExit', flushNew);
  for (const signal of EXIT_SIGNALS) listeners.set(signal, onSignal);
  for (const [event, listener] of listeners) proc.on(event, listener);
  return uninstall;
}

function safely(promise: Promise<void>, what: string): Promise<void> {
  return promise.catch((err) => diag.warn(`@infinium/otel: ${what} at exit failed`, err));
}
