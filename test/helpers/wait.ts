/**
 * Waits for something that happens on its own time (a child process, a finalizer, a scrape): polls
 * `condition` until it holds, failing only after `timeoutMs`. The bound is generous on purpose, for a
 * busy machine; a test never asserts how fast the condition came. Keep it below the mocha timeout (20 s
 * by default) so that a failure names what it waited for.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000, pollMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
