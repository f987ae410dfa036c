import path from 'node:path';
import { node22 as installedNode22 } from '../../compat/node-runtime';
import { runChildApp } from '../../helpers/child-app';

export const FIXTURES = path.join(__dirname, 'fixtures');

export interface ChildSpan {
  name: string;
  spanId: string;
  traceId: string;
  parentSpanId?: string;
  status: number;
  events: string[];
  attributes: Record<string, unknown>;
}

export interface AppReport {
  result: { text?: string; error?: string };
  stillOpen: string[];
  spans: ChildSpan[];
  stderr: string;
}

/**
 * Runs a fixture app (fixtures/*.cjs|mjs) with a scenario in a child process under tsx, with no setting of
 * ours but `env`; its last stdout line is its report. The ESM hook is process-wide, so each case is a process.
 * `INFINIUM_INSTRUMENTATIONS` leaves out the Claude Agent SDK: installed in this repository, it would get a
 * CommonJS app the hook at start, and these apps must show what an app without it gets.
 */
export async function runApp(file: string, scenario: string, env: Record<string, string> = {}, node = process.execPath): Promise<AppReport> {
  const { report, stderr } = await runChildApp<Omit<AppReport, 'stderr'>>(path.join(FIXTURES, file), {
    node,
    nodeArgs: ['--expose-gc', '--import', 'tsx'],
    args: [scenario],
    env: { INFINIUM_INSTRUMENTATIONS: 'openai,llamaindex', ...env },
    timeoutMs: 100_000,
  });
  return { ...report, stderr };
}

/** Each span as `name KIND <- parent`, in the order they ended. */
export function links(spans: ChildSpan[]): string[] {
  return spans.map((s) => `${s.name} ${s.attributes['openinference.span.kind'] ?? '-'} <- ${spans.find((p) => p.spanId === s.parentSpanId)?.name ?? 'root'}`);
}

/** The spans of the trace the app's `app` span roots (what the scenario did; the index was built before it). */
export function appTrace(report: AppReport): ChildSpan[] {
  const app = report.spans.find((s) => s.name === 'app')!;
  return report.spans.filter((s) => s.traceId === app.traceId);
}

/**
 * A Node 22+ binary, for what only Node 22 has (the `module.import` channel, in-thread module hooks): the running
 * Node when it is 22+, else the Node 22 the compatibility tests use (test/compat/node-runtime.ts, installed from
 * the npm registry once per machine), so that these cases run everywhere instead of skipping.
 */
export async function node22(): Promise<string> {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  return (await installedNode22()).node;
}
