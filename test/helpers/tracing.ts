import { expect } from 'chai';
import { context, trace, Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  ReadableSpan,
  SimpleSpanProcessor,
  SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { STREAM_ABANDONED_EVENT } from '../../lib/instrumentation/llm-call';

/**
 * One instrumentation for the whole mocha run (the require hooks are process-wide), writing to an
 * in-memory exporter. Suites that need other processors build their own provider with `createTracing`.
 */
let contextManagerSet = false;
function ensureContextManager(): void {
  if (contextManagerSet) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextManagerSet = true;
}

export interface TestTracing {
  provider: TracerProvider;
  exporter: InMemorySpanExporter;
  /** Flushes, then returns the finished spans (oldest first). */
  spans(): Promise<ReadableSpan[]>;
  reset(): void;
  /** Runs `fn` inside an active parent span, which ends when `fn` settles. */
  inParent<T>(name: string, fn: (parent: Span) => Promise<T>): Promise<T>;
}

export function createTracing(extraProcessors: SpanProcessor[] = []): TestTracing {
  ensureContextManager();
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [...extraProcessors, new SimpleSpanProcessor({ exporter }), secretGuard] });
  const tracer = provider.getTracer('test');
  return {
    provider,
    exporter,
    async spans() {
      await provider.forceFlush();
      return exporter.getFinishedSpans();
    },
    reset() {
      exporter.reset();
    },
    inParent(name, fn) {
      return tracer.startActiveSpan(name, async (parent) => {
        try {
          return await fn(parent);
        } finally {
          parent.end();
        }
      });
    },
  };
}

let shared: { instrumentation: InfiniumInstrumentation; tracing: TestTracing } | undefined;

/** The process-wide instrumentation, pointed at `tracing` (a fresh in-memory pipeline by default). */
export function useInstrumentation(tracing: TestTracing = createTracing()): { instrumentation: InfiniumInstrumentation; tracing: TestTracing } {
  if (!shared) {
    ensureContextManager();
    shared = { instrumentation: new InfiniumInstrumentation(), tracing };
  }
  shared.tracing = tracing;
  shared.instrumentation.setConfig({});
  shared.instrumentation.setTracerProvider(tracing.provider);
  shared.instrumentation.enable();
  return shared;
}

/** Spans of our instrumentation only (the SDKs' own spans and test parents filtered out). */
export function llmSpans(spans: ReadableSpan[]): ReadableSpan[] {
  return spans.filter((s) => s.instrumentationScope.name === '@infinium/otel');
}

export { trace };

/** The one LLM span the test produced (fails if there is not exactly one). */
export async function onlySpan(tracing: TestTracing): Promise<ReadableSpan> {
  const spans = llmSpans(await tracing.spans());
  expect(spans).to.have.length(1);
  return spans[0];
}

/**
 * The one LLM span of a call made under `tracing.inParent(parent, …)`, checked to be an OK CLIENT span
 * named `name` whose parent is that span (fails if there is not exactly one LLM span).
 */
export async function onlyChildSpan(tracing: TestTracing, name: string, parent = 'agent'): Promise<ReadableSpan> {
  const spans = await tracing.spans();
  const llm = llmSpans(spans);
  expect(llm, 'LLM spans').to.have.length(1);
  const root = spans.find((s) => s.name === parent);
  expect(root, `the span ${parent}`).to.not.equal(undefined);
  const [span] = llm;
  expect(span.name).to.equal(name);
  expect(span.kind).to.equal(SpanKind.CLIENT);
  expect(span.parentSpanContext?.spanId).to.equal(root!.spanContext().spanId);
  expect(span.status.code).to.equal(SpanStatusCode.OK);
  return span;
}

/**
 * A stream span that ended as abandoned (the app broke off or aborted): not an error, the one abandoned
 * event, and (when given) `output` as the output read so far.
 */
export function expectAbandoned(span: ReadableSpan, output?: string): void {
  expect(span.status.code).to.equal(SpanStatusCode.UNSET);
  expect(span.events.map((e) => e.name)).to.deep.equal([STREAM_ABANDONED_EVENT]);
  if (output !== undefined) expect(span.attributes['llm.output_messages.0.message.content']).to.equal(output);
}

/** Attributes with the per-run latency removed (checked to be a number), for exact comparisons. */
export function stable(span: ReadableSpan): Record<string, unknown> {
  const { ['llm.latency_ms']: latency, ...rest } = span.attributes;
  expect(latency).to.be.a('number');
  return rest;
}

/**
 * The API keys the tests give the SDKs. No exported span may carry one anywhere (name, attributes, events,
 * status): every `createTracing()` pipeline checks each ended span, and test/reliability/no-secrets.test.ts
 * asserts after the whole run that none did.
 */
export const TEST_API_KEYS: readonly string[] = [
  'sk-test-secret-123', 'sk-ant-test-secret-123', 'test-key-AIzaSyFAKE-000', 'sk-test', 'hf_test_secret_123', 'tgp_v1_test_provider_key',
  'r8_FAKEtestTOKEN000', 'r8_abcdefghijklmnop', 'r8_zyxwvutsrqponmlk', 'ya29.fixed-test-token', 'AKIATESTTESTTEST', 'AKIAIOSFODNN7EXAMPLE',
];

const secretViolations: string[] = [];

/** Spans (name and offending key) that carried a test API key, across every createTracing() pipeline so far. */
export function secretsSeen(): readonly string[] {
  return secretViolations;
}

/** The test API keys found anywhere in what a span exports. */
export function secretsIn(span: Pick<ReadableSpan, 'name' | 'attributes' | 'events' | 'status' | 'links'>): string[] {
  const text = JSON.stringify([span.name, span.attributes, span.events, span.status, span.links]);
  return TEST_API_KEYS.filter((key) => text.includes(key));
}

const secretGuard: SpanProcessor = {
  onStart() {},
  onEnd(span: ReadableSpan) {
    for (const key of secretsIn(span)) secretViolations.push(`${span.name}: ${key}`);
  },
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};
