// First: LangChain (and the SDKs under it) loaded after the instrumentation is on (langchain-modules.ts).
import { lc, type LangChain } from './langchain-modules';
import { expect } from 'chai';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing } from '../../helpers/tracing';
import { ProviderSuite, useProviderSuite } from '../../helpers/provider-suite';

/**
 * What the patch suites share: the process-wide instrumentation on the real @langchain/core (CommonJS build,
 * in process), no callbacks passed by the app, a fake OpenAI server, and a check after each test that no
 * span was left open.
 */

/** A span of the app's own (an HTTP client's, a database's), started wherever the code runs. */
export function appSpan(name: string): void {
  trace.getTracer('app').startSpan(name).end();
}

/** The spans started and not yet ended, by name: what a run left open. */
const open = new Map<object, string>();
const openSpans: SpanProcessor = {
  onStart: (span) => void open.set(span, (span as unknown as ReadableSpan).name),
  onEnd: (span) => void open.delete(span),
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

export function expectAllOk(spans: ReadableSpan[]): void {
  for (const span of spans) expect(span.status.code, `${span.name} status`).to.not.equal(SpanStatusCode.ERROR);
}

export type PatchSuite = ProviderSuite<{ server: FakeLlmServer; lc: LangChain }>;

/** A lambda named `name` (a CHAIN run). */
const lambda = <I, O>(name: string, fn: (input: I) => O | Promise<O>) => lc.runnables.RunnableLambda.from(fn).withConfig({ runName: name });

/** The suite, and `lambda`. */
export function usePatchSuite(): { suite: PatchSuite; lambda: typeof lambda } {
  const suite = useProviderSuite<{ server: FakeLlmServer; lc: LangChain }>(
    async () => ({ server: await startFakeLlmServer(), lc }),
    { resetConfig: true, setUpTimeoutMs: 120_000, tracing: createTracing([openSpans]) },
  );
  beforeEach(() => {
    open.clear();
    suite.server.requests.length = 0;
    trace.setGlobalTracerProvider(suite.tracing.provider);
  });
  after(() => trace.disable());
  afterEach(() => expect([...open.values()], 'spans left open').to.deep.equal([]));
  return { suite, lambda };
}
