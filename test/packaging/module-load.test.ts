import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');

/**
 * What an app loads of ours at start-up (issue 27): nothing for the SDKs, conventions and features it does
 * not use. Each case is a fresh process that requires the built package as an app does (a NodeSDK with our
 * instrumentation and processor, then its one LLM SDK) and reports the modules it loaded. Modules, not time.
 */
const APP = `
const before = new Set(Object.keys(require.cache));
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace');
const { InfiniumInstrumentation, InfiniumSpanProcessor } = require('@infinium/otel');
const exporter = new InMemorySpanExporter();
const sdk = new NodeSDK({
  instrumentations: [new InfiniumInstrumentation()],
  spanProcessors: [new InfiniumSpanProcessor(), new SimpleSpanProcessor({ exporter })],
});
sdk.start();
(async () => {
  let llmSpans = 0;
  if (process.env.SDK === 'openai') {
    const OpenAI = require('openai');
    if (process.env.CALL === '1') {
      const body = JSON.stringify({ id: 'x', object: 'chat.completion', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] });
      const client = new OpenAI({ apiKey: 'sk-test', fetch: async () => new Response(body, { headers: { 'content-type': 'application/json' } }) });
      await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
      await require('@opentelemetry/api').trace.getTracerProvider().getDelegate().forceFlush();
      llmSpans = exporter.getFinishedSpans().filter((s) => s.attributes['openinference.span.kind'] === 'LLM').length;
    }
  }
  if (process.env.FOREIGN === '1') {
    // Another library's GenAI model call (as @opentelemetry/instrumentation-openai writes it).
    const span = require('@opentelemetry/api').trace.getTracer('other-genai-library').startSpan('chat m', { attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'm' } });
    span.end();
    await require('@opentelemetry/api').trace.getTracerProvider().getDelegate().forceFlush();
    llmSpans = exporter.getFinishedSpans().filter((s) => s.attributes['openinference.span.kind'] === 'LLM').length;
  }
  const dist = require('node:path').dirname(require.resolve('@infinium/otel')) + require('node:path').sep;
  const loaded = Object.keys(require.cache).filter((f) => !before.has(f));
  const ours = loaded.filter((f) => f.startsWith(dist)).map((f) => f.slice(dist.length).split(require('node:path').sep).join('/'));
  const others = loaded.filter((f) => !f.startsWith(dist));
  await sdk.shutdown();
  console.log(JSON.stringify({ ours, others, llmSpans }));
})();
`;

interface Loaded {
  ours: string[];
  others: string[];
  llmSpans: number;
}

async function appLoads(env: Record<string, string>): Promise<Loaded> {
  const { stdout } = await run(process.execPath, ['-e', APP], {
    cwd: ROOT,
    // No exporter may reach for the network; the metrics pipeline stays NodeSDK's default (a meter is registered).
    env: { ...process.env, ...env, OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Loaded;
}

const PROVIDERS = ['openai', 'anthropic', 'google', 'bedrock', 'cohere', 'mistral', 'groq', 'ollama'];

/** Each provider's patch code (its wrappers, and the adapters and stream code under them): loaded only once its SDK is patched. */
const PATCH_CODE: Readonly<Record<string, readonly string[]>> = {
  openai: ['providers/openai/wrappers.js'],
  anthropic: ['providers/anthropic/wrappers.js', 'providers/anthropic/stream-helper.js'],
  google: ['providers/google/genai.js', 'providers/google/generative-ai.js', 'providers/google/traced-method.js'],
  bedrock: ['providers/bedrock/send.js'],
  cohere: ['providers/cohere/operations.js', 'providers/cohere/traced-method.js'],
  mistral: ['providers/mistral/wrappers.js', 'providers/mistral/operations.js'],
  groq: ['providers/groq/operations.js', 'providers/groq/audio.js'],
  ollama: ['providers/ollama/wrappers.js', 'providers/ollama/operations.js'],
};

/** What every app loads of providers/: the provider names, and the AI SDK channel's subscription (its span code waits for a message). */
const LIGHT_PROVIDER_FILES = [
  'providers/types.js',
  'providers/ai-sdk/index.js',
  'providers/ai-sdk/channel.js',
  'providers/ai-sdk/integration.js',
  'providers/ai-sdk/context-storage.js',
];

/**
 * The definitions modules (index.js) loaded: each provider's loads at the first load of its package
 * (lib/instrumentation/deferred-definition.ts), MCP's at start (its CommonJS copies are hooked by path).
 */
function definitionsOf(loaded: Loaded): string[] {
  return loaded.ours.filter((file) => /^(providers|frameworks)\/[\w-]+\/index\.js$/.test(file)).sort();
}

/** The ESM loader hook's lists of package files, read when the hook is registered (in a CommonJS app, at start only where an ESM-only SDK is installed). */
const ESM_HOOK_FILE_LISTS = ['frameworks/langchain/files.js', 'providers/anthropic/files.js', 'providers/huggingface/files.js'];

/**
 * What the span processor reads other libraries' AI spans with (GenAI spans, the AI SDK's own): the mappers,
 * their readers and the AI SDK stream-span watch. Loaded at the first such span (lib/processor/ai-spans.ts).
 */
const PROCESSOR_AI_SPAN_CODE = [
  'processor/genai-mapper.js',
  'processor/genai-messages.js',
  'processor/ai-sdk-mapper.js',
  'record/ai-sdk-shapes.js',
  'providers/ai-sdk/sdk-stream-spans.js',
  'providers/ai-sdk/embed-operations.js',
  'providers/ai-sdk/fetch-requests.js',
  'providers/ai-sdk/abort.js',
];

function aiSpanCodeOf(loaded: Loaded): string[] {
  return loaded.ours.filter((file) => PROCESSOR_AI_SPAN_CODE.includes(file));
}

/** The GenAI span conventions (chosen with INFINIUM_SEMCONV / the `semconv` option). */
const GENAI_SPAN_CODE = ['semconv/genai-render.js', 'semconv/genai-parts.js', 'semconv/render-run-genai.js'];

function patchCodeOf(loaded: Loaded, provider: string): string[] {
  return loaded.ours.filter((file) => PATCH_CODE[provider].includes(file));
}

function frameworkFiles(loaded: Loaded): string[] {
  return loaded.ours.filter((file) => file.startsWith('frameworks/'));
}

function packagesLoaded(loaded: Loaded, name: string): string[] {
  return loaded.others.filter((file) => file.includes(`${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`));
}

/** Frameworks keep their definitions (index.js) and where their files are (files.js); nothing else loads before their SDK. */
function expectNoFrameworkCode(loaded: Loaded): void {
  expect(frameworkFiles(loaded).filter((file) => !/^frameworks\/[\w-]+\/(index|files)\.js$/.test(file))).to.deep.equal([]);
}

function expectNoConventionsUnused(loaded: Loaded): void {
  expect(loaded.ours.filter((file) => GENAI_SPAN_CODE.includes(file))).to.deep.equal([]);
  // Neither semantic-convention package is ours to load: the OpenInference keys and error.type are spelled
  // out (test/semconv/attribute-constants.test.ts), and so are the GenAI keys.
  expect(packagesLoaded(loaded, '@arizeai/openinference-semantic-conventions')).to.deep.equal([]);
  expect(loaded.others.filter((file) => /semantic-conventions.*(incubating|experimental)/.test(file))).to.deep.equal([]);
}

function expectNoViewer(loaded: Loaded): void {
  expect(loaded.ours.filter((file) => file.startsWith('exporter/') || /viewer/.test(file))).to.deep.equal([]);
  // protobufjs is a dependency for the viewer's OTLP decoder alone: an app never pays for loading it.
  expect(packagesLoaded(loaded, 'protobufjs')).to.deep.equal([]);
}

describe('modules an app loads at start-up (fresh process each)', function () {
  this.timeout(120_000);
  let none: Loaded;
  let openai: Loaded;
  let openaiCall: Loaded;
  let foreign: Loaded;
  let openaiNamed: Loaded;
  let noHook: Loaded;

  before(async () => {
    if (!existsSync(path.join(ROOT, 'dist', 'index.js'))) await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
    [none, openai, openaiCall, foreign, openaiNamed, noHook] = await Promise.all([
      appLoads({ SDK: 'none' }),
      appLoads({ SDK: 'openai' }),
      appLoads({ SDK: 'openai', CALL: '1' }),
      appLoads({ SDK: 'none', FOREIGN: '1' }),
      appLoads({ SDK: 'openai', CALL: '1', INFINIUM_INSTRUMENTATIONS: 'openai' }),
      appLoads({ SDK: 'openai', INFINIUM_ESM_HOOK: 'false' }),
    ]);
  });

  describe('NodeSDK and no LLM SDK', () => {
    it('loads no provider\'s definitions or patch code (MCP\'s definitions alone)', () => {
      for (const provider of PROVIDERS) expect(patchCodeOf(none, provider), provider).to.deep.equal([]);
      expect(definitionsOf(none)).to.deep.equal(['frameworks/mcp/index.js', 'providers/ai-sdk/index.js']);
      expect(none.ours).to.include.members(LIGHT_PROVIDER_FILES);
      expect(none.ours).to.not.include('providers/ai-sdk/channel-runs.js');
    });

    it('loads the ESM loader hook\'s lists of package files only where the hook is registered', () => {
      // This repository has an ESM-only SDK installed (the Claude Agent SDK): a CommonJS app here gets the hook at start.
      expect(none.ours).to.include.members(ESM_HOOK_FILE_LISTS);
      expect(noHook.ours.filter((file) => ESM_HOOK_FILE_LISTS.includes(file))).to.deep.equal([]);
      expect(definitionsOf(noHook)).to.deep.equal(definitionsOf(openai));
    });

    it('loads no framework\'s code, no GenAI conventions, no semantic-convention package, no exporter', () => {
      expectNoFrameworkCode(none);
      expectNoConventionsUnused(none);
      expect(none.ours.filter((file) => /^semconv\/genai-(keys|metrics)\.js$/.test(file))).to.deep.equal([]);
      expectNoViewer(none);
    });

    it('loads none of the processor\'s code for other libraries\' AI spans until such a span passes', () => {
      expect(aiSpanCodeOf(none)).to.deep.equal([]);
      // Another library's GenAI call: the code loads, and the span is converted (an LLM span).
      expect(foreign.llmSpans).to.equal(1);
      expect(aiSpanCodeOf(foreign)).to.have.members(PROCESSOR_AI_SPAN_CODE);
    });

    it('loads no price table (it loads at the first model call)', () => {
      expect(packagesLoaded(none, '@pydantic/genai-prices')).to.deep.equal([]);
    });
  });

  describe('NodeSDK and openai', () => {
    it('loads openai\'s definitions and patch code when openai is required, and no other provider\'s', () => {
      expect(definitionsOf(openai)).to.deep.equal(['frameworks/mcp/index.js', 'providers/ai-sdk/index.js', 'providers/openai/index.js']);
      expect(patchCodeOf(openai, 'openai')).to.deep.equal(PATCH_CODE.openai);
      for (const provider of PROVIDERS.filter((p) => p !== 'openai')) expect(patchCodeOf(openai, provider), provider).to.deep.equal([]);
      expect(openai.ours).to.not.include('providers/ai-sdk/channel-runs.js');
    });

    it('loads no framework\'s code, no GenAI conventions, no semantic-convention package, no exporter', () => {
      expectNoFrameworkCode(openai);
      expectNoConventionsUnused(openai);
      expect(openai.ours.filter((file) => /^semconv\/genai-(keys|metrics)\.js$/.test(file))).to.deep.equal([]);
      expectNoViewer(openai);
    });

    it('after one traced chat call: still no other provider\'s patch code, no GenAI span conventions; the metrics NodeSDK\'s default meter asks for load', () => {
      expect(openaiCall.llmSpans).to.equal(1);
      for (const provider of PROVIDERS.filter((p) => p !== 'openai')) expect(patchCodeOf(openaiCall, provider), provider).to.deep.equal([]);
      expectNoFrameworkCode(openaiCall);
      expectNoConventionsUnused(openaiCall);
      expectNoViewer(openaiCall);
      // NodeSDK registers a meter by default: the GenAI client metrics are made at the first call (their
      // keys spelled out; the span renderer stays unloaded).
      expect(openaiCall.ours).to.include.members(['semconv/genai-metrics.js', 'semconv/genai-keys.js']);
      // Our own LLM span is rendered by us: the processor's readers of other libraries' AI spans stay unloaded.
      expect(aiSpanCodeOf(openaiCall)).to.deep.equal([]);
    });

    // The processor's Mastra mapper (which reads messages with OpenAI's, Anthropic's and Gemini's readers) loads
    // at Mastra's first span only (lib/processor/foreign-runs.ts).
    it('loads nothing else of any other provider (its readers included) than its definitions', () => {
      // Beside openai's own files, the stainless SDKs' shared code, the helper its definitions load patch code
      // with, and the ESM hook's lists of Anthropic's and Hugging Face's files.
      const expected = [...LIGHT_PROVIDER_FILES, ...ESM_HOOK_FILE_LISTS, 'providers/lazy-load.js'];
      const otherProviderFiles = (loaded: Loaded) =>
        loaded.ours.filter((file) => file.startsWith('providers/') && !expected.includes(file) && !file.startsWith('providers/openai/') && !file.startsWith('providers/stainless/'));
      expect(otherProviderFiles(openai)).to.deep.equal([]);
      expect(none.ours.filter((file) => file.startsWith('providers/') && !expected.includes(file))).to.deep.equal([]);
    });
  });

  describe('NodeSDK and openai, named as the one provider (INFINIUM_INSTRUMENTATIONS=openai)', () => {
    it('spares MCP\'s definitions, the only ones loaded at start, and still traces the call', () => {
      expect(openaiNamed.llmSpans).to.equal(1);
      // The AI SDK's channel is not a provider to name: it subscribes in every app (nothing runs until `ai` publishes).
      expect(definitionsOf(openaiNamed)).to.deep.equal(['providers/ai-sdk/index.js', 'providers/openai/index.js']);
      expect(openaiCall.ours.filter((file) => !openaiNamed.ours.includes(file)).sort()).to.deep.equal(['frameworks/mcp/index.js']);
      expect(openaiNamed.ours.filter((file) => !openaiCall.ours.includes(file))).to.deep.equal([]);
    });
  });

  describe('the exporters, lazy exports of the entry', () => {
    it('a CommonJS app loads them when it first reads them, not with the package', async () => {
      const script = `
        const m = require('@infinium/otel');
        const loaded = () => Object.keys(require.cache).filter((f) => /[\\\\/]dist[\\\\/]exporter[\\\\/]/.test(f)).length;
        const atRequire = loaded();
        const names = Object.keys(m).filter((k) => k.endsWith('Exporter')).sort();
        const afterKeys = loaded();
        const kinds = [typeof m.TreeSpanExporter, typeof m.InfiniumOTelExporter];
        console.log(JSON.stringify({ atRequire, names, afterKeys, kinds, afterRead: loaded(), same: m.TreeSpanExporter === require('@infinium/otel').TreeSpanExporter }));`;
      const { stdout } = await run(process.execPath, ['-e', script], { cwd: ROOT });
      expect(JSON.parse(stdout)).to.deep.equal({
        atRequire: 0, names: ['InfiniumOTelExporter', 'TreeSpanExporter'], afterKeys: 0, kinds: ['function', 'function'], afterRead: 3, same: true,
      });
    });

    it('an ESM app imports them by name', async () => {
      const script = "import { TreeSpanExporter, InfiniumOTelExporter, InfiniumInstrumentation } from '@infinium/otel'; " +
        'console.log(JSON.stringify([typeof TreeSpanExporter, typeof InfiniumOTelExporter, typeof InfiniumInstrumentation]));';
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
      expect(JSON.parse(stdout)).to.deep.equal(['function', 'function', 'function']);
    });
  });

  describe('the register entry', () => {
    it('--require @infinium/otel/register loads none of the viewer and no protobufjs', async () => {
      const script = `
        const files = Object.keys(require.cache);
        console.log(JSON.stringify({
          viewer: files.filter((f) => /[\\\\/]dist[\\\\/]viewer[\\\\/]/.test(f)).length,
          protobufjs: files.filter((f) => /[\\\\/]node_modules[\\\\/]protobufjs[\\\\/]/.test(f)).length,
          register: files.some((f) => /[\\\\/]dist[\\\\/]register\\.js$/.test(f)),
        }));`;
      const { stdout } = await run(process.execPath, ['--require', '@infinium/otel/register', '-e', script], {
        cwd: ROOT,
        env: { ...process.env, OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
      });
      expect(JSON.parse(stdout.trim().split('\n').pop()!)).to.deep.equal({ viewer: 0, protobufjs: 0, register: true });
    });
  });
});
