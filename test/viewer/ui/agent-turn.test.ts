import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openPage, pngSize, REPO_ROOT, viewerAndBrowser } from './harness';

/**
 * The proof: the `npm start` demo (real SDKs, real OTLP exporter) sends its agent turn to the
 * real viewer; the trace appears in an open page without a reload; the page shows its tree with kinds
 * and parents, an LLM span's conversation and usage, a TOOL span's arguments and result, the failed
 * call's error; keyboard only. The screenshot is kept (INFINIUM_UI_SCREENSHOT=path writes it there;
 * docs/viewer-agent-turn.png is made that way).
 */
function runDemo(otlpOrigin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/agent/main.ts'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', INFINIUM_VIEWER: '1', OTEL_EXPORTER_OTLP_ENDPOINT: otlpOrigin },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function treeRows(page: Page): Promise<string[]> {
  return page.$$eval('.tree-row[role=treeitem]', (rows) => {
    const names = new Map(rows.map((r) => [(r as HTMLElement).dataset.spanId, r.querySelector('.span-name')!.textContent]));
    return rows.map((r) => {
      const row = r as HTMLElement;
      const badge = row.querySelector('.badge')?.textContent ?? '-';
      const parent = row.dataset.parentId ? names.get(row.dataset.parentId) : '(root)';
      return `${'  '.repeat(Number(row.dataset.depth))}${names.get(row.dataset.spanId)} [${badge}=${row.dataset.kind}] < ${parent}`;
    });
  });
}

/** The detail pane's facts as `label: value` lines, and its text. */
async function detail(page: Page): Promise<{ facts: string[]; text: string }> {
  return page.$eval('#detail', (pane) => ({
    facts: Array.from(pane.querySelectorAll('.detail-section .facts dt')).map((dt) => `${dt.textContent}: ${dt.nextElementSibling!.textContent}`),
    text: (pane as HTMLElement).innerText,
  }));
}

async function selectSpan(page: Page, name: string, nth = 0): Promise<void> {
  const names = await page.$$eval('.tree-row[role=treeitem] .span-name', (spans) => spans.map((s) => s.textContent));
  const selected = await page.$eval('.tree-row[aria-selected=true] .span-name', (s) => s.textContent);
  const target = names.findIndex((n, i) => n === name && names.slice(0, i).filter((m) => m === name).length === nth);
  const from = names.indexOf(selected);
  for (let i = from; i < target; i++) await page.keyboard.press('j');
  for (let i = from; i > target; i--) await page.keyboard.press('k');
  await page.locator('#detail .span-name', { hasText: name }).waitFor();
}

describe('viewer UI: the npm start demo, exported to the real viewer, in Chromium', function () {
  this.timeout(120_000);
  const shared = viewerAndBrowser();

  it('lists the trace live, then shows its tree, an LLM span, a TOOL span and the error, by keyboard', async () => {
    const { page, errors } = await openPage(shared.browser, `${shared.viewer.uiUrl}/`);
    await page.locator('#live.on').waitFor(); // the event stream is open before the app runs
    await page.locator('#empty').waitFor();
    // The empty list says where to send spans: this viewer's receiver, whatever port it was given.
    await page.locator('#empty', { hasText: shared.viewer.otlpOrigin }).waitFor({ timeout: 5_000 });
    expect(await page.locator('#empty').innerText()).to.equal(
      `No traces match. Send spans with any OTLP exporter to this viewer's receiver (OTEL_EXPORTER_OTLP_ENDPOINT=${shared.viewer.otlpOrigin}); they appear here as they arrive.`,
    );

    const run = await runDemo(shared.viewer.otlpOrigin);
    expect(run.stderr).to.equal('');
    expect(run.code).to.equal(0);
    const traceId = /^trace ([0-9a-f]{32}) \(agent-demo\)$/m.exec(run.stdout)![1];
    // The receiver named its UI (GET / on the receiver), so the demo links the trace.
    expect(run.stdout.trimEnd().split('\n').at(-1)).to.equal(`See it in the viewer: ${shared.viewer.uiUrl}/#/trace/${traceId}`);

    // No reload: the row comes through /api/events.
    const row = page.locator(`#trace-rows tr[data-trace-id="${traceId}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    expect(await row.locator('.root-name').innerText()).to.equal('support-agent');
    expect((await row.locator('.badge').allInnerTexts()).sort()).to.deep.equal(['AGENT', 'CHAIN', 'TOOL']);
    expect(cells.slice(1).filter((_, i) => i !== 1 && i !== 2)).to.deep.equal(['agent-demo', 'ERROR', '5', '177', '$0.000336']);

    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/trace/${traceId}`));
    await page.locator('.tree-row[role=treeitem]').first().waitFor();
    expect(await treeRows(page)).to.deep.equal([
      'support-agent [AGENT=AGENT] < (root)',
      '  chat gpt-4o-mini [LLM=LLM] < support-agent',
      '  generate_content gemini-2.5-flash [LLM=LLM] < support-agent',
      '  lookup_order [TOOL=TOOL] < support-agent',
      '  chat claude-sonnet-4-6 [LLM=LLM] < support-agent',
      // Anthropic's own GenAI span: its kind comes from gen_ai.operation.name=chat.
      '    anthropic.messages.create [LLM=LLM] < chat claude-sonnet-4-6',
      '  tag-reply [AGENT=AGENT] < support-agent',
      '    step 1 [CHAIN=CHAIN] < tag-reply',
      '      chat gpt-4o-mini [LLM=LLM] < step 1',
      '  chat gpt-5-preview [LLM=LLM] < support-agent',
    ]);
    expect(await page.locator('#trace-meta').innerText()).to.match(/^agent-demo · .+ · 10 spans · 5 LLM calls · \$0\.000336 · [0-9a-f]{32}$/);

    // The root: its input and output, the turn's totals (Infinium's processor) and the prompt fetch event.
    const rootSections = await page.$$eval('#detail .detail-section', (ss) => ss.map((s) => (s as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
    expect(rootSections.map((t) => t.replace(/Duration [\d.]+ s/, 'Duration <s> s').replace(/\+\d+ ms/, '+<t> ms'))).to.deep.equal([
      'INPUT Where is my order A-1042?',
      'OUTPUT Your order A-1042 ships tomorrow.',
      'TURN TOTALS LLM calls 5 Cost $0.000336 Unpriced calls 0 Prompt fetches 1 Duration <s> s',
      'EVENTS (1) infinium.prompt_fetch +<t> ms prompt.id support-reply prompt.name support prompt.version 3',
    ]);

    // The first LLM call: system and user messages, the answer, usage and cost.
    await selectSpan(page, 'chat gpt-4o-mini');
    const chat = await detail(page);
    expect(await page.$$eval('#detail .message', (ms) => ms.map((m) => (m as HTMLElement).innerText.replace(/\s+/g, ' ').trim()))).to.deep.equal([
      'SYSTEM Classify the request in one word.',
      'USER Where is my order A-1042?',
      'ASSISTANT order_status',
    ]);
    expect(chat.facts).to.include.members(['Model: gpt-4o-mini-2024-07-18', 'Provider: openai', 'Prompt tokens: 31', 'Completion tokens: 3', 'Total tokens: 34', 'Cost: $0.00000645']);

    // The Gemini call: the tool it calls, with arguments, and the tool offered.
    await selectSpan(page, 'generate_content gemini-2.5-flash');
    const gemini = await detail(page);
    expect(gemini.facts).to.include.members(['Model: gemini-2.5-flash', 'Prompt tokens: 40', 'Completion tokens: 8', 'Total tokens: 48', 'Cost: $0.000032']);
    expect(await page.$eval('#detail .tool-call', (c) => (c as HTMLElement).innerText.replace(/\s+/g, ' ').trim())).to.equal('→ tool call lookup_order { "order_id": "A-1042" }');
    expect(await page.$eval('#detail .tool summary', (s) => s.textContent)).to.equal('lookup_order — Find an order by id');
    const screenshot = await page.screenshot();

    // The TOOL span: its arguments and result.
    await selectSpan(page, 'lookup_order');
    expect(await page.$$eval('#detail .detail-section', (ss) => ss.map((s) => (s as HTMLElement).innerText.replace(/\s+/g, ' ').trim()))).to.deep.equal([
      'TOOL Name lookup_order',
      'ARGUMENTS A-1042',
      'RESULT { "orderId": "A-1042", "status": "shipped", "eta": "tomorrow" }',
    ]);

    // Anthropic's GenAI-only span renders from gen_ai.* keys.
    await selectSpan(page, 'anthropic.messages.create');
    expect((await detail(page)).facts).to.include.members(['Model: claude-sonnet-4-6', 'Provider: anthropic', 'Prompt tokens: 52', 'Completion tokens: 9', 'Total tokens: 61']);

    // Left collapses a subtree (or goes to the parent from a leaf), Right expands it.
    await page.keyboard.press('ArrowLeft');
    await page.locator('#detail h2 .span-name', { hasText: 'chat claude-sonnet-4-6' }).waitFor();
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('.tree-row[role=treeitem]:visible').count()).to.equal(9);
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('.tree-row[role=treeitem]:visible').count()).to.equal(10);

    // The failed call: its error and exception event.
    await selectSpan(page, 'chat gpt-5-preview');
    const error = await page.$eval('#detail .error-box', (box) => (box as HTMLElement).innerText);
    expect(error).to.include('404 The model `gpt-5-preview` does not exist');
    expect(error).to.include('NotFoundError');

    // Esc goes back to the list, on the trace's row.
    await page.keyboard.press('Escape');
    await page.locator('#list-view').waitFor();
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.traceId)).to.equal(traceId);

    const size = pngSize(screenshot);
    expect(size).to.deep.equal({ width: 1400, height: 860 });
    expect(screenshot.length).to.be.greaterThan(20_000);
    const keep = process.env.INFINIUM_UI_SCREENSHOT ?? path.join(os.tmpdir(), 'viewer-agent-turn.png');
    fs.writeFileSync(keep, screenshot);
    expect(errors).to.deep.equal([]);
  });
});
