#!/usr/bin/env node
/**
 * `infinium-otel` (the package's bin; `npx @infinium/otel view`): starts the local trace viewer. Nothing
 * of the instrumentation loads here, and nothing of the viewer loads with the instrumentation.
 */
import { USAGE, UsageError, parseViewerArgs } from './options';
import { NEEDED_NODE, loadSqlite } from './sqlite';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function warn(line: string): void {
  process.stderr.write(`${line}\n`);
}

function nodeAdvice(): string {
  const [major, minor] = process.versions.node.split('.').map(Number);
  const flagged = major === 22 && minor >= 5 && minor < 13;
  return flagged
    ? `infinium-otel view needs node:sqlite, which Node ${process.versions.node} has only behind a flag: run it as NODE_OPTIONS=--experimental-sqlite npx @infinium/otel view, or use Node ${NEEDED_NODE}+.`
    : `infinium-otel view needs Node.js ${NEEDED_NODE} or newer (it keeps traces with node:sqlite); this is Node ${process.versions.node}. Install Node 22 or later (e.g. nvm install 22) and run npx @infinium/otel view again.`;
}

async function main(argv: string[]): Promise<number> {
  const [command = 'view', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    say(USAGE);
    return 0;
  }
  if (command !== 'view') {
    warn(`unknown command "${command}"\n${USAGE}`);
    return 2;
  }
  let options;
  try {
    options = parseViewerArgs(rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    // One line, the flag named: the whole usage after it would bury what was wrong.
    warn(`infinium-otel view: ${error.message} (infinium-otel view --help lists the options)`);
    return 2;
  }
  if (!options) {
    say(USAGE);
    return 0;
  }
  if (!loadSqlite()) {
    warn(nodeAdvice());
    return 1;
  }
  // Loaded only now (protobufjs and the rest): help and the Node check stay instant.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { isLoopback, startViewer } = require('./server') as typeof import('./server');
  if (!isLoopback(options.host)) {
    warn(
      `Warning: --host ${options.host} makes the viewer and the traces it holds (prompts, outputs) reachable from the network, with no authentication.`,
    );
  }
  let viewer;
  try {
    viewer = await startViewer({ ...options, log: warn });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { port?: number };
    if (e.code === 'EADDRINUSE') {
      warn(`infinium-otel view: ${e.message}: another collector or viewer is running there; choose other ports with --port, --ui-port, --grpc-port.`);
      return 1;
    }
    throw error;
  }
  // Listening for the stop signals before saying it started: whoever reads the lines may stop it at once.
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  say(`Infinium viewer: ${viewer.uiUrl}`);
  say(`OTLP/HTTP receiver: ${viewer.receiverUrl}`);
  say(viewer.grpcAddress ? `OTLP/gRPC receiver: ${viewer.grpcAddress}` : 'OTLP/gRPC receiver: off');
  if (viewer.forwardTarget) {
    // Header names only: their values are secrets (a collector's key).
    const names = Object.keys(options.forwardHeaders ?? {});
    say(`Forwarding to ${viewer.forwardTarget}${names.length ? ` with the headers ${names.join(', ')}` : ''}`);
  }
  say(`Traces kept in ${options.dataDir} (${options.retentionHours} h, ${options.maxSizeMb} MB at most). Ctrl-C to stop.`);
  await stopped;
  await viewer.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    warn(`infinium-otel: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
