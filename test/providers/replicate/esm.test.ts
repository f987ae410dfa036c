import { expect } from 'chai';
import path from 'node:path';
import { SpanStatusCode } from '@opentelemetry/api';
import { runChildApp } from '../../helpers/child-app';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { generateContentResponse, sse, textStream } from '../google/fixtures';
import { prediction, running, textEvents } from './fixtures';

/**
 * The real ESM path for the Vertex AI and Replicate SDKs, in a child process running the built package
 * (build it first: `npx tsc -p tsconfig.build.json`): `import { VertexAI } from '@google-cloud/vertexai'`
 * and `import Replicate from 'replicate'`, each call one span.
 */
describe('@google-cloud/vertexai and replicate in an ESM app (import-in-the-middle hook, child process)', function () {
  this.timeout(120_000);
  let server: FakeLlmServer;

  before(async () => {
    server = await startFakeLlmServer();
    server.handle((request) => {
      if (request.path.endsWith(':generateContent')) return { json: generateContentResponse() };
      if (request.path.endsWith(':streamGenerateContent?alt=sse')) return sse(textStream());
      if (request.path.endsWith('/predictions')) return { json: request.headers.prefer ? prediction() : running('starting', server.origin) };
      if (request.path.startsWith('/v1/stream/')) return { sse: textEvents() };
      return { status: 404, json: { error: `unexpected ${request.path}` } };
    });
  });
  after(() => server.stop());

  it('every call is one span with its provider, model, tokens and output; disable() restores every method and accessor, enable() traces again', async () => {
    const { report } = await runChildApp<{ results: unknown; spans: Array<{ name: string; scope: string; status: number; attributes: Record<string, unknown> }> }>(
      path.join(__dirname, 'esm-app.mjs'),
      { env: { FAKE_LLM_ORIGIN: server.origin }, timeoutMs: 60_000 },
    );
    expect(report.results).to.deep.equal({ vertex: 'Hello there!', vertexStream: 'Once upon a time.', replicate: 'Hello there!', replicateStream: 'Once upon a time.' });
    const spans = report.spans.filter((s) => s.scope === '@infinium/otel');
    expect(spans.map((s) => [s.name, s.status, s.attributes['llm.provider'], s.attributes['llm.token_count.total'], s.attributes['output.value']])).to.deep.equal([
      ['generate_content gemini-2.0-flash', SpanStatusCode.OK, 'google', 17, 'Hello there!'],
      ['generate_content gemini-2.0-flash', SpanStatusCode.OK, 'google', 13, 'Once upon a time.'],
      ['generate_content meta/meta-llama-3-8b-instruct', SpanStatusCode.OK, 'replicate', 17, 'Hello there!'],
      ['generate_content meta/meta-llama-3-8b-instruct', SpanStatusCode.OK, 'replicate', undefined, 'Once upon a time.'],
    ]);
    const toggled = report as unknown as Record<'disabled' | 'reenabled', { patched: boolean[]; spans: number }>;
    expect(toggled.disabled).to.deep.equal({ patched: new Array(8).fill(false), ranWhileDisabled: 'Hello there!', spans: 0 });
    expect(toggled.reenabled).to.deep.equal({ patched: new Array(8).fill(true), spans: 2 });
    expect(JSON.stringify(spans)).not.to.contain('esm-token');
    expect(JSON.stringify(spans)).not.to.contain('r8_esm');
  });
});
