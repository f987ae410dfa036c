import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, llmSpans, useInstrumentation } from '../../helpers/tracing';
import { API_KEY } from './client';
import { message, textStream } from './fixtures';

type Unwrappable = { __unwrap?: () => void };

/**
 * The ESM build (index.mjs) has its own copy of every class. `manuallyInstrument` (what a bundled app
 * calls, and what the import hook does) gets the module namespace; the patch must reach the classes
 * through its `default` export.
 */
describe('anthropic ESM namespace', () => {
  let server: FakeLlmServer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let ns: any;
  const tracing = createTracing();

  before(async () => {
    const { instrumentation } = useInstrumentation(tracing);
    ns = await import('@anthropic-ai/sdk');
    instrumentation.manuallyInstrument(ns);
    server = await startFakeLlmServer();
  });
  after(async () => {
    // Leave the ESM copy as it was for the rest of the run.
    for (const resource of [ns.default.Messages, ns.default.Beta.Messages]) {
      for (const method of ['create', 'stream']) (resource.prototype[method] as Unwrappable).__unwrap?.();
    }
    await server.stop();
  });
  beforeEach(() => tracing.reset());

  it('is a real ESM namespace, distinct from the CommonJS module', () => {
    expect(ns[Symbol.toStringTag]).to.equal('Module');
    expect(ns.default.Messages).to.not.equal(require('@anthropic-ai/sdk').Anthropic.Messages);
  });

  for (const exportName of ['default', 'Anthropic']) {
    it(`traces messages.create and messages.stream() on a client from the \`${exportName}\` export`, async () => {
      const client = new ns[exportName]({ apiKey: API_KEY, baseURL: 'https://api.anthropic.com', fetch: server.fetch, maxRetries: 0, openTelemetry: false });
      const request = { model: 'claude-sonnet-4-6', max_tokens: 8, messages: [{ role: 'user', content: 'Hi' }] };
      server.reply({ json: message() });
      await client.messages.create(request);
      server.reply({ sse: textStream() });
      await client.messages.stream(request).finalMessage();
      const spans = llmSpans(await tracing.spans());
      expect(spans.map((s) => [s.name, s.status.code, s.attributes['llm.token_count.prompt']])).to.deep.equal([
        ['chat claude-sonnet-4-6', SpanStatusCode.OK, 312],
        ['chat claude-sonnet-4-6', SpanStatusCode.OK, 7],
      ]);
    });
  }
});
