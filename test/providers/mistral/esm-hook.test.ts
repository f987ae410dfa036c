import { expect } from 'chai';
import path from 'node:path';
import { SpanStatusCode } from '@opentelemetry/api';
import { ensureBuilt, runChildApp } from '../../helpers/child-app';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { groqCompletion } from '../groq/fixtures';
import { chatResponse as ollamaChat } from '../ollama/fake-ollama';
import { chatResponse, chatStream, embeddingsResponse, fimResponse } from './fixtures';

interface ChildSpan {
  name: string;
  scope: string;
  status: number;
  attributes: Record<string, unknown>;
}

/**
 * The real ESM path, in a child process running the built package: `@mistralai/mistralai` 2.x is
 * ESM-only, so its classes are reached only through import-in-the-middle's hook on its internal files.
 */
describe('Mistral 2.x, Groq and Ollama in an ESM app (import-in-the-middle hook, child process)', function () {
  this.timeout(120_000);
  let server: FakeLlmServer;

  before(async () => {
    await ensureBuilt(path.join('dist', 'providers', 'mistral', 'index.js'));
    server = await startFakeLlmServer();
    server.handle((request) => {
      if (request.path === '/v1/chat/completions') return request.body?.stream ? { sse: chatStream() } : { json: chatResponse() };
      if (request.path === '/v1/embeddings') return { json: embeddingsResponse() };
      if (request.path === '/v1/fim/completions') return { json: fimResponse() };
      if (request.path === '/openai/v1/chat/completions') return { json: groqCompletion() };
      if (request.path === '/api/chat') return { json: ollamaChat() };
      return { status: 404, json: { error: `unexpected ${request.path}` } };
    });
  });
  after(() => server.stop());

  async function runApp(): Promise<ChildSpan[]> {
    const { report } = await runChildApp<{ results: unknown; spans: ChildSpan[] }>(path.join(__dirname, 'esm-app.mjs'), {
      env: { FAKE_LLM_ORIGIN: server.origin },
      timeoutMs: 60_000,
    });
    expect(report.results).to.deep.equal({
      mistral: 'Bonjour !',
      mistralStreamed: 'Let me check.',
      mistralEmbeddings: 2,
      fim: '    return a + b',
      groq: 'Hello from Groq!',
      ollama: 'Hello from llama!',
    });
    return report.spans.filter((s) => s.scope === '@infinium/otel');
  }

  it('hooked: every call is one span with its provider, tokens and output', async () => {
    const spans = await runApp();
    expect(spans.map((s) => [s.name, s.status, s.attributes['llm.provider'], s.attributes['llm.token_count.total']])).to.deep.equal([
      ['chat mistral-small-latest', SpanStatusCode.OK, 'mistralai', 25],
      ['chat mistral-small-latest', SpanStatusCode.OK, 'mistralai', 43],
      ['embeddings mistral-embed', SpanStatusCode.OK, 'mistralai', 6],
      ['text_completion codestral-latest', SpanStatusCode.OK, 'mistralai', 25],
      ['chat llama-3.3-70b-versatile', SpanStatusCode.OK, 'groq', 27],
      ['chat llama3.2', SpanStatusCode.OK, 'ollama', 35],
    ]);
    expect(spans[1].attributes['llm.output_messages.0.message.content']).to.equal('Let me check.');
    expect(JSON.stringify(spans)).not.to.contain('sk-child');
  });
});
