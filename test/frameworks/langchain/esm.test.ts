import { expect } from 'chai';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { RUN_ABANDONED_EVENT } from '../../../lib/frameworks/run-span';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..', '..');
const APP = path.join(__dirname, 'fixtures', 'langchain-esm-app.mjs');

interface ChildSpan {
  name: string;
  spanId: string;
  parentSpanId?: string;
  kind?: string;
  events: string[];
}
interface ChildReport {
  results: Record<string, unknown>;
  distinctBuilds: boolean;
  spans: ChildSpan[];
}

/** The spans as `name KIND <- parent` lines, in the order they ended. */
function links(spans: ChildSpan[]): string[] {
  return spans.map((s) => `${s.name} ${s.kind ?? '-'} <- ${spans.find((p) => p.spanId === s.parentSpanId)?.name ?? 'root'}`);
}

/** The spans of one build's chain (see the fixture): the app span, the chain, its two steps, the body's span. */
function chainOf(build: string): string[] {
  return [
    `${build} body - <- ${build}_fetch`,
    `${build}_fetch CHAIN <- ${build}_chain`,
    `${build}_double CHAIN <- ${build}_chain`,
    `${build}_chain CHAIN <- ${build} app`,
    `${build} app - <- root`,
  ];
}

/**
 * ESM apps on LangChain in child processes (our sources under tsx), set up as the register entry does: the
 * ESM build of @langchain/core (its own copy of every class) is patched through the loader hook's include
 * list, and a process that loads both builds traces both.
 */
describe('LangChain ESM and CommonJS builds (child processes)', function () {
  this.timeout(120_000);

  async function runApp(mode: string): Promise<ChildReport> {
    // No NODE_OPTIONS from the parent: the child loads tsx itself, and nothing else.
    const env = { ...process.env, NODE_OPTIONS: '' };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', APP, mode], { cwd: ROOT, env, timeout: 90_000 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildReport;
  }

  it("an ESM app's import of @langchain/core and @langchain/langgraph is traced (the ESM copies hooked)", async () => {
    const report = await runApp('esm');
    expect(report.results).to.deep.equal({ esm: 4, graph: { step: { n: 2 } } });
    expect(links(report.spans)).to.deep.equal([
      ...chainOf('esm'),
      'step CHAIN <- esm_graph',
      'esm_graph AGENT <- root',
    ]);
    // The graph's stream, broken off by the app, ends its run abandoned: LangGraph's Pregel (ESM) is patched.
    expect(report.spans.find((s) => s.name === 'esm_graph')!.events).to.deep.equal([RUN_ABANDONED_EVENT]);
  });

  it('a process that loads both builds (import and require): two copies of the classes, both traced', async () => {
    const report = await runApp('both');
    expect(report.results).to.deep.equal({ esm: 4, cjs: 4 });
    expect(report.distinctBuilds).to.equal(true);
    expect(links(report.spans)).to.deep.equal([...chainOf('esm'), ...chainOf('cjs')]);
  });

  it('a bundled app: no loader hook, a disabled instrumentation, and the ESM modules handed to manuallyInstrument', async () => {
    const report = await runApp('manual');
    expect(report.results).to.deep.equal({ esm: 4 });
    expect(links(report.spans)).to.deep.equal(chainOf('esm'));
  });

  it('the control: with no loader hook (INFINIUM_ESM_HOOK=false) the ESM build is not traced, the CommonJS build still is', async () => {
    const report = await runApp('unhooked');
    expect(report.results).to.deep.equal({ esm: 4, cjs: 4 });
    expect(links(report.spans)).to.deep.equal(['esm body - <- esm app', 'esm app - <- root', ...chainOf('cjs')]);
  });
});
