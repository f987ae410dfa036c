/**
 * What the AI SDK itself takes for an abort (provider-utils' `isAbortError`): the app's abort, Next.js's
 * `ResponseAborted`, and an `AbortSignal.timeout`. The SDK ends such a run quietly (the app gets no error from
 * a stream), so the spans it left open end abandoned, not as errors.
 */
export function isAiSdkAbort(error: unknown): boolean {
  const name = (error as { name?: unknown } | null | undefined)?.name;
  return name === 'AbortError' || name === 'ResponseAborted' || name === 'TimeoutError';
}
