import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { llmSpans, TestTracing } from '../helpers/tracing';

/** What the app observed: the resolved value, or the error's class and message (and whether it was thrown synchronously). */
export type Outcome = { value: unknown } | { error: { type: string; message: string; sync: boolean } };

function describeError(error: unknown, sync: boolean): Outcome {
  const e = error as { constructor?: { name?: string }; message?: unknown } | undefined;
  return { error: { type: e?.constructor?.name ?? typeof error, message: String(e?.message ?? error), sync } };
}

export async function outcomeOf(scenario: () => Promise<unknown>): Promise<Outcome> {
  let pending: Promise<unknown>;
  try {
    pending = scenario();
  } catch (error) {
    return describeError(error, true);
  }
  try {
    return { value: await pending };
  } catch (error) {
    return describeError(error, false);
  }
}

/**
 * Runs `scenario` with our instrumentation, then with it disabled (the SDK's original methods), and checks
 * that the app got exactly the same thing both times. Returns our LLM spans from the traced run.
 */
export async function sameWithAndWithout(
  instrumentation: InfiniumInstrumentation,
  tracing: TestTracing,
  scenario: () => Promise<unknown>,
  settle: () => Promise<void> = () => Promise.resolve(),
): Promise<{ outcome: Outcome; spans: ReadableSpan[] }> {
  tracing.reset();
  const traced = await outcomeOf(scenario);
  await settle();
  const spans = llmSpans(await tracing.spans());
  tracing.reset();
  instrumentation.disable();
  let plain: Outcome;
  try {
    plain = await outcomeOf(scenario);
    await settle();
  } finally {
    instrumentation.enable();
  }
  expect(llmSpans(await tracing.spans()), 'no span while disabled').to.deep.equal([]);
  expect(traced).to.deep.equal(plain);
  return { outcome: traced, spans };
}

/** Collects every unhandled rejection while installed; `check()` waits a little and expects none. */
export class RejectionSpy {
  private readonly seen: unknown[] = [];
  private readonly listener = (reason: unknown) => this.seen.push(reason);
  install(): void {
    this.seen.length = 0;
    process.on('unhandledRejection', this.listener);
  }
  async check(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', this.listener);
    expect(this.seen, 'unhandled rejections').to.deep.equal([]);
  }
}

/** Collects garbage until `done()` holds: bounded by time, generously (finalizers lag on a busy machine). */
export { collectUntil } from '../helpers/gc';

export function heapUsedAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run mocha with --expose-gc (see .mocharc.json)');
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}
