/**
 * The viewer (`infinium-otel view`, issue 29): spans ingested per second through its OTLP/HTTP receiver,
 * the time to list traces and to open one with 100k spans stored, and the viewer's memory (RSS).
 *
 * The viewer runs as users run it, in its own process under Node 22 (node:sqlite; installed from the npm
 * registry by test/compat/node-runtime.ts), from dist/viewer/cli.js when built, else from the sources
 * under tsx, with a fresh data folder. This process is the apps: it sends pre-encoded http/protobuf
 * exports of 512 spans (the BatchSpanProcessor's batch size), 4 at a time, as fast as the viewer answers
 * (a 429/503 is waited out and retried, as the exporters do). Times are wall-clock medians over the
 * repetitions, through HTTP (the whole answer read), as the UI gets them.
 *
 * `npm run bench` runs it as BENCH_ONLY=viewer; standalone, `node --import tsx bench/viewer.ts` prints the JSON
 * figures and, at a terminal, the table on stderr. BENCH_VIEWER_SPANS (default 100000) sets the spans stored.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { node22 } from '../test/compat/node-runtime';
import { jsonRequest, post, protobufRequest } from '../test/viewer/otlp-requests';
import type { JsonSpanInput } from '../test/viewer/otlp-requests';
import { startViewerProcess } from '../test/viewer/viewer-process';
import { median, round, table } from './stats';

const SPANS = Number(process.env.BENCH_VIEWER_SPANS ?? 100_000);
const BATCH = 512;
const CONCURRENCY = 4;
const SPANS_PER_TRACE = 64;
const BIG_TRACE_SPANS = 10_000;
const REPEAT = 9;

export interface ViewerFigures {
  node: string;
  from: string;
  spansStored: number;
  ingest: { spansPerSecond: number; spansPerCpuSecond: number; requests: number; retried: number; seconds: number; loadAverage: number };
  listMs: Record<string, Timing>;
  openMs: Record<string, Timing>;
  rssMb: { idle: number; afterIngest: number; afterQueries: number };
  dbMb: number;
}

interface Timing {
  wallMs: number;
  viewerCpuMs: number;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** An agent-shaped trace: a CHAIN root, LLM calls with messages and cost, TOOL calls with I/O. */
function traceSpans(traceNo: number, count: number, startMs: number): JsonSpanInput[] {
  const traceId = `b${hex(traceNo, 31)}`;
  const s = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const n = (key: string, value: number) => ({ key, value: Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value } });
  return Array.from({ length: count }, (_, i) => {
    const kind = i === 0 ? 'CHAIN' : i % 2 ? 'LLM' : 'TOOL';
    const attributes =
      kind === 'LLM'
        ? [
            s('openinference.span.kind', 'LLM'),
            s('llm.model_name', i % 4 === 1 ? 'gpt-4o-mini' : 'claude-sonnet-4'),
            s('llm.provider', 'openai'),
            n('llm.token_count.prompt', 420 + i),
            n('llm.token_count.completion', 80),
            n('llm.token_count.total', 500 + i),
            n('llm.cost.total', 0.000123),
            s('llm.input_messages.0.message.role', 'system'),
            s('llm.input_messages.0.message.content', 'You are a helpful assistant that answers briefly and cites sources. '.repeat(2)),
            s('llm.input_messages.1.message.role', 'user'),
            s('llm.input_messages.1.message.content', `Question ${traceNo}.${i}: what is the weather like in Paris this week, and should I pack an umbrella?`),
            s('llm.output_messages.0.message.role', 'assistant'),
            s('llm.output_messages.0.message.content', 'Mostly sunny with a chance of showers on Thursday; a small umbrella is wise. '.repeat(2)),
            s('llm.invocation_parameters', '{"temperature":0.2,"max_tokens":512}'),
          ]
        : [s('openinference.span.kind', kind), s('input.value', `{"city":"Paris","day":${i}}`), s('output.value', 'sunny, 21°C, wind 10 km/h from the west')];
    return {
      traceId,
      spanId: hex(traceNo * 100_000 + i + 1, 16),
      parentSpanId: i === 0 ? undefined : hex(traceNo * 100_000 + 1, 16),
      name: i === 0 ? 'agent turn' : kind === 'LLM' ? 'ChatCompletion' : 'get_weather',
      startMs: startMs + i,
      durationMs: 5,
      attributes,
    };
  });
}

/** The exports: `total` spans in traces of SPANS_PER_TRACE, cut into requests of BATCH spans. */
function exportBodies(total: number, firstTrace: number, spansPerTrace: number): Buffer[] {
  const spans: JsonSpanInput[] = [];
  const start = Date.now() - 3_600_000;
  for (let t = 0; spans.length < total; t++) spans.push(...traceSpans(firstTrace + t, Math.min(spansPerTrace, total - spans.length), start + (firstTrace + t) * 10));
  const bodies: Buffer[] = [];
  for (let i = 0; i < spans.length; i += BATCH) bodies.push(protobufRequest(jsonRequest('bench-app', spans.slice(i, i + BATCH))));
  return bodies;
}

async function send(url: string, bodies: Buffer[]): Promise<{ retried: number }> {
  let next = 0;
  let retried = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        for (;;) {
          const reply = await post(url, body, { 'content-type': 'application/x-protobuf' });
          if (reply.status === 200) break;
          if (reply.status !== 429 && reply.status !== 503) throw new Error(`viewer answered ${reply.status}`);
          retried++;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }),
  );
  return { retried };
}

/** One GET: the median wall-clock time of the whole answer, and the viewer's mean CPU time for it. */
async function timeGet(pid: number, url: string): Promise<Timing> {
  const times: number[] = [];
  const cpuBefore = cpuSeconds(pid);
  for (let i = 0; i < REPEAT; i++) {
    const started = process.hrtime.bigint();
    const res = await fetch(url);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { wallMs: round(median(times), 1), viewerCpuMs: round(((cpuSeconds(pid) - cpuBefore) * 1000) / REPEAT, 1) };
}

/** CPU seconds the process has used (user + system), from /proc: on a loaded machine, the fair figure. */
const cpuSeconds = (pid: number): number => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

const rssMb = (pid: number): number => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return round(Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024, 1);
};

export async function benchViewer(): Promise<ViewerFigures> {
  const built = path.resolve(__dirname, '..', 'dist', 'viewer', 'cli.js');
  const viewer = await startViewerProcess(['--grpc-port', 'off'], fs.mkdtempSync(path.join(os.tmpdir(), 'infinium-viewer-bench-')), fs.existsSync(built) ? built : undefined);
  try {
    const pid = viewer.child.pid!;
    const idle = rssMb(pid);
    const bodies = exportBodies(SPANS - BIG_TRACE_SPANS, 1, SPANS_PER_TRACE);
    const big = exportBodies(BIG_TRACE_SPANS, 999_999, BIG_TRACE_SPANS);
    const cpuBefore = cpuSeconds(pid);
    const started = process.hrtime.bigint();
    const { retried } = await send(viewer.receiverUrl, [...bodies, ...big]);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = cpuSeconds(pid) - cpuBefore;
    const afterIngest = rssMb(pid);
    const ui = viewer.uiUrl;
    const typical = `b${hex(500, 31)}`;
    const bigId = `b${hex(999_999, 31)}`;
    const listMs = {
      'newest 50': await timeGet(pid, `${ui}/api/traces`),
      'page 10 (cursor)': await timeGet(pid, `${ui}/api/traces?limit=50&before=${encodeURIComponent(await cursorAt(ui, 9))}`),
      'kind=LLM&model=gpt-4o-mini': await timeGet(pid, `${ui}/api/traces?kind=LLM&model=gpt-4o-mini`),
      'status=ERROR (none match)': await timeGet(pid, `${ui}/api/traces?status=ERROR`),
      'q=Question 500.3 (text)': await timeGet(pid, `${ui}/api/traces?q=${encodeURIComponent('Question 500.3:')}`),
      facets: await timeGet(pid, `${ui}/api/facets`),
    };
    const openMs = {
      [`trace of ${SPANS_PER_TRACE} spans`]: await timeGet(pid, `${ui}/api/traces/${typical}`),
      [`trace of ${BIG_TRACE_SPANS} spans (first 5,000 sent)`]: await timeGet(pid, `${ui}/api/traces/${bigId}`),
    };
    const db = path.join(viewer.dataDir, 'traces.db');
    const dbMb = round((fs.statSync(db).size + (fs.existsSync(`${db}-wal`) ? fs.statSync(`${db}-wal`).size : 0)) / 1048576, 1);
    return {
      node: (await node22()).label,
      from: fs.existsSync(built) ? 'dist/viewer/cli.js' : 'lib/viewer (tsx)',
      spansStored: SPANS,
      ingest: {
        spansPerSecond: Math.round(SPANS / seconds),
        spansPerCpuSecond: Math.round(SPANS / cpu),
        requests: bodies.length + big.length,
        retried,
        seconds: round(seconds, 2),
        loadAverage: round(os.loadavg()[0], 1),
      },
      listMs,
      openMs,
      rssMb: { idle, afterIngest, afterQueries: rssMb(pid) },
      dbMb,
    };
  } finally {
    await viewer.stop();
  }
}

/** The cursor of the `pages`-th page of 50. */
async function cursorAt(ui: string, pages: number): Promise<string> {
  let before = '';
  for (let i = 0; i < pages; i++) {
    const body = (await (await fetch(`${ui}/api/traces?limit=50${before ? `&before=${encodeURIComponent(before)}` : ''}`)).json()) as { next: string };
    before = body.next;
  }
  return before;
}

export function reportViewer(f: ViewerFigures | { skipped: string }): string[] {
  if ('skipped' in f) return [`== viewer: skipped: ${f.skipped}`];
  return [
    `== viewer (${f.node}, ${f.from}): ${f.spansStored} spans stored, ${f.dbMb} MB on disk`,
    `ingest: ${f.ingest.spansPerSecond} spans/s wall-clock, ${f.ingest.spansPerCpuSecond} spans per CPU-second of the viewer, over OTLP/HTTP protobuf ` +
      `(${f.ingest.requests} exports of ${BATCH} spans, ${CONCURRENCY} at a time, ${f.ingest.retried} retried; load average ${f.ingest.loadAverage}; target >= 20000/s)`,
    table(['list (GET /api/traces)', 'wall ms (median)', 'viewer CPU ms'], Object.entries(f.listMs).map(([k, v]) => [k, v.wallMs, v.viewerCpuMs])),
    table(['open (GET /api/traces/:id)', 'wall ms (median)', 'viewer CPU ms'], Object.entries(f.openMs).map(([k, v]) => [k, v.wallMs, v.viewerCpuMs])),
    `targets: list and open < 300 ms; viewer RSS: ${f.rssMb.idle} MB idle, ${f.rssMb.afterIngest} MB after ingest, ${f.rssMb.afterQueries} MB after the queries`,
  ];
}

if (require.main === module) {
  benchViewer().then(
    (figures) => {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
      // The table for a person at a terminal; bench/run.ts (stdout piped) prints its own from the JSON.
      if (process.stdout.isTTY) process.stderr.write(`${reportViewer(figures).join('\n')}\n`);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
