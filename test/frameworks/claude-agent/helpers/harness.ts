import { expect } from 'chai';
import { propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { isWrapped } from '@opentelemetry/instrumentation';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type * as ClaudeSdk from '@anthropic-ai/claude-agent-sdk';
import { resolveConventions } from '../../../../lib/config/semconv';
import { RUN_ABANDONED_EVENT } from '../../../../lib/frameworks/run-span';
import { claudeAgentInstrumentation } from '../../../../lib/frameworks/claude-agent';
import type { CallRuntime } from '../../../../lib/instrumentation/llm-call';
import type { AnyFunction, PatchHost } from '../../../../lib/instrumentation/patching';
import { resolveTraceConfig, TraceConfigOptions } from '../../../../lib/masking/trace-config';
import { createTracing, TestTracing, useInstrumentation } from '../../../helpers/tracing';

export type Sdk = typeof ClaudeSdk;

/**
 * The in-process Claude Agent SDK tests' pipeline: an in-memory exporter, and the W3C trace-context
 * propagator NodeSDK registers by default (the SDK hands the active context to the CLI through it).
 *
 * The SDK is ESM only. An app's `import` of it is patched by the ESM loader hook, on the module namespace
 * import-in-the-middle hands over (its exports can be set); whether a mocha process has that hook depends
 * on what ran first in it. So the instrumentation's patch is applied here to a copy of the namespace holding
 * the SDK's own `query`, as the hook would, with this harness's masking settings: the tests call the real
 * SDK's `query` through our wrapper, once, whatever ran before. The hook itself is tested by the
 * child-process apps (cjs-app.test.ts).
 */
export interface ClaudeHarness {
  tracing: TestTracing;
  /** The SDK, its `query` wrapped by our instrumentation. */
  sdk(): Sdk;
  /** The SDK's own `query`, unwrapped: what the app would get with no instrumentation (the control). */
  rawQuery(): Sdk['query'];
  /** The SDK's own `startup`, unwrapped (the control). */
  rawStartup(): Sdk['startup'];
  /** Sets the masking for the next queries (the options, then the env, as the instrumentation reads them). */
  configure(options?: TraceConfigOptions, env?: Record<string, string>): void;
}

export function useClaudeHarness(): ClaudeHarness {
  const tracing = createTracing();
  let options: TraceConfigOptions = {};
  let env: Record<string, string> = {};
  let sdk: Sdk | undefined;
  let raw: Sdk['query'] | undefined;
  let rawStartup: Sdk['startup'] | undefined;
  const runtime: CallRuntime = {
    tracer: tracing.provider.getTracer('@infinium/otel'),
    get traceConfig() {
      return resolveTraceConfig(options, env);
    },
    get conventions() {
      return resolveConventions({}, {});
    },
  };
  const host: PatchHost = {
    runtime,
    wrap(target, name, wrapper) {
      const record = target as Record<string, unknown>;
      record[name] = wrapper(record[name] as AnyFunction);
    },
    unwrap() {},
  };
  before(async () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    useInstrumentation(tracing);
    const namespace = (await import('@anthropic-ai/claude-agent-sdk')) as Sdk;
    // The SDK's own functions, under the process-wide instrumentation's wrappers if the loader hook put them there.
    const own = <K extends 'query' | 'startup'>(name: K): Sdk[K] =>
      isWrapped(namespace[name]) ? (namespace[name] as unknown as { __original: Sdk[K] }).__original : namespace[name];
    raw = own('query');
    rawStartup = own('startup');
    const copy = { ...namespace, query: raw, startup: rawStartup } as Record<string, unknown>;
    const [definition] = claudeAgentInstrumentation.definitions(host);
    definition.patch!(copy, '0.3.337');
    sdk = copy as unknown as Sdk;
  });
  after(() => propagation.disable());
  beforeEach(() => {
    useInstrumentation(tracing);
    options = {};
    env = {};
    tracing.reset();
  });
  return {
    tracing,
    sdk: () => sdk!,
    rawQuery: () => raw!,
    rawStartup: () => rawStartup!,
    configure(nextOptions = {}, nextEnv = {}) {
      options = nextOptions;
      env = nextEnv;
    },
  };
}

/** Reads a query to its end, returning every message. */
export async function drain(query: AsyncIterable<unknown>): Promise<Array<Record<string, any>>> {
  const messages: Array<Record<string, any>> = [];
  for await (const message of query) messages.push(message as Record<string, any>);
  return messages;
}

/** Our spans (the instrumentation's scope) and the test's own app spans, as `name KIND <- parent` lines in end order. */
export function tree(spans: ReadableSpan[]): string[] {
  const kind = (s: ReadableSpan) => String(s.attributes['openinference.span.kind'] ?? '-');
  const parentName = (s: ReadableSpan) => spans.find((p) => p.spanContext().spanId === s.parentSpanContext?.spanId)?.name ?? 'root';
  return spans.map((s) => `${s.name} ${kind(s)} <- ${parentName(s)}`);
}

export function spanNamed(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one span named ${name}, got ${found.length}`);
  return found[0];
}

/** Every span is INTERNAL (runs, not calls); returned for chaining. */
export function allInternal(spans: ReadableSpan[]): boolean {
  return spans.every((s) => s.kind === SpanKind.INTERNAL);
}

/** A run (or tool) span the app's stop ended unfinished: not an error, no error type, the one abandoned event. */
export function expectRunAbandoned(span: ReadableSpan): void {
  expect(span.status.code).to.equal(SpanStatusCode.UNSET);
  expect(span.events.map((e) => e.name)).to.deep.equal([RUN_ABANDONED_EVENT]);
  expect(span.attributes['error.type']).to.equal(undefined);
}
