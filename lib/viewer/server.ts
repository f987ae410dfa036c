import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createUiServer } from './api';
import { TraceEvents } from './events';
import { ByteBudget } from './body';
import { Forwarder } from './forward';
import type { ForwardHeaders } from './forward-headers';
import { startGrpcReceiver } from './grpc';
import { IngestQueue } from './ingest';
import { DEFAULT_MAX_BODY_BYTES, createReceiver } from './receiver';
import { enforceRetention } from './retention';
import { UI_DIR } from './static';
import { TraceStore } from './store';

/** The whole viewer: store, ingest queue, receivers (HTTP and gRPC), UI server, retention and checkpoints. */
export interface ViewerOptions {
  host: string;
  port: number;
  uiPort: number;
  /** null: no gRPC receiver. */
  grpcPort: number | null;
  dataDir: string;
  retentionHours: number;
  maxSizeMb: number;
  forward: string | null;
  /** Sent with every relayed export (`--forward-header`, OTEL_EXPORTER_OTLP_HEADERS). */
  forwardHeaders?: ForwardHeaders;
  log: (line: string) => void;
  uiDir?: string;
  maxQueuedSpans?: number;
  maxBodyBytes?: number;
  retentionIntervalMs?: number;
}

export interface RunningViewer {
  uiUrl: string;
  receiverUrl: string;
  grpcAddress: string | null;
  /** Where `--forward` relays to, as printed (no credentials, no query), or null. */
  forwardTarget: string | null;
  store: TraceStore;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\./.test(host);
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

export async function startViewer(options: ViewerOptions): Promise<RunningViewer> {
  const store = new TraceStore(options.dataDir);
  const retention = { maxAgeMs: options.retentionHours * 3_600_000, maxBytes: options.maxSizeMb * 1024 * 1024 };
  enforceRetention(store, retention);
  const events = new TraceEvents();
  let lastStoreError = 0;
  const queue = new IngestQueue(store, {
    maxQueuedSpans: options.maxQueuedSpans ?? 50_000,
    onStored: (ids) => events.notify(ids),
    onError: (error) => {
      if (Date.now() - lastStoreError > 60_000) options.log(`viewer: could not store spans: ${error.message}`);
      lastStoreError = Date.now();
    },
  });
  const forward = options.forward ? new Forwarder(options.forward, { log: options.log, headers: options.forwardHeaders }) : null;
  let uiUrl = '';
  const receiverOptions = {
    about: () => ({ viewer: 'infinium', ui: uiUrl }),
    queue,
    forward,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxConcurrent: 64,
    // Six bodies at the size limit: what the receiver holds at worst, however many senders there are.
    budget: new ByteBudget(6 * (options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)),
    log: options.log,
  };
  const receiver = createReceiver(receiverOptions);
  const loopbackOnly = isLoopback(options.host);
  const receivers: { otlpHttp: string | null; otlpGrpc: string | null } = { otlpHttp: null, otlpGrpc: null };
  const ui = createUiServer({ store, events, uiDir: options.uiDir ?? UI_DIR, loopbackOnly, host: options.host, about: () => receivers });
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  };
  closers.push(async () => store.close());
  try {
    const port = await listen(receiver, options.port, options.host);
    receivers.otlpHttp = `http://${urlHost(options.host)}:${port}`;
    closers.push(() => closeServer(receiver));
    const uiPort = await listen(ui, options.uiPort, options.host);
    uiUrl = `http://${urlHost(options.host)}:${uiPort}`;
    closers.push(() => closeServer(ui));
    closers.push(async () => events.close());
    let grpcAddress: string | null = null;
    if (options.grpcPort !== null) {
      const grpc = await startGrpcReceiver(receiverOptions, options.grpcPort, options.host);
      closers.push(grpc.close);
      grpcAddress = `${urlHost(options.host)}:${grpc.port}`;
      receivers.otlpGrpc = grpcAddress;
    }
    // Durability within a second (a checkpoint syncs the WAL), retention every few minutes.
    const checkpoint = setInterval(() => store.checkpoint(), 1000);
    const retain = setInterval(() => enforceRetention(store, retention), options.retentionIntervalMs ?? 300_000);
    closers.push(async () => {
      clearInterval(checkpoint);
      clearInterval(retain);
      queue.close();
      await forward?.close();
    });
    return {
      uiUrl,
      receiverUrl: `${receivers.otlpHttp}/v1/traces`,
      grpcAddress,
      forwardTarget: forward?.shownTarget ?? null,
      store,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
