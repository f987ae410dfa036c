/**
 * What opening one very large trace costs: a long agent run of SPANS spans (default 100,000; each with
 * 500-character input and output values, a third of them LLM calls) sent to a real viewer, then
 *  - the API: GET /api/traces/<id>: time, bytes, and the viewer process's memory (VmRSS, VmHWM) around it;
 *  - the page: opening #/trace/<id> in Chromium until the tree and the detail are drawn: time, the page's
 *    JS heap and DOM nodes (CDP Performance.getMetrics).
 * Not a mocha test (the spec glob takes *.test.ts only): run it by hand, on a quiet machine if you can:
 *   node --import tsx test/viewer/big-trace.measure.ts [spans]
 */
import fs from 'node:fs';
import { launchBrowser } from './ui/harness';
import { startViewerProcess } from './viewer-process';

const SPANS = Number(process.argv[2] ?? 100_000);
const BATCH = 2_500;
const TRACE = 'b19'.padEnd(32, '0');
const id = (n: number): string => n.toString(16).padStart(16, '0');
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const MB = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function spanAt(i: number, t0: number) {
  const nanos = (ms: number) => `${BigInt(Math.round(ms * 1000)) * 1000n}`;
  const kind = i === 1 ? 'AGENT' : i % 3 === 0 ? 'LLM' : i % 3 === 1 ? 'TOOL' : 'CHAIN';
  const attributes = [str('openinference.span.kind', kind), str('input.value', `in ${i} `.padEnd(500, 'x')), str('output.value', `out ${i} `.padEnd(500, 'y'))];
  if (kind === 'LLM') attributes.push(str('llm.model_name', 'gpt-4o-mini'), { key: 'llm.token_count.total', value: { intValue: '120' } } as never);
  return {
    traceId: TRACE,
    spanId: id(i),
    parentSpanId: i === 1 ? '' : id(Math.max(1, Math.floor(i / 10))),
    name: `step ${i}`,
    kind: 1,
    startTimeUnixNano: nanos(t0 + i),
    endTimeUnixNano: nanos(t0 + i + 5),
    attributes,
  };
}

/** VmRSS and VmHWM (peak) of a process, in bytes. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

async function main(): Promise<void> {
  const viewer = await startViewerProcess(['--grpc-port', 'off']);
  const browser = await launchBrowser();
  try {
    const t0 = Date.now() - 3_600_000;
    const sending = Date.now();
    for (let from = 1; from <= SPANS; from += BATCH) {
      const spans = [];
      for (let i = from; i < Math.min(SPANS + 1, from + BATCH); i++) spans.push(spanAt(i, t0));
      const body = JSON.stringify({ resourceSpans: [{ resource: { attributes: [str('service.name', 'big-run')] }, scopeSpans: [{ scope: { name: 'measure' }, spans }] }] });
      for (;;) {
        const reply = await fetch(viewer.receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        if (reply.status === 200) break;
        if (reply.status !== 429 && reply.status !== 503) throw new Error(`receiver answered ${reply.status}`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    console.log(`ingest: ${SPANS} spans in ${((Date.now() - sending) / 1000).toFixed(1)} s`);

    const pid = viewer.child.pid!;
    const before = memoryOf(pid);
    const asked = Date.now();
    const response = await fetch(`${viewer.uiUrl}/api/traces/${TRACE}`);
    const text = await response.text();
    const apiMs = Date.now() - asked;
    const after = memoryOf(pid);
    const body = JSON.parse(text) as { spans: unknown[]; summary?: { spanCount: number }; truncated?: boolean };
    console.log(
      `API GET /api/traces/<id>: ${apiMs} ms, ${MB(Buffer.byteLength(text))}, ${body.spans.length} spans` +
        `${body.truncated ? ` (truncated: ${body.summary?.spanCount} stored)` : ''}; viewer RSS ${MB(before.rss)} -> ${MB(after.rss)}, peak ${MB(before.peak)} -> ${MB(after.peak)}`,
    );

    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const opening = Date.now();
    await page.goto(`${viewer.uiUrl}/#/trace/${TRACE}`);
    await page.locator('.tree-row[role=treeitem]').first().waitFor({ timeout: 120_000 });
    await page.locator('#detail h2 .span-name').waitFor({ timeout: 120_000 });
    const openMs = Date.now() - opening;
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
    const rows = await page.locator('.tree-row[role=treeitem]').count();
    const note = await page.locator('#tree .more-rows').allInnerTexts();
    console.log(
      `page: opened in ${openMs} ms; JS heap used ${MB(metric('JSHeapUsedSize'))} of ${MB(metric('JSHeapTotalSize'))}; ` +
        `${metric('Nodes')} DOM nodes; ${rows} rows drawn${note.length ? `; "${note.join(' ')}"` : ''}${errors.length ? `; page errors: ${errors.join('; ')}` : ''}`,
    );
  } finally {
    await browser.close();
    await viewer.stop();
    fs.rmSync(viewer.dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
