import { diag } from '@opentelemetry/api';

/** What the exit hooks drive: the SDK pipeline the register entry started. */
export interface FlushTarget {
  /** True when spans ended since the last flush started (so `beforeExit` does not loop forever). */
  hasUnflushedSpans(): boolean;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
  /**
   * Resolves with an error when the backend plainly cannot be reached (a refused connection), so the
   * exit need not wait out the exporter's retries; with undefined otherwise. Optional.
   */
  unreachable?(): Promise<Error | undefined>;
}

/** How a failed or overdue export at exit is reported (one short line each). */
export interface ExitReporter {
  failed(error: unknown): void;
  timedOut(budgetMs: number): void;
}

/** The parts of `process` the hooks use; a fake in unit tests. */
export interface ExitProcess {
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
  listenerCount(event: string): number;
  kill(pid: number, signal: string): unknown;
  /** Ends the process with `process.exitCode` (the app's own code). */
  exit(): unknown;
  readonly pid: number;
}

export const EXIT_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

const DIAG_REPORTER: ExitReporter = {
  failed: (error) => diag.warn('@infinium/otel: the export at exit failed', error),
  timedOut: (budgetMs) => diag.warn(`@infinium/otel: the export at exit took longer than ${budgetMs} ms`),
};

/**
 * The app never calls shutdown, so nothing would be exported for the last spans. These hooks flush
 * without changing how the app exits, and never wait longer than `budgetMs` for it:
 * - `beforeExit` (the event loop is empty): flush the spans that ended since the last flush. The
 *   export keeps the loop alive, `beforeExit` fires again, finds nothing new, and the process exits
 *   with the app's own exit code. An export still running at the budget (the OTLP exporter retries an
 *   unreachable backend for up to 10 s) is given up: one line says so and the process exits with the
 *   app's exit code, since the app had nothing left to run.
 * - SIGTERM / SIGINT with no other listener: Node's default would kill the process at once. We shut
 *   down (bounded by the same budget), remove our listeners and raise the same signal again, so the
 *   process still dies by that signal.
 * - SIGTERM / SIGINT the app listens to itself: the app decides how and when to exit. We only start
 *   a flush and never exit on its behalf.
 * Returns a function that removes the hooks.
 */
export function installExitHooks(
  target: FlushTarget,
  budgetMs: number,
  proc: ExitProcess = process,
  reporter: ExitReporter = DIAG_REPORTER,
): () => void {
  let flushing: Promise<void> | undefined;
  const flushNew = (exitWhenOverdue: boolean): void => {
    if (flushing || !target.hasUnflushedSpans()) return;
    flushing = withinBudget(target.flush(), budgetMs, reporter, target).then((finished) => {
      flushing = undefined;
      if (!finished && exitWhenOverdue) proc.exit();
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
      flushNew(false);
      return;
    }
    dying = signal;
    void withinBudget(target.shutdown(), budgetMs, reporter, target).then(() => reraise(signal));
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

  listeners.set('beforeExit', () => flushNew(true));
  for (const signal of EXIT_SIGNALS) listeners.set(signal, onSignal);
  for (const [event, listener] of listeners) proc.on(event, listener);
  return uninstall;
}

/**
 * Waits for `work` at most `budgetMs`, or until the target says its backend is unreachable. Resolves
 * true when the work settled in time (a failure is reported), false when the wait was given up (the
 * reason reported). One line either way; never rejects.
 */
function withinBudget(work: Promise<void>, budgetMs: number, reporter: ExitReporter, target: FlushTarget): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let settled = false;
    const settle = (finished: boolean, report: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      report();
      resolve(finished);
    };
    const timer = setTimeout(() => settle(false, () => reporter.timedOut(budgetMs)), budgetMs);
    work.then(
      () => settle(true, () => {}),
      (err: unknown) => settle(true, () => reporter.failed(err)),
    );
    target.unreachable?.().then(
      (err) => err && settle(false, () => reporter.failed(err)),
      () => {},
    );
  });
}
