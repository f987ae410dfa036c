import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { openPage, viewerAndBrowser } from './harness';
import { dbl, int, post, request, span, str } from './otlp-json';

/**
 * Spans from other instrumentations render too: a GenAI-only agent turn (`gen_ai.*` messages as JSON,
 * tool definitions, cache and reasoning usage), an OpenInference retriever with scored documents and
 * metadata, a reranker, an embedding, and an OpenInference LLM call with every token and cost detail.
 */
const TRACE = 'c3'.repeat(16);
const ROOT = '1'.repeat(16);

async function open(page: Page, name: string): Promise<string[]> {
  await page.locator('.tree-row[role=treeitem] .span-name', { hasText: name }).first().click();
  await page.locator('#detail h2 .span-name', { hasText: name }).waitFor();
  return page.$$eval('#detail .detail-section', (sections) => sections.map((s) => (s as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
}

describe('viewer UI: GenAI, retriever, reranker, embedding and token details, in Chromium', function () {
  this.timeout(90_000);
  const shared = viewerAndBrowser(async (viewer) => {
    const t = Date.now() - 10_000;
    await post(
      viewer,
      request('py-agent', [
        span(TRACE, ROOT, '', 'invoke_agent planner', t, [str('gen_ai.operation.name', 'invoke_agent'), str('gen_ai.agent.name', 'planner')]),
        span(TRACE, '2'.repeat(16), ROOT, 'chat gpt-5', t + 1, [
          str('gen_ai.operation.name', 'chat'),
          str('gen_ai.provider.name', 'openai'),
          str('gen_ai.request.model', 'gpt-5'),
          str('gen_ai.response.model', 'gpt-5-2025-08-07'),
          dbl('gen_ai.request.temperature', 0.2),
          int('gen_ai.usage.input_tokens', 120),
          int('gen_ai.usage.output_tokens', 30),
          int('gen_ai.usage.cache_read.input_tokens', 100),
          int('gen_ai.usage.reasoning.output_tokens', 12),
          str('gen_ai.system_instructions', JSON.stringify([{ type: 'text', content: 'Be brief.' }])),
          str('gen_ai.input.messages', JSON.stringify([
            { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
            { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] },
            { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'sunny, 21°C' }] },
          ])),
          str('gen_ai.output.messages', JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Sunny, 21°C.' }], finish_reason: 'stop' }])),
          str('gen_ai.tool.definitions', JSON.stringify([{ type: 'function', name: 'get_weather', description: 'Weather by city', parameters: { type: 'object' } }])),
        ]),
        span(TRACE, '3'.repeat(16), ROOT, 'retrieve docs', t + 2, [
          str('openinference.span.kind', 'RETRIEVER'),
          str('input.value', 'paris weather'),
          str('retrieval.documents.0.document.id', 'doc-7'),
          dbl('retrieval.documents.0.document.score', 0.91),
          str('retrieval.documents.0.document.content', 'Paris is sunny in June.'),
          str('retrieval.documents.0.document.metadata', JSON.stringify({ source: 'wiki', page: 3 })),
          str('retrieval.documents.1.document.id', 'doc-2'),
          dbl('retrieval.documents.1.document.score', 0.42),
          str('retrieval.documents.1.document.content', 'Lyon is rainy.'),
        ]),
        span(TRACE, '4'.repeat(16), ROOT, 'rerank', t + 3, [
          str('openinference.span.kind', 'RERANKER'),
          str('reranker.query', 'paris weather'),
          str('reranker.model_name', 'rerank-v3'),
          int('reranker.top_k', 1),
          str('reranker.output_documents.0.document.id', 'doc-7'),
          dbl('reranker.output_documents.0.document.score', 0.99),
        ]),
        span(TRACE, '5'.repeat(16), ROOT, 'embed query', t + 4, [
          str('openinference.span.kind', 'EMBEDDING'),
          str('embedding.model_name', 'text-embedding-3-small'),
          str('embedding.embeddings.0.embedding.text', 'paris weather'),
          { key: 'embedding.embeddings.0.embedding.vector', value: { arrayValue: { values: [{ doubleValue: 0.1 }, { doubleValue: 0.2 }, { doubleValue: 0.3 }] } } },
        ]),
        span(TRACE, '6'.repeat(16), ROOT, 'claude call', t + 5, [
          str('openinference.span.kind', 'LLM'),
          str('llm.model_name', 'claude-sonnet-4-6'),
          str('llm.provider', 'anthropic'),
          int('llm.token_count.prompt', 1200),
          int('llm.token_count.prompt_details.cache_read', 1000),
          int('llm.token_count.prompt_details.cache_write', 150),
          int('llm.token_count.completion', 80),
          int('llm.token_count.completion_details.reasoning', 40),
          int('llm.token_count.total', 1280),
          dbl('llm.cost.total', 0.0025),
          dbl('llm.cost.prompt_details.cache_read', 0.0003),
          str('llm.invocation_parameters', JSON.stringify({ max_tokens: 200 })),
          str('llm.input_messages.0.message.role', 'user'),
          str('llm.input_messages.0.message.contents.0.message_content.type', 'text'),
          str('llm.input_messages.0.message.contents.0.message_content.text', 'What is in this picture?'),
          str('llm.input_messages.0.message.contents.1.message_content.type', 'image'),
          str('llm.input_messages.0.message.contents.1.message_content.image.image.url', 'https://example.com/cat.png'),
        ]),
      ]),
    );
    // Older traces than a page holds (50): 60 one-span traces, a minute before the one above.
    const filler = Array.from({ length: 60 }, (_, i) => span(`${(i + 1).toString(16).padStart(2, '0')}`.repeat(16), '7'.repeat(16), '', `filler ${i}`, t - 60_000 + i, []));
    await post(viewer, request('filler-svc', filler));
  });

  it('renders each kind from its own vocabulary', async () => {
    // A link may name a span: it opens selected.
    const { page, errors } = await openPage(shared.browser, `${shared.viewer.uiUrl}/#/trace/${TRACE}/${'3'.repeat(16)}`);
    await page.locator('#detail h2 .span-name', { hasText: 'retrieve docs' }).waitFor();
    expect(await page.$$eval('.tree-row[role=treeitem] .badge', (bs) => bs.map((b) => b.textContent))).to.deep.equal(['AGENT', 'LLM', 'RETRIEVER', 'RERANKER', 'EMBEDDING', 'LLM']);

    const chat = await open(page, 'chat gpt-5');
    expect(chat.slice(0, 3)).to.deep.equal([
      'USAGE Model gpt-5-2025-08-07 Requested model gpt-5 Provider openai Prompt tokens 120 cache read 100 Completion tokens 30 reasoning 12 Total tokens 150 Latency 40 ms',
      'INPUT MESSAGES SYSTEM Be brief. USER Weather in Paris? ASSISTANT → tool call get_weather call_1 { "city": "Paris" } TOOL ← tool result call_1 sunny, 21°C',
      'OUTPUT ASSISTANT · stop Sunny, 21°C.',
    ]);
    expect(chat[3]).to.equal('TOOLS OFFERED (1) get_weather — Weather by city');
    expect(chat[4]).to.equal('INVOCATION PARAMETERS { "temperature": 0.2 }');

    expect(await open(page, 'retrieve docs')).to.deep.equal([
      'QUERY paris weather',
      'DOCUMENTS (2) doc-7 score 0.91 Paris is sunny in June. source wiki page 3 doc-2 score 0.42 Lyon is rainy.',
    ]);
    expect(await open(page, 'rerank')).to.deep.equal(['QUERY paris weather', 'RERANKER Model rerank-v3 Top k 1', 'OUTPUT DOCUMENTS (1) doc-7 score 0.99']);
    expect((await open(page, 'embed query'))[1]).to.equal('EMBEDDINGS (1) paris weather vector of 3 dimensions');

    const claude = await open(page, 'claude call');
    expect(claude[0]).to.equal(
      'USAGE Model claude-sonnet-4-6 Provider anthropic Prompt tokens 1,200 cache read 1,000 cache write 150 Completion tokens 80 reasoning 40 Total tokens 1,280 Cost $0.0025 cache read $0.0003 Latency 40 ms',
    );
    expect(claude[1]).to.equal('INPUT MESSAGES USER What is in this picture? image: https://example.com/cat.png');
    expect(claude[2]).to.equal('INVOCATION PARAMETERS { "max_tokens": 200 }');
    expect(errors).to.deep.equal([]);
  });

  it('pages through older traces', async () => {
    const { page, errors } = await openPage(shared.browser, `${shared.viewer.uiUrl}/`);
    await page.locator('#more').waitFor();
    expect(await page.locator('#trace-rows tr').count()).to.equal(50);
    expect(await page.locator('#trace-rows tr .root-name').first().innerText()).to.equal('invoke_agent planner');
    await page.click('#more');
    await page.locator('#trace-rows tr').nth(60).waitFor();
    expect(await page.locator('#trace-rows tr').count()).to.equal(61);
    expect(await page.locator('#trace-rows tr .root-name').last().innerText()).to.equal('filler 0');
    expect(await page.locator('#more').isHidden()).to.equal(true);
    // A new trace arriving live keeps the older pages on screen (a busy app must not take them away).
    await post(shared.viewer, request('late-app', [span('c4'.repeat(16), '4'.repeat(16), '', 'arrived later', Date.now(), [])]));
    await page.locator('#trace-rows tr .root-name', { hasText: 'arrived later' }).waitFor();
    expect(await page.locator('#trace-rows tr').count()).to.equal(62);
    expect(await page.locator('#trace-rows tr .root-name').last().innerText()).to.equal('filler 0');
    expect(errors).to.deep.equal([]);
  });
});
