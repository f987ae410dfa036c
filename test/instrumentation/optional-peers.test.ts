import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The LLM SDKs are optional peers: the package must load, and instrument what is there, when some or all
 * of them are missing. A child process hides the SDKs from `require` before loading the built package.
 */
const APP = `
const Module = require('node:module');
const hidden = new Set(JSON.parse(process.env.HIDDEN));
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (hidden.has(request)) { const e = new Error('Cannot find module ' + request); e.code = 'MODULE_NOT_FOUND'; throw e; }
  return resolve.call(this, request, ...rest);
};
const { context } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace');
const { InfiniumInstrumentation, InfiniumSpanProcessor } = require('@infinium/otel');
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new InfiniumSpanProcessor(), new SimpleSpanProcessor({ exporter })] });
const instrumentation = new InfiniumInstrumentation();
instrumentation.setTracerProvider(provider);
(async () => {
  const loaded = [];
  for (const name of ['openai', '@anthropic-ai/sdk', '@google/genai', '@google/generative-ai']) {
    try { require(name); loaded.push(name); } catch (e) { if (e.code !== 'MODULE_NOT_FOUND') throw e; }
  }
  let spans = 0;
  if (loaded.includes('openai')) {
    const OpenAI = require('openai');
    const body = JSON.stringify({ id: 'x', object: 'chat.completion', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] });
    const client = new OpenAI({ apiKey: 'sk-test-secret-123', fetch: async () => new Response(body, { headers: { 'content-type': 'application/json' } }) });
    await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    await provider.forceFlush();
    spans = exporter.getFinishedSpans().filter((s) => s.attributes['openinference.span.kind'] === 'LLM').length;
  }
  console.log(JSON.stringify({ loaded, spans }));
})();
`;

async function runWithHidden(hidden: string[]): Promise<{ loaded: string[]; spans: number }> {
  const { stdout } = await run(process.execPath, ['-e', APP], { cwd: ROOT, env: { ...process.env, HIDDEN: JSON.stringify(hidden) } });
  return JSON.parse(stdout.trim());
}

describe('optional SDK peers', () => {
  before(async function () {
    this.timeout(120_000);
    if (!existsSync(path.join(ROOT, 'dist', 'index.js'))) await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
  });

  it('loads with none of the LLM SDKs installed', async () => {
    expect(await runWithHidden(['openai', '@anthropic-ai/sdk', '@google/genai', '@google/generative-ai'])).to.deep.equal({ loaded: [], spans: 0 });
  });

  it('traces OpenAI when only openai is installed', async () => {
    expect(await runWithHidden(['@anthropic-ai/sdk', '@google/genai', '@google/generative-ai'])).to.deep.equal({ loaded: ['openai'], spans: 1 });
  });
});
