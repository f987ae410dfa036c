import { diag, DiagConsoleLogger, DiagLogLevel, ProxyTracerProvider, trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { isMainThread } from 'node:worker_threads';
import { AppTracingSdk, loadAppTracingSdk, NodeSdkInstance } from '../compat/otel-line';
import type { ReadableSpan, SpanProcessor } from '../compat/sdk-types';
import { Env, processEnv } from '../config/env';
import { isSdkDisabled, readLogLevel, readRegisterConfig, RegisterConfig } from '../config/register-config';
import type * as TreeExporterModule from '../exporter/tree-exporter';
import { InfiniumInstrumentation } from '../instrumentation/instrumentation';
import { InfiniumSpanProcessor } from '../processor/span-processor';
import { registerEsmLoaderHook } from './esm-hook';
import { installExitHooks } from './exit-hooks';
import { installExportFailureReporter } from './export-failures';
import { probeRefused } from './reachability';

/** What the register entry did, kept on `globalThis` so that a second load does nothing. */
export interface Registration {
  /**
   * `disabled`: OTEL_SDK_DISABLED. `worker-thread`: loaded in a thread other than the main one (a
   * `--require` preload also runs in Node's module-hooks thread and in every worker), where nothing is
   * started. `sdk`: a NodeSDK was started. `instrumentation-only`: the app (or
   * another agent) had already registered a tracer provider, so only the instrumentation was added.
   * `missing-sdk`: the app has no `@opentelemetry/sdk-node` (or exporter) to start; nothing is traced.
   */
  readonly mode: 'disabled' | 'worker-thread' | 'sdk' | 'instrumentation-only' | 'missing-sdk';
  readonly sdk?: NodeSdkInstance;
  readonly instrumentation?: InfiniumInstrumentation;
  readonly config?: RegisterConfig;
}

export const REGISTRATION_KEY = Symbol.for('@infinium/otel/register');

type GlobalWithRegistration = typeof globalThis & { [REGISTRATION_KEY]?: Registration };

export function currentRegistration(): Registration | undefined {
  return (globalThis as GlobalWithRegistration)[REGISTRATION_KEY];
}

/**
 * Starts tracing from the environment alone: the zero-code path behind `--require` / `--import`.
 * Loading it twice (two copies of the package, or both flags) starts nothing the second time.
 */
export function startFromEnv(env: Env = processEnv()): Registration {
  const existing = currentRegistration();
  if (existing) {
    diag.debug('@infinium/otel/register: already loaded; nothing more to do');
    return existing;
  }
  const registration = start(env);
  (globalThis as GlobalWithRegistration)[REGISTRATION_KEY] = registration;
  return registration;
}

function start(env: Env): Registration {
  // Disabled means untouched: no logger, no hook, no patch.
  if (isSdkDisabled(env)) return { mode: 'disabled' };
  // Node runs `--require` preloads in its module-hooks thread too: registering hooks from there kills
  // the process. App worker threads are left alone as well: one SDK, in the main thread.
  if (!isMainThread) return { mode: 'worker-thread' };

  installDiagLogger(env);
  const config = readRegisterConfig(env);

  // The loader hook goes first: the instrumentation's import hooks are only seen by a registered loader.
  registerEsmLoaderHook();

  if (hasGlobalTracerProvider()) {
    diag.warn(
      '@infinium/otel/register: a tracer provider is already registered, so no SDK is started; only the ' +
        'LLM instrumentation is added. Add InfiniumSpanProcessor to your own SDK for the infinium.* roll-up.',
    );
    const instrumentation = new InfiniumInstrumentation();
    registerInstrumentations({ instrumentations: [instrumentation] });
    return { mode: 'instrumentation-only', instrumentation, config };
  }

  // The app's SDK loads before our instrumentation exists, as in an app that builds its NodeSDK in code: once
  // the instrumentation's require hook is on, each of the SDK's ~450 modules (its exporters, gRPC, protobuf)
  // would go through it: about 80 ms of CPU at start (docs/performance.md, "Start-up, a later pass").
  const loaded = loadAppTracingSdk(config.exporters.includes('otlp') ? [config.protocol] : []);
  if (!loaded.sdk) {
    diag.error(`@infinium/otel/register: tracing is off: the app has no ${loaded.missing.join(', ')}. Install it: npm install ${loaded.missing.join(' ')}`);
    return { mode: 'missing-sdk', config };
  }
  const instrumentation = new InfiniumInstrumentation();
  const app = loaded.sdk;
  const tracker = new EndedSpanTracker();
  const exportProcessors = exportProcessorsFor(app, config);
  const spanProcessors: SpanProcessor[] = [
    new InfiniumSpanProcessor({ serviceName: config.serviceName, maxOpenTraces: config.maxOpenTraces }),
    ...exportProcessors,
    tracker,
  ];
  const sdk = withEnv(nodeSdkEnv(config), () => {
    const created = app.createNodeSdk({ instrumentations: [instrumentation], spanProcessors });
    created.start();
    return created;
  });

  installExitHooks(
    {
      hasUnflushedSpans: () => tracker.takeUnflushed(),
      flush: async () => {
        await Promise.all(exportProcessors.map((p) => p.forceFlush()));
      },
      shutdown: () => sdk.shutdown(),
      unreachable: () => probeRefused(config.otlpEndpoint?.url, config.shutdownTimeoutMs),
    },
    config.shutdownTimeoutMs,
    process,
    installExportFailureReporter(app, config.otlpEndpoint?.url),
  );
  return { mode: 'sdk', sdk, instrumentation, config };
}

/**
 * OTEL_LOG_LEVEL, default WARN, so that a bad variable or a failing export is seen on stderr.
 * NONE installs nothing.
 */
function installDiagLogger(env: Env): void {
  const { level } = readLogLevel(env);
  if (level === DiagLogLevel.NONE) return;
  diag.setLogger(withoutOwnHookNoise(new DiagConsoleLogger()), { logLevel: level, suppressOverrideMessage: true });
}

/**
 * The MCP SDK's CommonJS protocol file is hooked by its absolute path (lib/frameworks/mcp/files.ts says why),
 * where @opentelemetry/instrumentation looks for a package.json beside it and warns that it found none. The
 * copy's version was checked before it was hooked: that one warning is ours, not the app's concern.
 */
function withoutOwnHookNoise(logger: DiagConsoleLogger): DiagConsoleLogger {
  const warn = logger.warn.bind(logger);
  logger.warn = (message: string, ...args: unknown[]) => {
    if (message === 'Failed extracting version' && typeof args[0] === 'string' && /@modelcontextprotocol[\\/]sdk[\\/]dist[\\/]cjs[\\/]shared$/.test(args[0])) return;
    warn(message, ...args);
  };
  return logger;
}

function exportProcessorsFor(app: AppTracingSdk, config: RegisterConfig): SpanProcessor[] {
  const processors: SpanProcessor[] = [];
  for (const name of config.exporters) {
    if (name === 'console') processors.push(app.simpleProcessor(app.consoleExporter()));
    // Each OTLP exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS, _TIMEOUT and _COMPRESSION itself.
    else processors.push(app.batchProcessor(app.otlpExporter(config.protocol), definedOnly(config.batch)));
  }
  if (config.consoleView === 'tree') {
    // The tree view's code loads only when it is asked for (INFINIUM_CONSOLE=tree), not at every start.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { TreeSpanExporter } = require('../exporter/tree-exporter') as typeof TreeExporterModule;
    processors.push(app.simpleProcessor(new TreeSpanExporter()));
  }
  return processors;
}

/**
 * What NodeSDK must not read from the real environment: OTEL_LOG_LEVEL (we installed the logger
 * already; a second `setLogger` prints an override warning), and the metrics and logs exporters,
 * which default to OTLP and would start pipelines nobody asked for unless the user set them.
 */
function nodeSdkEnv(config: RegisterConfig): Record<string, string | undefined> {
  return {
    OTEL_LOG_LEVEL: undefined,
    ...(config.metricsFromEnv ? {} : { OTEL_METRICS_EXPORTER: 'none' }),
    ...(config.logsFromEnv ? {} : { OTEL_LOGS_EXPORTER: 'none' }),
  };
}

/** Runs `fn` (synchronous, before the app starts) with some variables overridden, then restores them. */
function withEnv<T>(overrides: Record<string, string | undefined>, fn: () => T): T {
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(overrides)) {
    saved.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    return fn();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** True when some SDK already set the global tracer provider (its delegate is not the API's no-op). */
function hasGlobalTracerProvider(): boolean {
  const provider = trace.getTracerProvider();
  const noop = new ProxyTracerProvider().getDelegate();
  const delegate = provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider;
  return delegate !== noop;
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Counts ended spans, so the `beforeExit` hook flushes only when there is something new. */
class EndedSpanTracker implements SpanProcessor {
  private ended = 0;
  private flushedUpTo = 0;

  takeUnflushed(): boolean {
    if (this.ended === this.flushedUpTo) return false;
    this.flushedUpTo = this.ended;
    return true;
  }

  onStart(): void {}
  onEnd(_span: ReadableSpan): void {
    this.ended++;
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
