import { expect } from 'chai';
import type { Page } from 'playwright-core';
import fs from 'node:fs';
import { startViewerProcess } from '../viewer-process';
import type { Viewer } from './harness';
import { viewerAndBrowser } from './harness';
import { post, request, span } from './otlp-json';

/**
 * Many tabs of the viewer in one browser (each "See it in the viewer" link of the demo opens one). A
 * browser keeps 6 HTTP/1.1 connections per host: one event stream per tab would leave the 7th tab waiting
 * for its page forever. The tabs share one stream (the tab holding a Web Lock relays its events); when
 * that tab closes, another takes it over and every tab still gets new traces without a reload.
 */
const TABS = 8;
const traceId = (n: number) => n.toString(16).padStart(32, 'e');

describe('viewer UI: tabs, live updates and a restarted viewer, in Chromium', function () {
  this.timeout(90_000);
  const shared = viewerAndBrowser(async (viewer) => {
    await post(viewer, request('tabs', [span(traceId(1), '1'.repeat(16), '', 'first', Date.now() - 5_000, [])]));
  });

  it('opens every tab, and each gets new traces live, also after the tab relaying the events closed', async () => {
    const context = await shared.browser.newContext({ viewport: { width: 1000, height: 600 } });
    const errors: string[] = [];
    const pages: Page[] = [];
    for (let i = 0; i < TABS; i++) {
      const page = await context.newPage();
      page.on('pageerror', (err) => errors.push(`tab ${i}: ${err.message}`));
      await page.goto(`${shared.viewer.uiUrl}/`, { timeout: 10_000 });
      await page.locator(`#trace-rows tr[data-trace-id="${traceId(1)}"]`).waitFor({ timeout: 10_000 });
      await page.locator('#live.on').waitFor({ timeout: 10_000 });
      pages.push(page);
    }
    await post(shared.viewer, request('tabs', [span(traceId(2), '2'.repeat(16), '', 'second', Date.now() - 1_000, [])]));
    for (const page of pages) await page.locator(`#trace-rows tr[data-trace-id="${traceId(2)}"]`).waitFor({ timeout: 10_000 });

    await pages.shift()!.close(); // the first tab took the lock: it relayed the events
    await post(shared.viewer, request('tabs', [span(traceId(3), '3'.repeat(16), '', 'third', Date.now(), [])]));
    for (const page of pages) await page.locator(`#trace-rows tr[data-trace-id="${traceId(3)}"]`).waitFor({ timeout: 10_000 });
    expect(await pages[0].locator('#trace-rows tr .root-name').allInnerTexts()).to.deep.equal(['third', 'second', 'first']);
    await context.close();
    expect(errors).to.deep.equal([]);
  });

  it('shows what a restarted viewer received before the tabs reconnected', async () => {
    const first = await startViewerProcess();
    const port = new URL(first.uiUrl).port;
    const context = await shared.browser.newContext({ viewport: { width: 1000, height: 600 } });
    const errors: string[] = [];
    const pages: Page[] = [];
    for (let i = 0; i < 2; i++) {
      const page = await context.newPage();
      page.on('pageerror', (err) => errors.push(`tab ${i}: ${err.message}`));
      await page.goto(first.uiUrl);
      await page.locator('#live.on').waitFor();
      pages.push(page);
    }
    await first.stop();
    for (const page of pages) await page.locator('#live.off').waitFor();
    // The same UI port and data: posted at once, before the tabs' stream (retried every few seconds) is back.
    const second = await startViewerProcess(['--ui-port', port], first.dataDir);
    try {
      const viewer: Viewer = { uiUrl: second.uiUrl, otlpOrigin: new URL(second.receiverUrl).origin, stop: async () => undefined };
      await post(viewer, request('restarted', [span(traceId(4), '4'.repeat(16), '', 'while away', Date.now(), [])]));
      for (const page of pages) {
        await page.locator(`#trace-rows tr[data-trace-id="${traceId(4)}"]`).waitFor({ timeout: 15_000 });
        await page.locator('#live.on').waitFor();
      }
      await context.close();
      expect(errors).to.deep.equal([]);
    } finally {
      await second.stop();
      fs.rmSync(first.dataDir, { recursive: true, force: true });
    }
  });
});
