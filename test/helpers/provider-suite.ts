import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { createTracing, onlySpan, TestTracing, useInstrumentation } from './tracing';

/** What a suite's set-up makes: at least something to stop after the suite (its fake server). */
export interface SuiteParts {
  server: { stop(): Promise<void> };
}

export interface SuiteOptions<T> {
  /** The pipeline the instrumentation writes to. Default: a fresh in-memory one, without processors. */
  tracing?: TestTracing;
  /** Also set the instrumentation's config back to the defaults before each test (for suites whose tests change it). */
  resetConfig?: boolean;
  /** How long the set-up may take (a large SDK's first require, through every require hook of a full run, is slow). */
  setUpTimeoutMs?: number;
  /** What ends the suite. Default: stop the server. */
  tearDown?: (parts: T) => Promise<void>;
}

/** The suite's parts (read once the `before` hook has run), with the pipeline and the instrumentation. */
export type ProviderSuite<T> = Readonly<T> & {
  readonly tracing: TestTracing;
  readonly instrumentation: InfiniumInstrumentation;
  /** The one LLM span the test produced (fails if there is not exactly one). */
  onlySpan(): Promise<ReadableSpan>;
};

/**
 * The set-up every provider suite shares, as mocha hooks of the calling `describe`:
 * - before: the process-wide instrumentation pointed at the suite's pipeline, then `setUp` (load the SDK,
 *   which the require hook patches now that the instrumentation is on; start the fake server; make the client);
 * - after: `tearDown` (by default the server stops);
 * - before each test: the spans cleared (and, with `resetConfig`, the default config).
 * The returned object reads the parts `setUp` made, so it can be kept in a `const` before they exist.
 */
export function useProviderSuite<T extends SuiteParts>(setUp: (instrumentation: InfiniumInstrumentation) => Promise<T>, options: SuiteOptions<T> = {}): ProviderSuite<T> {
  const tracing = options.tracing ?? createTracing();
  let instrumentation: InfiniumInstrumentation | undefined;
  let parts: T | undefined;

  before(async function () {
    if (options.setUpTimeoutMs !== undefined) this.timeout(options.setUpTimeoutMs);
    ({ instrumentation } = useInstrumentation(tracing));
    parts = await setUp(instrumentation);
  });
  after(async () => {
    if (!parts) return;
    await (options.tearDown ? options.tearDown(parts) : parts.server.stop());
  });
  beforeEach(() => {
    tracing.reset();
    if (options.resetConfig) instrumentation?.setConfig({});
  });

  const own: Record<PropertyKey, unknown> = {
    tracing,
    onlySpan: () => onlySpan(tracing),
  };
  return new Proxy(own, {
    get(target, key) {
      if (key === 'instrumentation') return instrumentation;
      if (Object.hasOwn(target, key)) return target[key];
      return parts?.[key as keyof T];
    },
  }) as ProviderSuite<T>;
}
