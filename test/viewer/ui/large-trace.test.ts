import { expect } from 'chai';
import { openPage, viewerAndBrowser } from './harness';
import { post, request, span, str } from './otlp-json';

/**
 * A 10,000-span trace (a long agent run) opens with its first 5,000 spans by start time (the API's bound,
 * MAX_TRACE_SPANS in trace-json.ts), says how many it left out and gives the trace's own totals, and the
 * keyboard still moves through it. Prints the times it took
 * (`npx mocha test/viewer/ui/large-trace.test.ts`); the bounds are generous, for a loaded machine.
 */
const TRACE = 'd4'.repeat(16);
const SPANS = 10_000;
const id = (n: number) => n.toString(16).padStart(16, '0');

describe('viewer UI: a 10,000-span trace, in Chromium', function () {
  this.timeout(120_000);
  const shared = viewerAndBrowser(async (viewer) => {
    const t = Date.now() - 60_000;
    const spans = [span(TRACE, id(1), '', 'long run', t, [str('openinference.span.kind', 'AGENT')])];
    for (let i = 2; i <= SPANS; i++) {
      spans.push(span(TRACE, id(i), id(Math.max(1, Math.floor(i / 10))), `step ${i}`, t + i, [str('openinference.span.kind', i % 3 ? 'LLM' : 'TOOL'), str('input.value', 'x'.repeat(200))]));
    }
    for (let i = 0; i < spans.length; i += 2500) await post(viewer, request('long-run', spans.slice(i, i + 2500)));
  });

  it('opens it with its first 5,000 spans, says so, and moves through them by keyboard', async () => {
    const { page, errors } = await openPage(shared.browser, `${shared.viewer.uiUrl}/`);
    await page.locator(`#trace-rows tr[data-trace-id="${TRACE}"]`).waitFor();
    const opened = Date.now();
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.locator('#detail h2 .span-name', { hasText: 'long run' }).waitFor();
    const openMs = Date.now() - opened;
    const drawn = await page.$$eval('.tree-row[role=treeitem]', (rows) => rows.map((r) => parseInt((r as HTMLElement).dataset.spanId!, 16)));
    expect([drawn.length, Math.min(...drawn), Math.max(...drawn), new Set(drawn).size]).to.deep.equal([5000, 1, 5000, 5000]);
    expect(await page.locator('#tree .more-rows').innerText()).to.equal(
      'The first 5,000 of 10,000 spans (by start time) are shown: a trace this large is cut to keep the page quick. The viewer keeps every span.',
    );
    expect(await page.locator('#tree .tree-head .tree-label').innerText()).to.equal('5,000 of 10,000 spans');
    // The trace's totals, not those of the spans shown: 10,040 ms, 3,333 TOOL spans (i % 3 == 0), the other 6,666 LLM.
    expect(await page.locator('#trace-meta').innerText()).to.match(/^long-run · .+ · 10\.04 s · 10,000 spans \(5,000 shown\) · 6,666 LLM calls · (d4){16}$/);

    const moved = Date.now();
    for (let i = 0; i < 20; i++) await page.keyboard.press('j');
    await page.locator('#detail h2 .span-name', { hasText: /^step \d+$/ }).waitFor();
    const stepMs = (Date.now() - moved) / 20;
    expect(await page.locator('.tree-row[aria-selected=true]').count()).to.equal(1);
    console.log(`      open a ${SPANS}-span trace: ${openMs} ms; one j step: ${stepMs.toFixed(0)} ms (with playwright's round trip)`);
    expect(openMs).to.be.lessThan(20_000);
    expect(stepMs).to.be.lessThan(2_000);
    expect(errors).to.deep.equal([]);
  });

  it('orders siblings that start in the same millisecond by their end (a quick tool call before the call after it)', async () => {
    // OTel JS SDKs start spans at Date.now(), whole milliseconds: a tool call taking 0.2 ms and the model
    // call right after it often share their start; the one that ended first came first.
    const { page, errors } = await openPage(shared.browser, `${shared.viewer.uiUrl}/`);
    // Stored in the other order (the later call exported first), as an exporter may send them.
    const spans = [
      { spanId: 'root', parentSpanId: null, startMs: 0, durationMs: 900 },
      { spanId: 'claude', parentSpanId: 'root', startMs: 654, durationMs: 146 },
      { spanId: 'tool', parentSpanId: 'root', startMs: 654, durationMs: 0.235 },
      { spanId: 'late', parentSpanId: 'root', startMs: 655, durationMs: 1 },
    ];
    const order = await page.evaluate(async (given) => {
      const tree = '/ui/tree.js'; // the page's module, by its URL (not a module of this repository)
      const { layout } = await import(tree);
      return layout(given).map((row: { span: { spanId: string } }) => row.span.spanId);
    }, spans);
    expect(order).to.deep.equal(['root', 'tool', 'claude', 'late']);
    expect(errors).to.deep.equal([]);
  });
});
