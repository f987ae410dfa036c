import { expect } from 'chai';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { node22 } from '../compat/node-runtime';

const run = promisify(execFile);

/**
 * GET /api/traces/:id is bounded: at most MAX_TRACE_SPANS spans and MAX_TRACE_BYTES of JSON, the first
 * by start time (ties in storage order), `truncated` when some were left out, the trace's own totals in
 * `summary`. Against a real store under Node 22 (trace-bound.child.ts), with small bounds to count exactly.
 */
describe('viewer: one trace, bounded in spans and bytes', function () {
  this.timeout(60_000);

  interface Answer {
    traceId: string;
    summary: { spanCount: number; rootName: string };
    truncated: boolean;
    spans: Array<{ name: string }>;
  }
  const answer = async (bounds: Array<[number, number]>): Promise<{ defaults: number[]; unknown: null; answers: Answer[] }> => {
    const { stdout } = await run((await node22()).node, ['--no-warnings', '--import', 'tsx', path.join(__dirname, 'trace-bound.child.ts'), JSON.stringify(bounds)], {
      cwd: path.resolve(__dirname, '..', '..'),
    });
    return JSON.parse(stdout);
  };
  // Stored s600 first, s1 last; s<i> starts at floor(i / 7) ms: s1..s6 together, then sevens, each seven in reverse storage order.
  const startOrder = Array.from({ length: 600 }, (_, k) => k + 1).sort((a, b) => Math.floor(a / 7) - Math.floor(b / 7) || b - a).map((i) => `s${i}`);

  it('sends every span in start order, ties in storage order, when the trace fits; read in pages past 250', async () => {
    const { defaults, unknown, answers } = await answer([[5000, 32 * 1024 * 1024]]);
    expect(defaults).to.deep.equal([5000, 32 * 1024 * 1024]);
    expect(unknown).to.equal(null);
    const [whole] = answers;
    expect([whole.truncated, whole.summary.spanCount, whole.summary.rootName, whole.spans.length]).to.deep.equal([false, 600, 's1', 600]);
    expect(whole.spans.map((s) => s.name)).to.deep.equal(startOrder);
    expect(startOrder.slice(0, 8)).to.deep.equal(['s6', 's5', 's4', 's3', 's2', 's1', 's13', 's12']);
  });

  it('stops at maxSpans, and at maxBytes before the span that would cross it, saying truncated', async () => {
    const [whole] = (await answer([[5000, 32 * 1024 * 1024]])).answers;
    // Each span's text as the API writes it (compact JSON, the same as JSON.stringify of it), and its comma.
    const first300 = whole.spans.slice(0, 300).reduce((sum, s) => sum + Buffer.byteLength(JSON.stringify(s)) + 1, 0);
    const { answers } = await answer([
      [520, 32 * 1024 * 1024],
      [600, 32 * 1024 * 1024],
      [599, 32 * 1024 * 1024],
      [5000, first300],
      [5000, first300 - 1],
      [5000, 10],
    ]);
    expect(answers.map((a) => [a.spans.length, a.truncated, a.summary.spanCount])).to.deep.equal([
      [520, true, 600],
      [600, false, 600],
      [599, true, 600],
      [300, true, 600],
      [299, true, 600],
      [0, true, 600],
    ]);
    expect(answers[0].spans.map((s) => s.name)).to.deep.equal(startOrder.slice(0, 520));
    expect(answers[3].spans.map((s) => s.name)).to.deep.equal(startOrder.slice(0, 300));
  });
});
