import { expect } from 'chai';
import { FrameworkAppCase, frameworkApp, installProblems, LINE_PINS, LineApp } from './line-apps';
import { run, Runtime } from './node-runtime';
import { appOutput } from './agents-apps';
import { ClientsFakes, startClientsFakes } from './clients-fakes';
import { ClientsRun, ClientSpan, expectClientsRun } from './clients-expectations';
import { expectViewerNeedsNode22, expectViewerTakesATrace } from './viewer-check';

/**
 * Issue 28's clients from the packed package, one app per OpenTelemetry line holding all of them: Claude on
 * Vertex AI and Bedrock, together-ai, Vertex AI Gemini (@google-cloud/vertexai), Replicate, Hugging Face,
 * Pinecone, Qdrant and Chroma, LlamaIndex.TS with @llamaindex/openai. The 2.x app is CommonJS on Node 20
 * (fixtures/clients-app.cjs), the 3.x app ESM on Node 22 (fixtures/clients-app.mjs, tracing by `--import`);
 * both make the calls of fixtures/clients/calls.cjs against the fakes this process starts (clients-fakes.ts).
 * Each app also checks the viewer of the packed package (`npx infinium-otel view`, viewer-check.ts): it
 * takes a trace on Node 22, and says in one line that it needs Node 22 on Node 20. Installed with
 * `--omit=optional` (an `.npmrc`): Chroma's optional native bindings serve only its embedded mode.
 */
const FIXTURES = ['clients-app.cjs', 'clients-app.mjs', 'clients/setup.cjs', 'clients/calls.cjs', 'clients/viewer-app.cjs'];

/** Issue 28's SDKs, pinned as the repository's devDependencies pin them. */
export const CLIENT_SDKS: Readonly<Record<string, string>> = {
  '@anthropic-ai/vertex-sdk': '1.1.5', '@anthropic-ai/bedrock-sdk': '1.2.1', 'together-ai': '0.52.0',
  '@google-cloud/vertexai': '1.12.0', replicate: '1.4.0', '@huggingface/inference': '4.13.30',
  '@pinecone-database/pinecone': '8.2.0', '@qdrant/js-client-rest': '1.18.0', chromadb: '3.5.0',
  llamaindex: '0.12.1', '@llamaindex/openai': '0.4.22',
};

export interface ClientsCase extends FrameworkAppCase {
  build: 'cjs' | 'esm';
}

export const CLIENTS_CASES: ClientsCase[] = [
  {
    key: 'clients: issue 28 SDKs app on the 2.x line (Node 20, CommonJS)', build: 'cjs', line: '2.x', tracing: 'sdk-trace-base',
    omitOptional: true, runtime: (_n22, n20) => n20, name: 'clients-2.x', dependencies: { ...LINE_PINS['2.x'], ...CLIENT_SDKS },
  },
  {
    key: 'clients: issue 28 SDKs app on the 3.x line (Node 22, ESM)', build: 'esm', line: '3.x', tracing: 'sdk-trace',
    omitOptional: true, runtime: (n22) => n22, name: 'clients-3.x', dependencies: { ...LINE_PINS['3.x'], ...CLIENT_SDKS },
  },
];

/** The app of `c`, installed with `omit=optional` (frameworkApp), the fixtures copied in. */
export function clientsApp(c: ClientsCase, runtime: Runtime, workDir: string, tarball: string): Promise<LineApp> {
  return frameworkApp(c, FIXTURES, runtime, workDir, tarball);
}

/** The mocha tests of one clients app: its install, its run against the fakes, the viewer. */
export function describeClientsApp(c: ClientsCase, app: () => LineApp): void {
  describe(c.key, () => {
    let fakes: ClientsFakes;
    before(async () => void (fakes = await startClientsFakes()));
    after(() => fakes?.stop());

    it('adding us to the app brought no peer problem', async () => {
      expect(await installProblems(app())).to.deep.equal([]);
    });

    const how = c.build === 'cjs' ? 'CommonJS (require)' : 'ESM (import, tracing loaded with --import)';
    it(`${how}: one span per request with exact names, kinds, systems, providers and tokens; stores as RETRIEVER; LlamaIndex CHAIN > RETRIEVER, LLM`, async () => {
      const args = c.build === 'cjs' ? ['clients-app.cjs'] : ['--import', './clients/setup.cjs', 'clients-app.mjs'];
      // Both conventions: the GenAI keys name each cloud's provider (gen_ai.provider.name) beside OpenInference's.
      const env = { ...fakes.env(), APP_TRACING: c.tracing, INFINIUM_SEMCONV: 'openinference,gen_ai', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };
      expectClientsRun(appOutput<ClientsRun, ClientSpan>(await run(app().runtime, args, app().dir, env)), fakes);
    });

    if (c.line === '3.x') {
      it('the viewer (npx infinium-otel view) takes the trace an app exports with the default OTLP exporter, lists it, and stops', async () => {
        await expectViewerTakesATrace(app(), fakes.env());
      });
    } else {
      it('the viewer on Node 20: one line saying it needs Node 22, exit code 1', async () => {
        await expectViewerNeedsNode22(app());
      });
    }
  });
}
