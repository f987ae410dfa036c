import { expect } from 'chai';
import path from 'node:path';
import { SpanStatusCode } from '@opentelemetry/api';
import { ensureBuilt, runChildApp } from '../../helpers/child-app';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { HUGGINGFACE_ESM_FILES } from '../../../lib/providers/huggingface/files';
import { huggingFaceRoutes, providerMapping, tgiTokenStream } from './fixtures';

interface ChildSpan {
  name: string;
  scope: string;
  status: number;
  attributes: Record<string, unknown>;
}

/**
 * The ESM build in a child process running the built package: its task files are reached only through
 * import-in-the-middle's hook on them (they are imported by relative specifiers), and `InferenceClient`
 * builds its methods from that module, so functions and methods alike are traced, once each.
 */
describe('@huggingface/inference in an ESM app (import-in-the-middle hook, child process)', function () {
  this.timeout(120_000);
  let server: FakeLlmServer;

  before(async () => {
    await ensureBuilt(path.join('dist', 'providers', 'huggingface', 'wrappers.js'));
    server = await startFakeLlmServer();
    server.handle(
      huggingFaceRoutes((r) => {
        if (r.path === '/pipeline/feature-extraction') return { json: [0.125, -0.5, 0.75] };
        if (r.path.startsWith('/api/models/gpt2')) return { json: providerMapping('gpt2', 'novita', 'gpt2', 'text-generation') };
        return r.path.startsWith('/novita/') ? { sse: tgiTokenStream() } : undefined;
      }),
    );
  });
  after(() => server.stop());

  async function runApp(env: Record<string, string> = {}): Promise<ChildSpan[]> {
    const { report } = await runChildApp<{ results: unknown; spans: ChildSpan[] }>(path.join(__dirname, 'esm-app.mjs'), {
      env: { FAKE_LLM_ORIGIN: server.origin, ...env },
      timeoutMs: 60_000,
    });
    expect(report.results).to.deep.equal({
      chat: 'Hello from Llama!',
      clientChat: 'Hello from Llama!',
      streamed: 'Let me check.',
      generated: ' a quick brown fox.',
      autoStreamed: 'Paris.',
      dimensions: 3,
      restored: true,
      rewrapped: true,
      again: 'Hello from Llama!',
    });
    return report.spans.filter((s) => s.scope === '@infinium/otel');
  }

  const expected = [
    ['chat tgi', SpanStatusCode.OK, 'hf-inference', 27],
    ['chat tgi', SpanStatusCode.OK, 'hf-inference', 27],
    ['chat tgi', SpanStatusCode.OK, 'hf-inference', 43],
    ['text_completion tgi', SpanStatusCode.OK, 'hf-inference', 13],
    ['text_completion gpt2', SpanStatusCode.OK, 'novita', undefined],
    ['embeddings', SpanStatusCode.OK, 'hf-inference', undefined],
    ['chat tgi', SpanStatusCode.OK, 'hf-inference', 27],
  ];
  const summary = (spans: ChildSpan[]) => spans.map((s) => [s.name, s.status, s.attributes['llm.provider'], s.attributes['llm.token_count.total']]);

  // INFINIUM_ESM_HOOK=false: a second import-in-the-middle loader in the chain (ours) keeps the app's from wrapping
  // files that only the app's include list names.
  it("the app's own hook: every call one span (functions and client methods), none after disable(), again after enable()", async () => {
    const spans = await runApp({ INFINIUM_ESM_HOOK: 'false' });
    expect(summary(spans)).to.deep.equal(expected);
    expect(spans[2].attributes['llm.output_messages.0.message.content']).to.equal('Let me check.');
    expect(spans[4].attributes['llm.token_count.completion']).to.equal(3);
    expect(spans[5].attributes['embedding.embeddings.0.embedding.text']).to.equal('alpha');
  });

  it("no hook of the app's: the instrumentation's own loader hook patches the task files", async () => {
    // The loader's include list (lib/instrumentation/esm-loader-hook.ts) must name the task and request files.
    const { esmHookedFiles } = require('../../../lib/instrumentation/esm-loader-hook') as { esmHookedFiles(): readonly RegExp[] };
    expect(HUGGINGFACE_ESM_FILES.filter((file) => !esmHookedFiles().some((hooked) => String(hooked) === String(file)))).to.deep.equal([]);
    expect(summary(await runApp({ HF_OWN_HOOK: '0' }))).to.deep.equal(expected);
  });
});
