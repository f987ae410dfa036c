import { Env, readString } from './env';

/** The OTLP protocols the register entry exports with (`OTEL_EXPORTER_OTLP_PROTOCOL`). */
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

/** Where the register entry's OTLP exporter sends traces, and which variable said so. */
export interface OtlpEndpoint {
  /** The URL the exporter uses (for HTTP, with `/v1/traces`). */
  url: string;
  /** The variable it came from; undefined for the default. */
  variable?: string;
}

/** An endpoint the exporter cannot use, found at start so that it is reported once, not at every export. */
export interface InvalidEndpoint {
  variable: string;
  raw: string;
  /** The same value with `http://` in front, when that is what was probably meant. */
  suggestion?: string;
}

const DEFAULT_HTTP_BASE = 'http://localhost:4318';
const DEFAULT_GRPC_URL = 'http://localhost:4317';

/**
 * Resolves the traces endpoint the way the OTLP exporters do (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as
 * it is, else `OTEL_EXPORTER_OTLP_ENDPOINT` plus `/v1/traces` for HTTP), and checks that an HTTP
 * exporter can use it: a scheme-less `localhost:4318` would otherwise fail only at the first export
 * with `Protocol "localhost:" not supported`. gRPC endpoints are passed through unchecked (the gRPC
 * exporter accepts forms of its own).
 */
export function readOtlpEndpoint(env: Env, protocol: OtlpProtocol): OtlpEndpoint | InvalidEndpoint {
  const traces = readString(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = readString(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const variable = traces !== undefined ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : base !== undefined ? 'OTEL_EXPORTER_OTLP_ENDPOINT' : undefined;
  const raw = traces ?? base;
  if (protocol === 'grpc') return variable ? { url: raw ?? DEFAULT_GRPC_URL, variable } : { url: DEFAULT_GRPC_URL };
  if (raw === undefined || variable === undefined) return { url: `${DEFAULT_HTTP_BASE}/v1/traces` };
  if (!isHttpUrl(raw)) {
    const suggestion = isHttpUrl(`http://${raw}`) && !raw.includes('://') ? `http://${raw}` : undefined;
    return { variable, raw, suggestion };
  }
  return { url: traces !== undefined ? raw : appendTracesPath(raw), variable };
}

export function isInvalidEndpoint(endpoint: OtlpEndpoint | InvalidEndpoint): endpoint is InvalidEndpoint {
  return 'raw' in endpoint;
}

/** The one line that reports an unusable endpoint. */
export function describeInvalidEndpoint(endpoint: InvalidEndpoint): string {
  const hint = endpoint.suggestion ? ` (did you mean ${endpoint.suggestion}?)` : '';
  return (
    `@infinium/otel: ${endpoint.variable}=${JSON.stringify(endpoint.raw)} is not an http:// or https:// URL${hint}; ` +
    'no traces will be sent over OTLP'
  );
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function appendTracesPath(base: string): string {
  return base.endsWith('/') ? `${base}v1/traces` : `${base}/v1/traces`;
}
