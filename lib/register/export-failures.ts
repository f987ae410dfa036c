import { diag } from '@opentelemetry/api';
import type { AppTracingSdk } from '../compat/otel-line';

/**
 * One short line per export problem, instead of OpenTelemetry's raw error dump (a 10-line stack, or the
 * error object's fields). A failing backend repeats the same failure at every batch: the same line is
 * printed at most once per `repeatAfterMs`.
 */
export class ExportFailureReporter {
  private readonly lastPrinted = new Map<string, number>();

  /**
   * @param destination where the spans go (the OTLP URL), named in every line
   * @param now the clock, replaceable in tests
   */
  constructor(
    private readonly destination: string | undefined,
    private readonly repeatAfterMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** An export (or another pipeline step) failed with `error`. */
  failed(error: unknown): void {
    const where = this.destination ? ` to ${this.destination}` : '';
    this.print(`@infinium/otel: spans could not be exported${where}: ${shortReason(error)}`);
  }

  /** The export at exit did not finish within the budget; the process ends without waiting for it. */
  timedOut(budgetMs: number): void {
    const where = this.destination ? ` to ${this.destination}` : '';
    this.print(`@infinium/otel: the last spans could not be exported${where} within ${budgetMs} ms; not waiting any longer`);
  }

  private print(line: string): void {
    const at = this.now();
    const last = this.lastPrinted.get(line);
    if (last !== undefined && at - last < this.repeatAfterMs) return;
    this.lastPrinted.set(line, at);
    diag.warn(line);
  }
}

/**
 * The first line of an error's message, with its system code when the message lacks it
 * (`connect ECONNREFUSED 127.0.0.1:4318`, `Unexpected server response: 404`). An AggregateError (Node's
 * happy-eyeballs connect to `localhost` fails on ::1 and 127.0.0.1 at once) gives its first inner error.
 */
export function shortReason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0 && !error.message) return shortReason(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = firstLine(error.message) || error.name;
    return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
  }
  if (typeof error === 'string') return firstLine(error) || 'unknown error';
  return 'unknown error';
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0].trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/**
 * Routes OpenTelemetry's global error handler (where the batch processor reports each failed export of
 * a long-running app) to one short line per failure, and returns the reporter, which the exit hooks use
 * for the export at exit too, so the same failure is never printed twice.
 */
export function installExportFailureReporter(app: AppTracingSdk, destination: string | undefined): ExportFailureReporter {
  const reporter = new ExportFailureReporter(destination);
  app.setGlobalErrorHandler((error) => reporter.failed(error));
  return reporter;
}
