/**
 * Every difference between the two OpenTelemetry JS lines that this package meets, in one place.
 *
 * | | 2.x line | 3.x line |
 * |---|---|---|
 * | tracing SDK | `sdk-trace-base` 2.x (positional `new SimpleSpanProcessor(exporter)`), and from 2.9 also `sdk-trace` (`{ exporter }`) | `sdk-trace` 3.x (`{ exporter }`) |
 * | a span's parent | `span.parentSpanContext` (`parentSpanId` before 2.0) | `span.parentSpanContext` |
 * | `@opentelemetry/instrumentation` | 0.2xx | 0.30x (needs api 1.10) |
 *
 * The SDK packages are the app's: the register entry loads them at run time, resolved from the app's
 * `@opentelemetry/sdk-node` (whose own dependencies they are), so nothing here pins a line. Nothing
 * outside this file knows which line it runs on.
 */
import type { SpanContext } from '@opentelemetry/api';
import { createRequire } from 'node:module';
import type { BatchOptions, OtlpProtocol } from '../config/register-config';
import type { ReadableSpan, SpanExporter, SpanProcessor } from './sdk-types';

/** The parent's span context; `undefined` for a root span. */
export function parentSpanContextOf(span: ReadableSpan): SpanContext | undefined {
  const s = span as ReadableSpan & { parentSpanContext?: SpanContext; parentSpanId?: string };
  if (s.parentSpanContext !== undefined) return s.parentSpanContext;
  // sdk-trace-base before 2.0 exposed only the id; such a parent is local as far as we can tell.
  if (typeof s.parentSpanId === 'string' && s.parentSpanId !== '') {
    return { traceId: s.spanContext().traceId, spanId: s.parentSpanId, traceFlags: 0, isRemote: false };
  }
  return undefined;
}

/** A span with no parent in this process: a trace root, or the first span after a remote parent. */
export function isLocalRoot(span: ReadableSpan): boolean {
  const parent = parentSpanContextOf(span);
  return parent === undefined || parent.isRemote === true;
}

export interface NodeSdkInstance {
  start(): void;
  shutdown(): Promise<void>;
}

/** The app's tracing SDK, whichever line, behind one constructor shape. */
export interface AppTracingSdk {
  createNodeSdk(config: { instrumentations: unknown[]; spanProcessors: SpanProcessor[] }): NodeSdkInstance;
  simpleProcessor(exporter: SpanExporter): SpanProcessor;
  batchProcessor(exporter: SpanExporter, options: BatchOptions): SpanProcessor;
  consoleExporter(): SpanExporter;
  otlpExporter(protocol: OtlpProtocol): SpanExporter;
  /**
   * Sets OpenTelemetry's global error handler (where a batch processor reports a failed export) in every
   * copy of `@opentelemetry/core` the app's SDK uses: the 3.x line nests its own under `sdk-trace`, and
   * each copy keeps its own handler.
   */
  setGlobalErrorHandler(handler: (error: unknown) => void): void;
}

/** The SDK, or the packages the app must install for it. */
export type AppTracingSdkResult = { sdk: AppTracingSdk; missing?: undefined } | { sdk?: undefined; missing: string[] };

type Ctor = new (...args: unknown[]) => unknown;
type Exports = Record<string, unknown>;

const OTLP_PACKAGES: Readonly<Record<OtlpProtocol, string>> = {
  grpc: '@opentelemetry/exporter-trace-otlp-grpc',
  'http/json': '@opentelemetry/exporter-trace-otlp-http',
  'http/protobuf': '@opentelemetry/exporter-trace-otlp-proto',
};

/**
 * Loads the app's `@opentelemetry/sdk-node`, its tracing SDK and the OTLP exporter `protocol` needs.
 * `fromDir` is where resolution starts (default: this package, which finds the app's packages as peers).
 */
export function loadAppTracingSdk(protocols: readonly OtlpProtocol[], fromDir: string = __filename): AppTracingSdkResult {
  const fromHere = createRequire(fromDir);
  const sdkNode = tryRequire(fromHere, '@opentelemetry/sdk-node');
  const NodeSDK = sdkNode?.NodeSDK;
  if (typeof NodeSDK !== 'function') return { missing: ['@opentelemetry/sdk-node'] };
  // sdk-node's own dependencies: found from its real location, also under pnpm's strict layout.
  const fromSdkNode = createRequire(fromHere.resolve('@opentelemetry/sdk-node'));
  const tracing = loadTracing(fromSdkNode, fromHere);
  if (!tracing) return { missing: ['@opentelemetry/sdk-trace'] };
  const exporters: Partial<Record<OtlpProtocol, Ctor>> = {};
  const missing: string[] = [];
  for (const protocol of protocols) {
    const ctor = tryRequire(fromSdkNode, OTLP_PACKAGES[protocol])?.OTLPTraceExporter ?? tryRequire(fromHere, OTLP_PACKAGES[protocol])?.OTLPTraceExporter;
    if (typeof ctor === 'function') exporters[protocol] = ctor as Ctor;
    else missing.push(OTLP_PACKAGES[protocol]);
  }
  if (missing.length > 0) return { missing };
  const coreCopies = new Set<Exports>();
  for (const owner of ['@opentelemetry/sdk-trace', '@opentelemetry/sdk-trace-base', ...protocols.map((p) => OTLP_PACKAGES[p])]) {
    const core = tryRequire(requireFrom(fromSdkNode, owner), '@opentelemetry/core');
    if (core) coreCopies.add(core);
  }
  for (const req of [fromSdkNode, fromHere]) {
    const core = tryRequire(req, '@opentelemetry/core');
    if (core) coreCopies.add(core);
  }
  return {
    sdk: {
      createNodeSdk: (config) => new (NodeSDK as Ctor)(config) as NodeSdkInstance,
      simpleProcessor: (exporter) => tracing.processor('SimpleSpanProcessor', exporter),
      batchProcessor: (exporter, options) => tracing.processor('BatchSpanProcessor', exporter, options),
      consoleExporter: () => new tracing.ConsoleSpanExporter() as SpanExporter,
      otlpExporter: (protocol) => new (exporters[protocol] as Ctor)() as SpanExporter,
      setGlobalErrorHandler: (handler) => {
        for (const core of coreCopies) if (typeof core.setGlobalErrorHandler === 'function') core.setGlobalErrorHandler(handler);
      },
    },
  };
}

interface TracingSdk {
  ConsoleSpanExporter: Ctor;
  processor(name: 'SimpleSpanProcessor' | 'BatchSpanProcessor', exporter: SpanExporter, options?: BatchOptions): SpanProcessor;
}

/** `sdk-trace` (2.9+ and 3.x) takes `{ exporter, ...options }`; `sdk-trace-base` takes `(exporter, options)`. */
function loadTracing(fromSdkNode: NodeJS.Require, fromHere: NodeJS.Require): TracingSdk | undefined {
  const modern = tryRequire(fromSdkNode, '@opentelemetry/sdk-trace') ?? tryRequire(fromHere, '@opentelemetry/sdk-trace');
  if (hasTracingClasses(modern)) {
    return {
      ConsoleSpanExporter: modern.ConsoleSpanExporter as Ctor,
      processor: (name, exporter, options) => new (modern[name] as Ctor)({ exporter, ...options }) as SpanProcessor,
    };
  }
  const legacy = tryRequire(fromSdkNode, '@opentelemetry/sdk-trace-base') ?? tryRequire(fromHere, '@opentelemetry/sdk-trace-base');
  if (hasTracingClasses(legacy)) {
    return {
      ConsoleSpanExporter: legacy.ConsoleSpanExporter as Ctor,
      processor: (name, exporter, options) => new (legacy[name] as Ctor)(exporter, options) as SpanProcessor,
    };
  }
  return undefined;
}

function hasTracingClasses(m: Exports | undefined): m is Exports {
  return !!m && typeof m.SimpleSpanProcessor === 'function' && typeof m.BatchSpanProcessor === 'function' && typeof m.ConsoleSpanExporter === 'function';
}

/** A require that resolves from the folder of `id` (as `req` finds it), or `req` itself when `id` is not there. */
function requireFrom(req: NodeJS.Require, id: string): NodeJS.Require {
  try {
    return createRequire(req.resolve(id));
  } catch {
    return req;
  }
}

/** The module, or undefined when it is not installed where `req` looks. Other load errors propagate. */
function tryRequire(req: NodeJS.Require, id: string): Exports | undefined {
  try {
    return req(id) as Exports;
  } catch (err) {
    if ((err as { code?: unknown })?.code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

/** Which of `ids` cannot be resolved from `fromDir` (default: this package). Loads nothing. */
export function unresolvable(ids: readonly string[], fromDir: string = __filename): string[] {
  const req = createRequire(fromDir);
  return ids.filter((id) => {
    try {
      req.resolve(id);
      return false;
    } catch {
      return true;
    }
  });
}
