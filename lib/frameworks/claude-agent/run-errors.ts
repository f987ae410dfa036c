/**
 * The errors a Claude Code run's spans record for failures the CLI only reports (a tool's `is_error`, a failed
 * subagent task, a failed `result`): nothing threw in this process, so these stand for them.
 */

/** What a failed tool says, as the exception its span records (the tool returned `is_error`, it threw nothing here). */
export class ToolResultError extends Error {
  override name = 'ToolResultError';
}

/** The `error.type` of a subagent whose task ended `failed`. */
export const TASK_FAILED = 'task_failed';

/**
 * The error a failed result stands for, named after its subtype (`error_max_turns`, …): the run span's
 * `error.type` is the error's class name, and the subtype is what says what went wrong.
 */
export function resultError(type: string, message: string | undefined): Error {
  const named = { [type]: class extends Error {} }[type];
  const error = new named(message);
  error.name = type;
  return error;
}
