import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { AppReport, appTrace, ChildSpan, links, node22, runApp } from './run-app';

const QUESTION = 'What does Infinium do?';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The two documents the question retrieves (top 2 of 3), with the exact cosine scores of the fake embeddings. */
function expectDocuments(retriever: ChildSpan): void {
  const a = retriever.attributes;
  expect(a).to.deep.include({
    'openinference.span.kind': 'RETRIEVER',
    'input.value': QUESTION,
    'retrieval.documents.0.document.content': 'Infinium traces LLM calls.',
    'retrieval.documents.0.document.metadata': '{"source":"guide"}',
    'retrieval.documents.0.document.score': 1,
    'retrieval.documents.1.document.content': 'Infinium exports spans over OTLP.',
    'retrieval.documents.1.document.metadata': '{"source":"guide"}',
    'retrieval.documents.1.document.score': 0.6,
  });
  expect(a['retrieval.documents.0.document.id']).to.match(UUID);
  expect(a['retrieval.documents.1.document.id']).to.match(UUID);
  expect(Object.keys(a).filter((k) => k.startsWith('retrieval.documents.2.'))).to.deep.equal([]);
}

const named = (spans: ChildSpan[], name: string) => spans.find((s) => s.name === name)!;

/** A query engine's run under the app's span, as `links` prints it (in the order the spans end). */
const QUERY_TREE = [
  'embeddings text-embedding-3-small EMBEDDING <- VectorIndexRetriever',
  'VectorIndexRetriever RETRIEVER <- RetrieverQueryEngine',
  'chat gpt-4o-mini LLM <- RetrieverQueryEngine',
  'RetrieverQueryEngine CHAIN <- app',
  'app - <- root',
];

/**
 * LlamaIndex.TS in a CommonJS app with no setting of ours (fixtures/llamaindex-app.cjs): an in-memory
 * VectorStoreIndex with the real OpenAI and OpenAIEmbedding classes against a local fake OpenAI. Their
 * nested `openai` is `import()`ed (ESM), which the hook registered late reaches (esm-loader-hook.ts).
 */
describe('LlamaIndex.TS runs (child processes)', function () {
  this.timeout(120_000);

  it('a query engine: CHAIN → RETRIEVER (documents, scores) → EMBEDDING, and the one LLM span under the CHAIN', async () => {
    const report = await runApp('llamaindex-app.cjs', 'query');
    expect(report.result).to.deep.equal({ text: 'Infinium traces calls.' });
    expect(report.stillOpen).to.deep.equal([]);
    const spans = appTrace(report);
    expect(links(spans)).to.deep.equal(QUERY_TREE);
    const chain = named(spans, 'RetrieverQueryEngine');
    expect(chain.status).to.equal(SpanStatusCode.OK);
    expect(chain.attributes).to.deep.equal({
      'openinference.span.kind': 'CHAIN',
      'input.value': QUESTION,
      'input.mime_type': 'text/plain',
      'output.value': 'Infinium traces calls.',
      'output.mime_type': 'text/plain',
    });
    expectDocuments(named(spans, 'VectorIndexRetriever'));
    const llm = named(spans, 'chat gpt-4o-mini');
    expect(llm.attributes).to.deep.include({ 'llm.token_count.prompt': 19, 'llm.token_count.completion': 10, 'output.value': 'Infinium traces calls.' });
    expect(named(spans, 'app').attributes['infinium.llm_call_count']).to.equal(1);
    expect(JSON.stringify(report.spans)).not.to.contain('sk-llamaindex-secret');
  });

  it('a streamed chat engine: the CHAIN ends when the stream is read, its output the streamed text', async () => {
    const report = await runApp('llamaindex-app.cjs', 'chat-stream');
    expect(report.result).to.deep.equal({ text: 'Infinium traces calls.' });
    expect(report.stillOpen).to.deep.equal([]);
    const spans = appTrace(report);
    expect(links(spans)).to.deep.equal([
      'embeddings text-embedding-3-small EMBEDDING <- VectorIndexRetriever',
      'VectorIndexRetriever RETRIEVER <- ContextChatEngine',
      'chat gpt-4o-mini LLM <- ContextChatEngine',
      'ContextChatEngine CHAIN <- app',
      'app - <- root',
    ]);
    expect(named(spans, 'ContextChatEngine').attributes).to.deep.include({ 'input.value': QUESTION, 'output.value': 'Infinium traces calls.' });
    expect(named(spans, 'ContextChatEngine').status).to.equal(SpanStatusCode.OK);
    expectDocuments(named(spans, 'VectorIndexRetriever'));
    expect(named(spans, 'chat gpt-4o-mini').attributes).to.deep.include({ 'llm.token_count.prompt': 31, 'llm.token_count.completion': 4 });
  });

  it('a streamed query engine: the same tree, the CHAIN ended when the stream is read, its output the streamed text', async () => {
    const report = await runApp('llamaindex-app.cjs', 'query-stream');
    expect(report.result).to.deep.equal({ text: 'Infinium traces calls.' });
    expect(report.stillOpen).to.deep.equal([]);
    const spans = appTrace(report);
    expect(links(spans)).to.deep.equal(QUERY_TREE);
    expect(named(spans, 'RetrieverQueryEngine').attributes['output.value']).to.equal('Infinium traces calls.');
    expect(named(spans, 'chat gpt-4o-mini').attributes).to.deep.include({ 'llm.token_count.prompt': 31, 'llm.token_count.completion': 4 });
  });

  it('a stream the app leaves early: the CHAIN ends as abandoned (no error), the LLM span when LlamaIndex\'s stream is collected', async () => {
    const report = await runApp('llamaindex-app.cjs', 'chat-abandoned');
    const spans = appTrace(report);
    const chain = named(spans, 'ContextChatEngine');
    expect(chain.status).to.equal(SpanStatusCode.UNSET);
    expect(chain.events).to.deep.equal(['infinium.run.abandoned']);
    expect(chain.attributes['output.value']).to.equal(report.result.text);
    // LlamaIndex's own stream wrapper (@llamaindex/core wrapEventCaller's asyncGeneratorWrapper) never calls
    // return() on the model's stream: the openai Stream ends its span when it is garbage-collected (the
    // fixture collects before it reports).
    expect(report.stillOpen).to.deep.equal([]);
    const llm = named(spans, 'chat gpt-4o-mini');
    expect(llm.parentSpanId).to.equal(chain.spanId);
    expect(llm.status).to.equal(SpanStatusCode.UNSET);
    expect(llm.events).to.deep.equal(['infinium.stream.abandoned']);
  });

  it('a stream the app drops after one part (no return()): the CHAIN ends as abandoned when the stream is collected', async () => {
    const report = await runApp('llamaindex-app.cjs', 'chat-dropped');
    expect(report.result).to.deep.equal({ text: 'Infinium ' });
    expect(report.stillOpen).to.deep.equal([]);
    const chain = named(appTrace(report), 'ContextChatEngine');
    expect(chain.status).to.equal(SpanStatusCode.UNSET);
    expect(chain.events).to.deep.equal(['infinium.run.abandoned']);
    expect(chain.attributes['output.value']).to.equal('Infinium ');
  });

  it('an app\'s engine class that overrides chat() and calls super.chat(): one CHAIN, named by the app\'s class', async () => {
    const report = await runApp('llamaindex-app.cjs', 'chat-subclass');
    expect(report.result).to.deep.equal({ text: 'Infinium traces calls.' });
    expect(report.stillOpen).to.deep.equal([]);
    expect(links(appTrace(report))).to.deep.equal([
      'embeddings text-embedding-3-small EMBEDDING <- VectorIndexRetriever',
      'VectorIndexRetriever RETRIEVER <- LoggingChatEngine',
      'chat gpt-4o-mini LLM <- LoggingChatEngine',
      'LoggingChatEngine CHAIN <- app',
      'app - <- root',
    ]);
  });

  it('a failed model call: the LLM span and the CHAIN fail with the SDK error, the app gets it unchanged', async () => {
    const report = await runApp('llamaindex-app.cjs', 'error');
    expect(report.result).to.deep.equal({ error: 'BadRequestError: 400' });
    expect(report.stillOpen).to.deep.equal([]);
    const spans = appTrace(report);
    expect(links(spans)).to.deep.equal(QUERY_TREE);
    for (const name of ['chat gpt-4o-mini', 'RetrieverQueryEngine']) {
      expect(named(spans, name).status, name).to.equal(SpanStatusCode.ERROR);
      expect(named(spans, name).attributes['error.type'], name).to.equal('BadRequestError');
    }
    expect(named(spans, 'RetrieverQueryEngine').events).to.deep.equal(['exception']);
  });

  it('masking: OPENINFERENCE_HIDE_INPUTS/OUTPUTS redact the runs\' values and the documents\' content, not ids and scores', async () => {
    const report = await runApp('llamaindex-app.cjs', 'query', { OPENINFERENCE_HIDE_INPUTS: 'true', OPENINFERENCE_HIDE_OUTPUTS: 'true' });
    const spans = appTrace(report);
    expect(named(spans, 'RetrieverQueryEngine').attributes).to.deep.include({ 'input.value': '__REDACTED__', 'output.value': '__REDACTED__' });
    const retriever = named(spans, 'VectorIndexRetriever').attributes;
    expect(retriever).to.deep.include({
      'input.value': '__REDACTED__',
      'retrieval.documents.0.document.content': '__REDACTED__',
      'retrieval.documents.0.document.metadata': '__REDACTED__',
      'retrieval.documents.0.document.score': 1,
      'retrieval.documents.1.document.score': 0.6,
    });
    expect(retriever['retrieval.documents.0.document.id']).to.match(UUID);
    expect(JSON.stringify(spans.map((s) => s.attributes['input.value']))).not.to.contain(QUESTION);
  });

  it('concurrent queries (Promise.all): each CHAIN has its own RETRIEVER and LLM span', async () => {
    const report = await runApp('llamaindex-app.cjs', 'concurrent');
    const spans = appTrace(report);
    const chains = spans.filter((s) => s.name === 'RetrieverQueryEngine');
    expect(chains).to.have.length(2);
    for (const chain of chains) {
      const children = spans.filter((s) => s.parentSpanId === chain.spanId).map((s) => s.name).sort();
      expect(children).to.deep.equal(['VectorIndexRetriever', 'chat gpt-4o-mini']);
      const retriever = spans.find((s) => s.parentSpanId === chain.spanId && s.name === 'VectorIndexRetriever')!;
      expect(retriever.attributes['input.value']).to.equal(chain.attributes['input.value']);
    }
    expect(spans.filter((s) => s.attributes['openinference.span.kind'] === 'LLM')).to.have.length(2);
  });

  it('instrumentation.disable(): the same engine queried again makes no span of ours (LlamaIndex binds its methods per instance)', async () => {
    const report = await runApp('llamaindex-app.cjs', 'disabled');
    expect(report.result).to.deep.equal({ text: 'Infinium traces calls. | Infinium traces calls.' });
    expect(links(appTrace(report))).to.deep.equal([...QUERY_TREE.slice(0, 4), 'app after disable - <- app', 'app - <- root']);
  });

  it('Node 22+: the CommonJS app gets the in-thread hook at its first import(), and the same tree', async function () {
    const node = await node22();
    const report = await runApp('llamaindex-app.cjs', 'query', {}, node);
    expect(report.result).to.deep.equal({ text: 'Infinium traces calls.' });
    expect(links(appTrace(report))).to.deep.equal(QUERY_TREE);
  });

  it('an ESM app (import): the same tree from LlamaIndex\'s ESM build', async () => {
    const report: AppReport = await runApp('llamaindex-app.mjs', 'query');
    expect(report.result).to.deep.equal({ text: 'Infinium traces calls.' });
    expect(links(appTrace(report))).to.deep.equal(QUERY_TREE);
    expectDocuments(named(appTrace(report), 'VectorIndexRetriever'));
  });
});
