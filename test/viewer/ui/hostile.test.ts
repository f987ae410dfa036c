import { expect } from 'chai';
import { openPage, viewerAndBrowser } from './harness';
import { post, request, span, str, int } from './otlp-json';

/**
 * LLM output routinely holds HTML, markdown and script. A trace whose names, messages, documents,
 * attribute keys, events and error carry markup runs none of it in the page (the payloads would set
 * window.__pwned) and shows it as text. The same suite checks the list's filters against two traces.
 */
const PAYLOAD = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b> [link](javascript:window.__pwned=3)';
const HOSTILE_TRACE = 'a1'.repeat(16);
const BENIGN_TRACE = 'b2'.repeat(16);

describe('viewer UI: hostile content and the list filters, in Chromium', function () {
  this.timeout(90_000);
  const shared = viewerAndBrowser(async (viewer) => {
    const now = Date.now();
    await post(
      viewer,
      request(PAYLOAD, [
        span(HOSTILE_TRACE, '1'.repeat(16), '', PAYLOAD, now - 5000, [str('openinference.span.kind', 'AGENT'), str('output.value', PAYLOAD)], {
          status: { code: 2, message: PAYLOAD },
          events: [{ name: 'exception', timeUnixNano: `${BigInt(now - 4990) * 1_000_000n}`, attributes: [str('exception.type', PAYLOAD), str('exception.message', PAYLOAD)] }],
        }),
        span(HOSTILE_TRACE, '2'.repeat(16), '1'.repeat(16), 'chat evil', now - 4990, [
          str('openinference.span.kind', 'LLM'),
          str('llm.model_name', PAYLOAD),
          str('llm.input_messages.0.message.role', PAYLOAD),
          str('llm.input_messages.0.message.content', PAYLOAD),
          str('llm.output_messages.0.message.role', 'assistant'),
          str('llm.output_messages.0.message.content', PAYLOAD),
          str('llm.output_messages.0.message.tool_calls.0.tool_call.function.name', PAYLOAD),
          str('llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments', JSON.stringify({ html: PAYLOAD })),
          str('llm.tools.0.tool.json_schema', JSON.stringify({ type: 'function', function: { name: PAYLOAD, description: PAYLOAD } })),
          str('llm.invocation_parameters', JSON.stringify({ stop: [PAYLOAD] })),
          str(PAYLOAD, PAYLOAD),
          int('llm.token_count.prompt', 7),
        ]),
        span(HOSTILE_TRACE, '3'.repeat(16), '1'.repeat(16), 'search evil', now - 4980, [
          str('openinference.span.kind', 'RETRIEVER'),
          str('retrieval.documents.0.document.id', PAYLOAD),
          str('retrieval.documents.0.document.content', PAYLOAD),
          str('retrieval.documents.0.document.metadata', JSON.stringify({ [PAYLOAD]: PAYLOAD })),
        ]),
        span(HOSTILE_TRACE, '4'.repeat(16), '1'.repeat(16), 'genai evil', now - 4970, [
          str('gen_ai.operation.name', 'chat'),
          str('gen_ai.input.messages', JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: PAYLOAD }, { type: 'uri', modality: 'image', uri: 'x" onerror="window.__pwned=4' }] }])),
          str('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', parts: [{ type: 'tool_call', name: PAYLOAD, arguments: PAYLOAD }] }])),
        ]),
      ]),
    );
    await post(viewer, request('benign-svc', [span(BENIGN_TRACE, '5'.repeat(16), '', 'benign root', now - 1000, [str('openinference.span.kind', 'CHAIN'), str('input.value', 'needle in a haystack')])]));
  });

  it('runs nothing from span content and shows it as text, in the list, the tree and every detail', async () => {
    const { page, errors } = await openPage(shared.browser, `${shared.viewer.uiUrl}/`);
    const row = page.locator(`#trace-rows tr[data-trace-id="${HOSTILE_TRACE}"]`);
    await row.waitFor();
    expect(await row.locator('.root-name').innerText()).to.equal(PAYLOAD);
    expect(await row.locator('td').nth(1).innerText()).to.equal(PAYLOAD);

    await row.click();
    await page.locator('#detail .error-box').waitFor();
    const seen: string[] = [];
    for (const name of [PAYLOAD, 'chat evil', 'search evil', 'genai evil']) {
      await page.locator('.tree-row[role=treeitem] .span-name', { hasText: name }).first().click();
      await page.locator('#detail h2 .span-name', { hasText: name }).waitFor();
      await page.$$eval('#detail details', (all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
      seen.push(await page.locator('#detail').innerText());
    }
    const text = seen.join('\n');
    const occurrences = text.split(PAYLOAD).length - 1;
    expect(occurrences).to.be.greaterThan(15);
    expect(text).to.include('x" onerror="window.__pwned=4');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).to.equal(undefined);
    // Markup from spans never became elements: the page's own script is the only one, and there is no image or link.
    expect(await page.evaluate(() => [document.images.length, document.scripts.length, document.querySelectorAll('b, a[href^=javascript]').length])).to.deep.equal([0, 1, 0]);
    expect(errors).to.deep.equal([]);
  });

  it('filters by service, status, kind and text, and / focuses the search', async () => {
    const { page, errors } = await openPage(shared.browser, `${shared.viewer.uiUrl}/`);
    const ids = () => page.$$eval('#trace-rows tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.traceId));
    await page.locator('#trace-rows tr').nth(1).waitFor();
    expect(await ids()).to.deep.equal([BENIGN_TRACE, HOSTILE_TRACE]); // newest first

    const settle = async (expected: string[]) => {
      await page.waitForFunction((want) => JSON.stringify(Array.from(document.querySelectorAll('#trace-rows tr')).map((r) => (r as HTMLElement).dataset.traceId)) === want, JSON.stringify(expected));
    };
    await page.selectOption('#service', 'benign-svc');
    await settle([BENIGN_TRACE]);
    await page.selectOption('#service', '');
    await page.selectOption('#status', 'ERROR');
    await settle([HOSTILE_TRACE]);
    await page.selectOption('#status', '');
    await page.selectOption('#kind', 'RETRIEVER');
    await settle([HOSTILE_TRACE]);
    await page.selectOption('#kind', '');
    await settle([BENIGN_TRACE, HOSTILE_TRACE]);

    await page.locator('#trace-rows tr').first().focus();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('q');
    await page.keyboard.type('haystack');
    await settle([BENIGN_TRACE]);
    await page.keyboard.press('Enter'); // from the search box to the first result
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/trace/${BENIGN_TRACE}`));
    await page.locator('#detail h2 .span-name', { hasText: 'benign root' }).waitFor();
    expect(await page.locator('#detail').innerText()).to.include('needle in a haystack');
    expect(errors).to.deep.equal([]);
  });

  it('takes a malformed link (a bad %-escape in the trace or span id) without an uncaught error', async () => {
    const { page, errors } = await openPage(shared.browser, `${shared.viewer.uiUrl}/#/trace/%E0%A4%A`);
    await page.locator('#error', { hasText: 'Could not open trace' }).waitFor();
    expect(await page.locator('#error').innerText()).to.equal('Could not open trace %E0%A4%A: a trace id is 32 hex digits');
    await page.goto(`${shared.viewer.uiUrl}/#/trace/${'ab'.repeat(16)}/%ZZ`);
    await page.locator('#error', { hasText: `Could not open trace ${'ab'.repeat(16)}` }).waitFor();
    // Chromium logs each 404 answer of the API; nothing else, and no page error.
    expect(errors).to.deep.equal(new Array(2).fill('console.error: Failed to load resource: the server responded with a status of 404 (Not Found)'));
  });
});
