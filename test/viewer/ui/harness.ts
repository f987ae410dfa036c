import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startViewerProcess } from '../viewer-process';

/**
 * What the browser suites share: the real viewer (`infinium-otel view`, from lib/ through tsx so that the
 * page is this work tree's lib/viewer/ui) on Node 22 (it needs node:sqlite) with a fresh data folder and
 * ports chosen by the system, and Debian's Chromium driven by playwright-core (nothing downloads a browser).
 */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface Viewer {
  uiUrl: string;
  /** The receiver's origin, e.g. http://127.0.0.1:40123 (POST /v1/traces). */
  otlpOrigin: string;
  stop(): Promise<void>;
}

/** The real viewer, started by viewer-server's test helper, with the URLs as the UI and an app need them. */
export async function startViewer(): Promise<Viewer> {
  const viewer = await startViewerProcess();
  return {
    uiUrl: viewer.uiUrl.replace(/\/$/, ''),
    otlpOrigin: new URL(viewer.receiverUrl).origin,
    async stop() {
      await viewer.stop();
      fs.rmSync(viewer.dataDir, { recursive: true, force: true });
    },
  };
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A page that records every uncaught error and console error (the suites assert there are none). */
export async function openPage(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(`console.${message.type()}: ${message.text()}`);
  });
  await page.goto(url);
  return { page, errors };
}

/** A PNG's signature and its IHDR size, to check that a screenshot holds a picture. */
export function pngSize(buffer: Buffer): { width: number; height: number } | undefined {
  if (buffer.length < 24 || buffer.toString('hex', 0, 8) !== '89504e470d0a1a0a') return undefined;
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

/** Registers the suite's hooks: one viewer and one browser for its tests, both stopped after them. */
export function viewerAndBrowser(prepare?: (viewer: Viewer) => Promise<void>): { viewer: Viewer; browser: Browser } {
  const shared = {} as { viewer: Viewer; browser: Browser };
  before(async () => {
    [shared.viewer, shared.browser] = await Promise.all([startViewer(), launchBrowser()]);
    await prepare?.(shared.viewer);
  });
  after(async () => {
    await shared.browser?.close();
    await shared.viewer?.stop();
  });
  return shared;
}
