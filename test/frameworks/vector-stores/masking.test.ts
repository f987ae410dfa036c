import { expect } from 'chai';
import type { InfiniumInstrumentationConfig } from '../../../lib/instrumentation/types';
import { maskAttribute } from '../../../lib/masking/mask';
import { resolveTraceConfig } from '../../../lib/masking/trace-config';
import { runChildApp } from '../../helpers/child-app';
import { createTracing, llmSpans, useInstrumentation } from '../../helpers/tracing';
import { FakeStores } from './fake-stores';

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

describe('vector stores: masking and start-up cost', () => {
  const tracing = createTracing();
  let server: FakeStores;
  let collection: any;

  before(async () => {
    useInstrumentation(tracing);
    const { ChromaClient } = require('chromadb');
    server = await new FakeStores().start();
    const client = new ChromaClient({ host: '127.0.0.1', port: Number(new URL(server.origin).port), tenant: 't1', database: 'd1' });
    collection = await client.getCollection({ name: 'notes', embeddingFunction: { generate: async (texts: string[]) => texts.map(() => [1, 2, 3]) } });
  });
  after(() => server.stop());

  async function queryWith(config: InfiniumInstrumentationConfig): Promise<Record<string, unknown>> {
    const { instrumentation } = useInstrumentation(tracing);
    instrumentation.setConfig(config);
    tracing.reset();
    await collection.query({ queryTexts: ['secret question'], nResults: 2 });
    const [span] = llmSpans(await tracing.spans());
    return span.attributes;
  }

  it('hideInputs redacts the query text; hideOutputs the documents\' content and metadata; ids, scores and db keys stay', async () => {
    const attributes = await queryWith({ hideInputs: true, hideOutputs: true });
    expect(attributes['input.value']).to.equal('__REDACTED__');
    expect(attributes['retrieval.documents.0.document.content']).to.equal('__REDACTED__');
    expect(attributes['retrieval.documents.0.document.metadata']).to.equal('__REDACTED__');
    expect(attributes['retrieval.documents.0.document.id']).to.equal('c1');
    expect(attributes['retrieval.documents.0.document.score']).to.equal(0.12);
    expect(attributes).to.include({ 'db.system.name': 'chroma', 'db.collection.name': 'notes', 'db.response.returned_rows': 2 });
  });

  it('captureContent: false hides the same content; the default keeps it', async () => {
    const hidden = await queryWith({ captureContent: false });
    expect(hidden['input.value']).to.equal('__REDACTED__');
    expect(hidden['retrieval.documents.1.document.content']).to.equal('__REDACTED__');
    const shown = await queryWith({});
    expect(shown['input.value']).to.equal('secret question');
    expect(shown['retrieval.documents.1.document.content']).to.equal('Embeddings live here.');
  });

  it('every masking setting: each key as the masking table says (db keys, ids and scores untouched), the query vector never', async () => {
    const shown = await queryWith({});
    const settings: InfiniumInstrumentationConfig[] = [
      { captureContent: false }, { hideInputs: true }, { hideOutputs: true }, { hideInputMessages: true }, { hideOutputMessages: true },
      { hideInputImages: true }, { hideInputText: true }, { hideOutputText: true }, { hideLlmTools: true },
      { hideLlmInvocationParameters: true }, { hidePrompts: true }, { hideChoices: true }, { hideEmbeddingsVectors: true }, { hideEmbeddingsText: true },
    ];
    for (const setting of settings) {
      const config = resolveTraceConfig(setting, {});
      const expected: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(shown)) {
        const masked = maskAttribute(config, key, value as never);
        if (masked !== undefined) expected[key] = masked;
      }
      // The run renderer writes no mime type beside a redacted value (render-run.ts putContentValue).
      if (expected['input.value'] === '__REDACTED__') delete expected['input.mime_type'];
      const attributes = await queryWith(setting);
      expect(attributes, JSON.stringify(setting)).to.deep.equal(expected);
      expect(JSON.stringify(attributes)).to.not.match(/\[1,2,3\]/);
      expect(attributes).to.include({ 'db.system.name': 'chroma', 'db.collection.name': 'notes', 'retrieval.documents.0.document.id': 'c1', 'retrieval.documents.0.document.score': 0.12 });
    }
  });

  it('an app that loads no vector store loads none of the stores\' code, not even their definitions; loading one loads them all', async function () {
    this.timeout(60_000);
    const app = `
      const ours = () => Object.keys(require.cache).filter((f) => f.includes('/lib/frameworks/vector-stores/')).map((f) => f.split('/').pop()).sort();
      const { InfiniumInstrumentation } = require('./lib/instrumentation/instrumentation');
      new InfiniumInstrumentation();
      const before = ours();
      require('@qdrant/js-client-rest');
      console.log(JSON.stringify({ before, after: ours() }));`;
    // `node --import tsx -e <app>`: the app's source stands where a script would.
    const { before, after } = (await runChildApp<{ before: string[]; after: string[] }>(app, { nodeArgs: ['--import', 'tsx', '-e'] })).report;
    expect(before).to.deep.equal([]);
    expect(after).to.deep.equal(['chroma-search.ts', 'chroma.ts', 'index.ts', 'patches.ts', 'pinecone-documents.ts', 'pinecone.ts', 'qdrant.ts', 'shapes.ts', 'store-span.ts']);
  });
});
