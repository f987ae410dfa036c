import { diag, DiagLogLevel } from '@opentelemetry/api';
import { Env, processEnv, readBoolean, readInteger, readList, readString, warnOnce } from './env';
import { describeInvalidEndpoint, isInvalidEndpoint, OtlpEndpoint, OtlpProtocol, readOtlpEndpoint } from './otlp-endpoint';
import { DEFAULT_MAX_OPEN_TRACES } from './trace-limits';

/**
 * What the zero-code entry (`@infinium/otel/register`) reads from the environment. Standard
 * `OTEL_*` variables first, then Infinium's own. Every bad value is reported once through `diag`
 * and replaced by its default: a typo never stops the app. The exporters themselves read
 * `OTEL_EXPORTER_OTLP_*ENDPOINT`, `*HEADERS`, `*TIMEOUT`; NodeSDK reads `OTEL_SERVICE_NAME`,
 * `OTEL_RESOURCE_ATTRIBUTES` and the sampler and batch variables.
 */
export type TraceExporterName = 'otlp' | 'console';
export type { OtlpProtocol };
export type ConsoleView = 'tree';

export interface RegisterConfig {
  /** `OTEL_SDK_DISABLED=true`: nothing is started, nothing is patched. */
  disabled: boolean;
  /** `OTEL_LOG_LEVEL`; the register entry defaults to WARN so that configuration mistakes are seen. */
  logLevel: DiagLogLevel;
  /** `OTEL_TRACES_EXPORTER`: `otlp` (default), `console`, or `none` (the empty list). */
  exporters: TraceExporterName[];
  /** `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`; default `http/protobuf`. */
  protocol: OtlpProtocol;
  /**
   * Where OTLP traces go (read here only to check it at start and to name it in messages; the exporter
   * reads the variables itself). Undefined when OTLP is not among the exporters, or when the endpoint
   * is unusable: then `otlp` is dropped from `exporters` and that is reported once, at start.
   */
  otlpEndpoint?: OtlpEndpoint;
  /** `INFINIUM_CONSOLE=tree`: also print each finished trace as a tree on stdout. */
  consoleView?: ConsoleView;
  /** `INFINIUM_SERVICE_NAME`: `infinium.service` on root spans (default: the resource's `service.name`). */
  serviceName?: string;
  /** `INFINIUM_MAX_OPEN_TRACES`: the processor's cap on traces it tracks at once. */
  maxOpenTraces?: number;
  /**
   * `INFINIUM_SHUTDOWN_TIMEOUT_MS`: how long the last export may take when the app ends, whether its event
   * loop emptied or a SIGTERM/SIGINT came. Default 2000.
   */
  shutdownTimeoutMs: number;
  /** `OTEL_BSP_SCHEDULE_DELAY`, `OTEL_BSP_MAX_QUEUE_SIZE`, `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`, `OTEL_BSP_EXPORT_TIMEOUT`. */
  batch: BatchOptions;
  /** `OTEL_METRICS_EXPORTER` / `OTEL_LOGS_EXPORTER` set: let NodeSDK build those pipelines too. */
  metricsFromEnv: boolean;
  logsFromEnv: boolean;
}

export interface BatchOptions {
  scheduledDelayMillis?: number;
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  exportTimeoutMillis?: number;
}

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 2000;
export const DEFAULT_LOG_LEVEL = DiagLogLevel.WARN;

const LOG_LEVELS: Record<string, DiagLogLevel> = {
  NONE: DiagLogLevel.NONE,
  ERROR: DiagLogLevel.ERROR,
  WARN: DiagLogLevel.WARN,
  INFO: DiagLogLevel.INFO,
  DEBUG: DiagLogLevel.DEBUG,
  VERBOSE: DiagLogLevel.VERBOSE,
  ALL: DiagLogLevel.ALL,
};

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

/**
 * The log level is read first and on its own: the caller installs the diag logger with it, so that
 * the warnings the rest of the parsing emits are seen. Returns the invalid raw value, if any, for the
 * caller to report once the logger is in place.
 */
export function readLogLevel(env: Env = processEnv()): { level: DiagLogLevel; invalid?: string } {
  const raw = readString(env, 'OTEL_LOG_LEVEL');
  if (raw === undefined) return { level: DEFAULT_LOG_LEVEL };
  const level = LOG_LEVELS[raw.toUpperCase()];
  return level === undefined ? { level: DEFAULT_LOG_LEVEL, invalid: raw } : { level };
}

/**
 * `OTEL_SDK_DISABLED`, read without any side effect: when it is set, the entry must not even install
 * a diag logger. Any other value than a true one leaves the SDK on (a bad one is warned about later).
 */
export function isSdkDisabled(env: Env = processEnv()): boolean {
  const raw = env.OTEL_SDK_DISABLED?.trim().toLowerCase();
  return raw === 'true' || raw === '1' || raw === 'yes' || raw === 'on';
}

export function readRegisterConfig(env: Env = processEnv()): RegisterConfig {
  const logLevel = readLogLevel(env);
  if (logLevel.invalid !== undefined) warnOnce('OTEL_LOG_LEVEL', logLevel.invalid, 'warn');
  const protocol = readProtocol(env);
  const { exporters, otlpEndpoint } = withUsableEndpoint(readExporters(env), env, protocol);
  return {
    disabled: readBoolean(env, 'OTEL_SDK_DISABLED', false) ?? false,
    logLevel: logLevel.level,
    exporters,
    protocol,
    otlpEndpoint,
    consoleView: readConsoleView(env),
    serviceName: readString(env, 'INFINIUM_SERVICE_NAME'),
    maxOpenTraces: readInteger(env, 'INFINIUM_MAX_OPEN_TRACES', DEFAULT_MAX_OPEN_TRACES, 1),
    shutdownTimeoutMs: readInteger(env, 'INFINIUM_SHUTDOWN_TIMEOUT_MS', DEFAULT_SHUTDOWN_TIMEOUT_MS) ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
    batch: {
      scheduledDelayMillis: readInteger(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000),
      maxQueueSize: readInteger(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 2048, 1),
      maxExportBatchSize: readInteger(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, 1),
      exportTimeoutMillis: readInteger(env, 'OTEL_BSP_EXPORT_TIMEOUT', 30000, 1),
    },
    metricsFromEnv: readString(env, 'OTEL_METRICS_EXPORTER') !== undefined,
    logsFromEnv: readString(env, 'OTEL_LOGS_EXPORTER') !== undefined,
  };
}

/** An unusable OTLP endpoint is reported here, once, and OTLP is left out rather than failing at each export. */
function withUsableEndpoint(
  exporters: TraceExporterName[],
  env: Env,
  protocol: OtlpProtocol,
): { exporters: TraceExporterName[]; otlpEndpoint?: OtlpEndpoint } {
  if (!exporters.includes('otlp')) return { exporters };
  const endpoint = readOtlpEndpoint(env, protocol);
  if (!isInvalidEndpoint(endpoint)) return { exporters, otlpEndpoint: endpoint };
  diag.warn(describeInvalidEndpoint(endpoint));
  return { exporters: exporters.filter((name) => name !== 'otlp') };
}

function readExporters(env: Env): TraceExporterName[] {
  const names = readList(env, 'OTEL_TRACES_EXPORTER');
  if (names === undefined) return ['otlp'];
  const known = [...new Set(names.filter((n): n is TraceExporterName => n === 'otlp' || n === 'console'))];
  const unknown = names.filter((n) => n !== 'otlp' && n !== 'console' && n !== 'none');
  if (names.includes('none')) {
    if (known.length === 0 && unknown.length === 0) return [];
    // `none` beside real exporters is a contradiction: say which side wins instead of exporting nothing.
    if (known.length === 0) warnOnce('OTEL_TRACES_EXPORTER', unknown.join(','), 'none');
    else diag.warn(`@infinium/otel: OTEL_TRACES_EXPORTER=${JSON.stringify(names.join(','))} lists "none" beside other exporters; using ${known.join(',')}`);
    return known;
  }
  if (unknown.length > 0) warnOnce('OTEL_TRACES_EXPORTER', unknown.join(','), known.length > 0 ? known.join(',') : 'otlp');
  return known.length > 0 ? known : ['otlp'];
}

function readProtocol(env: Env): OtlpProtocol {
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const raw = readString(env, name);
    if (raw === undefined) continue;
    const protocol = PROTOCOLS.find((p) => p === raw.toLowerCase());
    if (protocol) return protocol;
    warnOnce(name, raw, 'http/protobuf');
    return 'http/protobuf';
  }
  return 'http/protobuf';
}

function readConsoleView(env: Env): ConsoleView | undefined {
  const raw = readString(env, 'INFINIUM_CONSOLE');
  if (raw === undefined) return undefined;
  const value = raw.toLowerCase();
  if (value === 'tree') return 'tree';
  if (value === 'none' || value === 'off' || value === 'false') return undefined;
  warnOnce('INFINIUM_CONSOLE', raw, 'none');
  return undefined;
}
