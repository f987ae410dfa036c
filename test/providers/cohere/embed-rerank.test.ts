import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { CohereClientV2 } from 'cohere-ai';
import type { InfiniumInstrumentation } from '../../../lib/instrumentation/instrumentation';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { useProviderSuite } from '../../helpers/provider-suite';
import { createTracing, llmSpans, stable } from '../../helpers/tracing';
import { chatResponse, CohereSdk, cohereClient, embedResponse, rerankResponse } from './fixtures';

const DOCUMENTS = ['Carson City is the capital of Nevada.', 'Saipan is the capital of the Northern Mariana Islands.', 'Washington, D.C. is the capital of the United States.'];

describe('cohere-ai v2: embed, rerank (RERANKER), masking and roll-up', () => {
  const tracing = createTracing([new InfiniumSpanProcessor({ serviceName: 'svc' })]);
  let instrumentation: InfiniumInstrumentation;
  let server: FakeLlmServer;
  let sdk: CohereSdk;
  let client: CohereClientV2;

  // cohere-ai is ~730 files: its first require, through every require hook of a full test run, is slow.
  const { onlySpan } = useProviderSuite(
    async (i) => {
      instrumentation = i;
      sdk = require('cohere-ai');
      server = await startFakeLlmServer();
      client = cohereClient(sdk, server.origin);
      return { server };
    },
    { tracing, resetConfig: true, setUpTimeoutMs: 60_000 },
  );
  after(() => instrumentation.setConfig({}));
  const rerank = () => client.rerank({ model: 'rerank-v3.5', query: 'What is the capital of the United States?', documents: DOCUMENTS, topN: 2 });

  it('embed: an EMBEDDING span with texts, float vectors and billed input tokens', async () => {
    server.reply({ json: embedResponse() });
    const response = await tracing.inParent('agent', () => client.embed({ model: 'embed-v4.0', texts: ['hello', 'world'], inputType: 'search_document', embeddingTypes: ['float'] }));
    expect(response.embeddings.float).to.deep.equal([[0.25, -0.5], [0.75, 1]]);
    const span = await onlySpan();
    expect(span.name).to.equal('embeddings embed-v4.0');
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'EMBEDDING',
      'llm.provider': 'cohere',
      'llm.system': 'cohere',
      'embedding.model_name': 'embed-v4.0',
      'llm.model': 'embed-v4.0',
      'llm.invocation_parameters': '{"model":"embed-v4.0","inputType":"search_document","embeddingTypes":["float"]}',
      'embedding.embeddings.0.embedding.text': 'hello',
      'embedding.embeddings.0.embedding.vector': [0.25, -0.5],
      'embedding.embeddings.1.embedding.text': 'world',
      'embedding.embeddings.1.embedding.vector': [0.75, 1],
      'input.value': '["hello","world"]',
      'input.mime_type': 'application/json',
      'llm.token_count.prompt': 4,
      'llm.prompt_tokens': 4,
      // embed-v4.0 at 0.12 per million input tokens: 4 × 0.12 / 1e6; an embedding has no completion.
      'llm.cost.prompt': 0.00000048,
      'llm.cost.completion': 0,
      'llm.cost.total': 0.00000048,
    });
    expect(server.requests.at(-1)!.path).to.equal('/v2/embed');
  });

  it('rerank: a RERANKER span with the query, top_k, input documents and scored output documents', async () => {
    server.reply({ json: rerankResponse() });
    const response = await tracing.inParent('agent', rerank);
    expect(response.results.map((r) => r.index)).to.deep.equal([2, 0]);
    const span = await onlySpan();
    expect(span.name).to.equal('rerank rerank-v3.5');
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'RERANKER',
      'llm.provider': 'cohere',
      'llm.system': 'cohere',
      'llm.invocation_parameters': '{"model":"rerank-v3.5"}',
      'reranker.model_name': 'rerank-v3.5',
      'reranker.query': 'What is the capital of the United States?',
      'reranker.top_k': 2,
      'reranker.input_documents.0.document.id': '0',
      'reranker.input_documents.0.document.content': DOCUMENTS[0],
      'reranker.input_documents.1.document.id': '1',
      'reranker.input_documents.1.document.content': DOCUMENTS[1],
      'reranker.input_documents.2.document.id': '2',
      'reranker.input_documents.2.document.content': DOCUMENTS[2],
      'reranker.output_documents.0.document.id': '2',
      'reranker.output_documents.0.document.content': DOCUMENTS[2],
      'reranker.output_documents.0.document.score': 0.98,
      'reranker.output_documents.1.document.id': '0',
      'reranker.output_documents.1.document.content': DOCUMENTS[0],
      'reranker.output_documents.1.document.score': 0.12,
      'input.value': 'What is the capital of the United States?',
      'input.mime_type': 'text/plain',
    });
    expect(server.requests.at(-1)!.path).to.equal('/v2/rerank');
  });

  it('rerank error: ERROR with the SDK error class', async () => {
    server.reply({ status: 400, json: { message: 'invalid request: documents must not be empty' } });
    const error = await client.rerank({ model: 'rerank-v3.5', query: 'q', documents: [] }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(sdk.Cohere.BadRequestError);
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).to.equal('BadRequestError');
  });

  it('masking: hideInputs redacts the query and input documents, hideOutputs the output documents; scores and ids stay', async () => {
    instrumentation.setConfig({ hideInputs: true, hideOutputs: true });
    server.reply({ json: rerankResponse() });
    await rerank();
    const a = (await onlySpan()).attributes;
    expect(a).to.deep.include({
      'reranker.query': '__REDACTED__',
      'reranker.input_documents.0.document.content': '__REDACTED__',
      'reranker.input_documents.0.document.id': '0',
      'reranker.output_documents.0.document.content': '__REDACTED__',
      'reranker.output_documents.0.document.score': 0.98,
      'input.value': '__REDACTED__',
    });
    expect(JSON.stringify(a)).not.to.contain('capital');
  });

  it('masking: captureContent false redacts chat messages and rerank content alike', async () => {
    instrumentation.setConfig({ captureContent: false });
    server.reply({ json: rerankResponse() });
    await rerank();
    server.reply({ json: chatResponse() });
    await client.chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'my secret question' }] });
    const spans = llmSpans(await tracing.spans());
    const exported = JSON.stringify(spans.map((s) => s.attributes));
    expect(exported).not.to.contain('capital');
    expect(exported).not.to.contain('my secret question');
    expect(spans[1].attributes['llm.input_messages.0.message.content']).to.equal('__REDACTED__');
  });

  it('the root counts the chat calls as LLM calls (embed and rerank are not LLM calls)', async () => {
    await tracing.inParent('agent', async () => {
      server.reply({ json: chatResponse() });
      await client.chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'a' }] });
      server.reply({ status: 500, json: { message: 'boom' } });
      await client.chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'b' }] }).catch(() => undefined);
      server.reply({ json: rerankResponse() });
      await rerank();
      server.reply({ json: embedResponse() });
      await client.embed({ model: 'embed-v4.0', texts: ['hello', 'world'], inputType: 'search_document', embeddingTypes: ['float'] });
    });
    const spans = await tracing.spans();
    expect(llmSpans(spans).map((s) => s.attributes['openinference.span.kind'])).to.deep.equal(['LLM', 'LLM', 'RERANKER', 'EMBEDDING']);
    expect(spans.find((s) => s.name === 'agent')!.attributes['infinium.llm_call_count']).to.equal(2);
  });

  it('CohereClient#v2 (the v1 client) is traced through the same V2Client', async () => {
    const v1 = new sdk.CohereClient({ token: 'sk-test', environment: server.origin, maxRetries: 0 });
    server.reply({ json: rerankResponse() });
    await v1.v2.rerank({ model: 'rerank-v3.5', query: 'q', documents: DOCUMENTS });
    expect((await onlySpan()).attributes['openinference.span.kind']).to.equal('RERANKER');
  });
});
