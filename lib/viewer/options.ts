import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { HeaderError, forwardHeaders } from './forward-headers';
import type { ViewerOptions } from './server';

/** `infinium-otel view` flags (docs/viewer.md), read into the viewer's options. */
export const USAGE = `Usage: infinium-otel view [options]

  --port <n>             OTLP/HTTP receiver port (default 4318; 0 picks a free one)
  --ui-port <n>          web UI port (default 4320)
  --grpc-port <n|off>    OTLP/gRPC receiver port (default 4317; off to disable)
  --host <addr>          address to bind (default 127.0.0.1; anything else is reachable from the network)
  --data <dir>           where traces are kept (default $INFINIUM_VIEWER_DATA or ~/.infinium/viewer)
  --retention-hours <n>  drop traces older than this (default 168)
  --max-size-mb <n>      keep the store under this size, oldest traces first (default 1024)
  --forward <url>        also relay everything received to this OTLP/HTTP endpoint (url/v1/traces)
  --forward-header <h>   "Name: value" sent with every relayed export (repeatable; also read from
                         OTEL_EXPORTER_OTLP_HEADERS, name=value,name=value)
  -h, --help             this help`;

export class UsageError extends Error {}

function port(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag} must be a port number (0-65535), not "${value}"`);
  return n;
}

function positive(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, not "${value}"`);
  return n;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.INFINIUM_VIEWER_DATA || path.join(os.homedir(), '.infinium', 'viewer');
}

/**
 * `args` after the `view` command. Returns null when help was asked for. The environment gives the data
 * folder and, when forwarding, the OTLP headers.
 */
export function parseViewerArgs(args: string[], env: NodeJS.ProcessEnv = process.env): Omit<ViewerOptions, 'log'> | null {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: false,
      options: {
        port: { type: 'string', default: '4318' },
        'ui-port': { type: 'string', default: '4320' },
        'grpc-port': { type: 'string', default: '4317' },
        host: { type: 'string', default: '127.0.0.1' },
        data: { type: 'string' },
        'retention-hours': { type: 'string', default: '168' },
        'max-size-mb': { type: 'string', default: '1024' },
        forward: { type: 'string' },
        'forward-header': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) return null;
  const grpc = String(v['grpc-port']).toLowerCase();
  if (v.forward) {
    let url: URL | null = null;
    try {
      url = new URL(v.forward);
    } catch {
      // Not quoted: a URL may carry a key (user:password@, ?key=).
      throw new UsageError('--forward must be an http(s) URL, and this is no URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--forward must be an http(s) URL, not ${url.protocol}`);
  }
  const headerFlags = v['forward-header'] ?? [];
  if (headerFlags.length > 0 && !v.forward) throw new UsageError('--forward-header needs --forward <url>');
  let headers = {};
  try {
    if (v.forward) headers = forwardHeaders(headerFlags, env);
  } catch (error) {
    if (error instanceof HeaderError) throw new UsageError(error.message);
    throw error;
  }
  return {
    host: v.host!,
    port: port(v.port!, '--port'),
    uiPort: port(v['ui-port']!, '--ui-port'),
    grpcPort: grpc === 'off' ? null : port(grpc, '--grpc-port'),
    dataDir: path.resolve(v.data ?? defaultDataDir(env)),
    retentionHours: positive(v['retention-hours']!, '--retention-hours'),
    maxSizeMb: positive(v['max-size-mb']!, '--max-size-mb'),
    forward: v.forward ?? null,
    forwardHeaders: headers,
  };
}
