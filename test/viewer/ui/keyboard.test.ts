import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { openPage, viewerAndBrowser } from './harness';
import { post, request, span, str } from './otlp-json';

/**
 * Home and End, with the other keys: in the list the first and last row, in a trace's tree the first and
 * last visible row (never into a collapsed subtree), the detail and the link following, as j/k do; in the
 * search box they stay the box's.
 */
const TREE = 'a1'.repeat(16);
const OTHER = 'b2'.repeat(16);
const id = (n: number) => n.toString(16).padStart(16, '0');

describe('viewer UI: Home and End, in Chromium', function () {
  this.timeout(90_000);
  const shared = viewerAndBrowser(async (viewer) => {
    const t = Date.now() - 60_000;
    const kind = (k: string) => [str('openinference.span.kind', k)];
    // root > (plan > (first step, second step), lookup, answer > (draft > (check)))
    await post(
      viewer,
      request('keys', [
        span(TREE, id(1), '', 'root', t, kind('AGENT')),
        span(TREE, id(2), id(1), 'plan', t + 1, kind('CHAIN')),
        span(TREE, id(3), id(2), 'first step', t + 2, kind('LLM')),
        span(TREE, id(4), id(2), 'second step', t + 3, kind('LLM')),
        span(TREE, id(5), id(1), 'lookup', t + 4, kind('TOOL')),
        span(TREE, id(6), id(1), 'answer', t + 5, kind('CHAIN')),
        span(TREE, id(7), id(6), 'draft', t + 6, kind('LLM')),
        span(TREE, id(8), id(7), 'check', t + 7, kind('TOOL')),
      ]),
    );
    await post(viewer, request('keys', [span(OTHER, id(9), '', 'older run', t - 30_000, [])]));
  });

  const focusedTrace = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.traceId ?? null);
  /** The selected row's name, once the detail shows it, and the page's state around it. */
  const selected = async (page: Page, name: string) => {
    await page.locator('#detail h2 .span-name', { hasText: new RegExp(`^${name}$`) }).waitFor();
    return page.evaluate(() => ({
      name: document.querySelector('.tree-row[aria-selected=true] .span-name')?.textContent,
      selectedRows: document.querySelectorAll('.tree-row[aria-selected=true]').length,
      focused: (document.activeElement as HTMLElement | null)?.dataset.spanId,
      hash: location.hash,
    }));
  };
  const expectSelected = async (page: Page, name: string, spanId: string) => {
    expect(await selected(page, name)).to.deep.equal({ name, selectedRows: 1, focused: spanId, hash: `#/trace/${TREE}/${spanId}` });
  };

  it('goes to the first and last row of the list and of the tree, and to the last visible one when a subtree is collapsed', async () => {
    const { page, errors } = await openPage(shared.browser, `${shared.viewer.uiUrl}/`);
    await page.locator(`#trace-rows tr[data-trace-id="${OTHER}"]`).waitFor();
    await page.keyboard.press('End');
    expect(await focusedTrace(page)).to.equal(OTHER);
    await page.keyboard.press('Home');
    expect(await focusedTrace(page)).to.equal(TREE);
    await page.keyboard.press('End');
    await page.keyboard.press('k');
    expect(await focusedTrace(page)).to.equal(TREE);

    await page.keyboard.press('Enter');
    await expectSelected(page, 'root', id(1));
    await page.keyboard.press('End');
    await expectSelected(page, 'check', id(8));
    await page.keyboard.press('Home');
    await expectSelected(page, 'root', id(1));
    await page.keyboard.press('End');
    await page.keyboard.press('k'); // j/k go on from where End went
    await expectSelected(page, 'draft', id(7));

    await page.keyboard.press('ArrowLeft'); // collapses draft: check is hidden
    await page.keyboard.press('Home');
    await expectSelected(page, 'root', id(1));
    await page.keyboard.press('End');
    await expectSelected(page, 'draft', id(7));
    await page.keyboard.press('ArrowLeft'); // to answer
    await page.keyboard.press('ArrowLeft'); // collapses answer
    await page.keyboard.press('Home');
    await page.keyboard.press('End');
    await expectSelected(page, 'answer', id(6));
    expect(await page.locator('.tree-row[role=treeitem]:visible .span-name').allInnerTexts()).to.deep.equal([
      'root',
      'plan',
      'first step',
      'second step',
      'lookup',
      'answer',
    ]);
    expect(errors).to.deep.equal([]);
  });

  it('leaves Home and End to the search box while typing', async () => {
    const { page, errors } = await openPage(shared.browser, `${shared.viewer.uiUrl}/`);
    await page.locator(`#trace-rows tr[data-trace-id="${OTHER}"]`).waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type('run');
    await page.keyboard.press('Home');
    await page.keyboard.type('older ');
    await page.keyboard.press('End');
    await page.keyboard.type('!');
    expect(await page.locator('#q').inputValue()).to.equal('older run!');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('q');
    expect(errors).to.deep.equal([]);
  });
});
