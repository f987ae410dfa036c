import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type OpenAIType from 'openai';
import type { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, llmSpans, useInstrumentation } from '../helpers/tracing';
import { chatCompletion, chatStream } from '../providers/openai/fixtures';
import { anthropicClient, loadAnthropic } from '../providers/anthropic/client';
import { message as anthropicMessage, textStream as anthropicTextStream } from '../providers/anthropic/fixtures';
import { API_KEY as GOOGLE_KEY, generateContentResponse, sse as geminiSse, textStream as geminiTextStream } from '../providers/google/fixtures';
import { collectUntil, Outcome, RejectionSpy, sameWithAndWithout } from './harness';

/**
 * Faults, through the real SDKs and the fake server. Every case runs twice, with our instrumentation and
 * with it disabled: the app must get exactly the same value or error, our span must end with the right
 * status, and nothing may leave an unhandled rejection.
 */
describe('reliability: faults', () => {
  const tracing = createTracing();
  const rejections = new RejectionSpy();
  let instrumentation: InfiniumInstrumentation;
  let server: FakeLlmServer;
  let OpenAI: typeof OpenAIType;

  before(async () => {
    ({ instrumentation } = useInstrumentation(tracing));
    OpenAI = require('openai').OpenAI;
    server = await startFakeLlmServer();
  });
  after(() => server.stop());
  beforeEach(() => rejections.install());
  afterEach(() => rejections.check());

  const openai = (fetch: typeof globalThis.fetch = server.fetch) =>
    new OpenAI({ apiKey: 'sk-test-secret-123', baseURL: 'https://api.openai.com/v1', fetch, maxRetries: 0 });
  const request = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };
  const run = (scenario: () => Promise<unknown>, settle?: () => Promise<void>) => sameWithAndWithout(instrumentation, tracing, scenario, settle);

  /** Reads a stream to its end or its error, keeping the chunks read, as an app's `for await` would. */
  async function readStream(stream: AsyncIterable<unknown>, seen: unknown[]): Promise<unknown[]> {
    for await (const chunk of stream) seen.push(chunk);
    return seen;
  }

  function expectError(outcome: Outcome, type: string): void {
    expect(outcome).to.have.property('error').that.has.property('type', type);
  }

  describe('openai chat', () => {
    it('connection dropped mid-stream: same chunks and error; span ERROR with the chunks read', async () => {
      server.reply({ sse: chatStream(), dropAfter: 3 });
      let seen: unknown[] = [];
      const { outcome, spans } = await run(async () => {
        seen = [];
        const stream = await openai().chat.completions.create({ ...request, stream: true });
        return readStream(stream, seen);
      });
      expect(seen).to.have.length(3);
      expect(outcome).to.have.property('error');
      expect(spans).to.have.length(1);
      expect(spans[0].status.code).to.equal(SpanStatusCode.ERROR);
      expect(spans[0].attributes['error.type']).to.equal((outcome as { error: { type: string } }).error.type);
      expect(spans[0].attributes['llm.output_messages.0.message.content']).to.equal('Let me check.');
    });

    it('stream abandoned after one chunk (break): same chunk; span ends, not an error, marked abandoned', async () => {
      server.reply({ sse: chatStream() });
      const { outcome, spans } = await run(async () => {
        const stream = await openai().chat.completions.create({ ...request, stream: true });
        for await (const chunk of stream) return chunk;
        return undefined;
      });
      expect(outcome).to.have.nested.property('value.id', 'chatcmpl-456');
      expect(spans).to.have.length(1);
      expect(spans[0].status.code).to.equal(SpanStatusCode.UNSET);
      expect(spans[0].events.map((e) => e.name)).to.deep.equal(['infinium.stream.abandoned']);
    });

    it('stream never read: the span still ends (abandoned) once the stream is collected', async function () {
      this.timeout(30_000);
      server.reply({ sse: chatStream() });
      const { outcome, spans } = await run(
        async () => {
          // The stream object is dropped here, never iterated.
          await openai().chat.completions.create({ ...request, stream: true });
          return 'dropped';
        },
        () => collectUntil(async () => llmSpans(await tracing.spans()).length > 0),
      );
      expect(outcome).to.deep.equal({ value: 'dropped' });
      expect(spans).to.have.length(1);
      expect(spans[0].status.code).to.equal(SpanStatusCode.UNSET);
      expect(spans[0].events.map((e) => e.name)).to.deep.equal(['infinium.stream.abandoned']);
    });

    it('response without choices: same object; span OK without output messages', async () => {
      server.reply({ json: { id: 'chatcmpl-x', object: 'chat.completion', model: 'gpt-4o-mini-2024-07-18' } });
      const { outcome, spans } = await run(() => openai().chat.completions.create(request));
      expect(outcome).to.have.nested.property('value.id', 'chatcmpl-x');
      expect(spans[0].status.code).to.equal(SpanStatusCode.OK);
      expect(Object.keys(spans[0].attributes).filter((k) => k.startsWith('llm.output_messages'))).to.deep.equal([]);
    });

    it('usage with strings and a null model: same object; no token counts, the request model is used', async () => {
      server.reply({ json: chatCompletion({ model: null, usage: { prompt_tokens: '19', completion_tokens: '10', total_tokens: '29' } }) });
      const { outcome, spans } = await run(() => openai().chat.completions.create(request));
      expect(outcome).to.have.nested.property('value.usage.prompt_tokens', '19');
      const a = spans[0].attributes;
      expect(spans[0].status.code).to.equal(SpanStatusCode.OK);
      expect(a['llm.model_name']).to.equal('gpt-4o-mini');
      expect(Object.keys(a).filter((k) => k.includes('token'))).to.deep.equal([]);
    });

    it('stream chunks of the wrong shapes: same chunks; span OK with what could be read', async () => {
      server.reply({
        sse: [
          { data: { id: 'c', object: 'chat.completion.chunk', model: 7, choices: null } },
          { data: { id: 'c', object: 'chat.completion.chunk', choices: [null, 'x', { index: 'zero', delta: 'text' }] } },
          { data: { id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'ok', tool_calls: [null, { index: 0 }] } }] } },
          { data: { id: 'c', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 'many' } } },
          { data: '[DONE]' },
        ],
      });
      let seen: unknown[] = [];
      const { outcome, spans } = await run(async () => {
        seen = [];
        return readStream(await openai().chat.completions.create({ ...request, stream: true }), seen);
      });
      expect(outcome).to.have.property('value').with.length(4);
      expect(spans[0].status.code).to.equal(SpanStatusCode.OK);
      expect(spans[0].attributes['llm.output_messages.0.message.content']).to.equal('ok');
      expect(spans[0].attributes['llm.token_count.prompt']).to.equal(undefined);
    });

    it('a body that is not JSON: same error; span ERROR', async () => {
      server.reply({ raw: '{"id": "truncated', contentType: 'application/json' });
      const { outcome, spans } = await run(() => openai().chat.completions.create(request));
      expect(outcome).to.have.property('error');
      expect(spans[0].status.code).to.equal(SpanStatusCode.ERROR);
    });

    it('an SDK error thrown synchronously: same error, still synchronous; span ERROR', async () => {
      const { outcome, spans } = await run(async () => {
        const client = openai();
        // Called without a body, `create` throws a TypeError before any request: synchronously.
        return (client.chat.completions.create as (body?: unknown) => unknown)();
      });
      // The async wrapper turns the throw into a rejection, so check synchronicity directly as well.
      expectError(outcome, 'TypeError');
      expect(() => (openai().chat.completions.create as (body?: unknown) => unknown)()).to.throw(TypeError);
      expect(spans).to.have.length(1);
      expect(spans[0].status.code).to.equal(SpanStatusCode.ERROR);
      expect(spans[0].attributes['error.type']).to.equal('TypeError');
    });

    it('a fetch that rejects: same APIConnectionError; span ERROR', async () => {
      const failing: typeof fetch = () => Promise.reject(new TypeError('fetch failed'));
      const { outcome, spans } = await run(() => openai(failing).chat.completions.create(request));
      expectError(outcome, 'APIConnectionError');
      expect(spans[0].status.code).to.equal(SpanStatusCode.ERROR);
      expect(spans[0].attributes['error.type']).to.equal('APIConnectionError');
    });

    it('a streamed request answered with HTTP 500: same error; span ERROR', async () => {
      server.reply({ status: 500, json: { error: { message: 'boom', type: 'server_error' } } });
      const { outcome, spans } = await run(async () => readStream(await openai().chat.completions.create({ ...request, stream: true }), []));
      expectError(outcome, 'InternalServerError');
      expect(spans[0].status.code).to.equal(SpanStatusCode.ERROR);
    });
  });

  describe('anthropic messages', () => {
    // A model the SDK does not warn about (it prints a deprecation notice for the fixtures' model).
    const body = { model: 'claude-opus-4-1', max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hi' }] };
    const anthropic = () => anthropicClient(loadAnthropic(), server, tracing);

    it('connection dropped mid-stream: same events and error; span ERROR', async () => {
      server.reply({ sse: anthropicTextStream(), dropAfter: 3 });
      const { outcome, spans } = await run(async () => readStream(await anthropic().messages.create({ ...body, stream: true }), []));
      expect(outcome).to.have.property('error');
      expect(spans).to.have.length(1);
      expect(spans[0].status.code).to.equal(SpanStatusCode.ERROR);
    });

    it('a message without content or usage: same object; span OK', async () => {
      server.reply({ json: anthropicMessage({ content: null, usage: 'none', model: null }) });
      const { outcome, spans } = await run(() => anthropic().messages.create(body));
      expect(outcome).to.have.nested.property('value.usage', 'none');
      expect(spans[0].status.code).to.equal(SpanStatusCode.OK);
      expect(spans[0].attributes['llm.model_name']).to.equal('claude-opus-4-1');
    });
  });

  describe('google generateContent', () => {
    const genai = (fetch?: typeof globalThis.fetch) => {
      const { GoogleGenAI } = require('@google/genai');
      return new GoogleGenAI({ apiKey: GOOGLE_KEY, httpOptions: { baseUrl: server.origin, ...(fetch ? { fetch } : {}) } });
    };
    const params = { model: 'gemini-2.0-flash', contents: 'Hi' };

    it('connection dropped mid-stream: same chunks and error; span ERROR', async () => {
      server.reply(geminiSse(geminiTextStream(), { dropAfter: 1 }));
      const { outcome, spans } = await run(async () => readStream(await genai().models.generateContentStream(params), []));
      expect(outcome).to.have.property('error');
      expect(spans).to.have.length(1);
      expect(spans[0].status.code).to.equal(SpanStatusCode.ERROR);
    });

    it('candidates of the wrong shapes: same object; span OK', async () => {
      server.reply({ json: generateContentResponse([], { candidates: [null, { content: 'text' }], usageMetadata: { promptTokenCount: 'x' } }) });
      const { outcome, spans } = await run(async () => (await genai().models.generateContent(params)).candidates);
      // The SDK itself turns the null candidate into {}; we only check that we change nothing.
      expect(outcome).to.deep.equal({ value: [{}, { content: 'text' }] });
      expect(spans[0].status.code).to.equal(SpanStatusCode.OK);
    });
  });
});
