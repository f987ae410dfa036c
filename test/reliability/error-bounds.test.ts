import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type GroqType from 'groq-sdk';
import type { CohereClientV2 } from 'cohere-ai';
import type { Ollama as OllamaType } from 'ollama';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { InfiniumSpanProcessor } from '../../lib/processor/span-processor';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, llmSpans, useInstrumentation } from '../helpers/tracing';
import { FakeOllama } from '../providers/ollama/fake-ollama';
import { cohereClient, CohereSdk, MODEL as COHERE_MODEL } from '../providers/cohere/fixtures';
import { BedrockSdk, bedrockClient, NOVA, SECRETS as BEDROCK_SECRETS } from '../providers/bedrock/fixtures';
import { FakeBedrock } from '../providers/bedrock/fake-bedrock';
import { otlpBytes } from './sizes-helpers';
import { trace } from '../../lib/helpers/trace';

/**
 * Issue 30 defects 1 and 8: an API error's text goes on the span capped and without secrets. Each SDK, real,
 * against a local fake that answers with a 5 MB error (or an in-stream error event, or a 401 echoing the key):
 * the app gets the very error it gets without us, and the span is ERROR, under 1 MB, with no planted key.
 */
const MB5 = 5 * 1024 * 1024;
/** Planted in every error body, at its start: keys of four shapes and a bearer token. */
const PLANTED = ['sk-ant-test-secret-123', 'gsk_PlantedGroqKey0123456789', 'xai-PlantedXaiKey0123456789', 'AIzaSyPlantedGoogleKey0123456789'];
const BEARER = 'Bearer eyJplanted.token.0123456789';
const echo = `invalid keys: ${PLANTED.join(', ')}; Authorization: ${BEARER}; `;
const bigText = () => echo + 'e'.repeat(MB5);
const GROQ_KEY = 'gsk_PlantedGroqKey0123456789';

async function errorOf(call: () => Promise<unknown>): Promise<Error> {
  try {
    await call();
  } catch (err) {
    return err as Error;
  }
  throw new Error('the call did not fail');
}

function expectBoundedErrorSpan(spans: ReadableSpan[]): void {
  expect(spans).to.have.length(1);
  const [span] = spans;
  expect(span.status.code).to.equal(SpanStatusCode.ERROR);
  const bytes = otlpBytes(spans);
  expect(bytes, 'OTLP bytes').to.be.below(1_000_000);
  const text = JSON.stringify([span.name, span.attributes, span.events, span.status]);
  expect(text.length, 'serialized span').to.be.below(1_000_000);
  for (const secret of [...PLANTED, BEARER, GROQ_KEY, 'eyJplanted']) expect(text, secret).to.not.contain(secret);
  const exception = span.events.find((e) => e.name === 'exception');
  expect(exception, 'exception event').to.not.equal(undefined);
  expect(span.status.message!.length).to.be.at.most(32_000);
}

describe('reliability: error text on spans is capped and carries no secret (real SDKs, local fakes)', () => {
  const tracing = createTracing([new InfiniumSpanProcessor()]);
  let instrumentation: InfiniumInstrumentation;

  before(function () {
    this.timeout(60_000);
    ({ instrumentation } = useInstrumentation(tracing));
  });
  beforeEach(() => tracing.reset());

  /** The error with us, the error without us (instrumentation disabled), and our spans for the first. */
  async function withAndWithout(reply: () => void, call: () => Promise<unknown>): Promise<{ ours: Error; theirs: Error; spans: ReadableSpan[] }> {
    reply();
    const ours = await errorOf(call);
    const spans = llmSpans(await tracing.spans());
    instrumentation.disable();
    try {
      reply();
      const theirs = await errorOf(call);
      return { ours, theirs, spans };
    } finally {
      instrumentation.enable();
    }
  }

  function expectSameError(ours: Error, theirs: Error): void {
    expect(ours.constructor).to.equal(theirs.constructor);
    expect(ours.message).to.equal(theirs.message);
  }

  describe('groq-sdk', () => {
    let server: FakeLlmServer;
    let client: GroqType;
    const chat = (stream = false) => client.chat.completions.create({ model: 'llama-3.3-70b-versatile', messages: [{ role: 'user', content: 'Hi' }], stream } as never);
    before(async () => {
      server = await startFakeLlmServer();
      const { Groq } = require('groq-sdk') as typeof import('groq-sdk');
      client = new Groq({ apiKey: GROQ_KEY, baseURL: 'https://api.groq.com', fetch: server.fetch, maxRetries: 0 });
    });
    after(() => server.stop());

    it('HTTP 500 with a 5 MB text/plain body: the same InternalServerError, a span under 1 MB', async () => {
      const body = bigText();
      const { ours, theirs, spans } = await withAndWithout(() => server.reply({ status: 500, raw: body, contentType: 'text/plain' }), () => chat());
      expectSameError(ours, theirs);
      expect(ours.constructor.name).to.equal('InternalServerError');
      expect(ours.message.length).to.be.greaterThan(MB5);
      expectBoundedErrorSpan(spans);
      const [span] = spans;
      expect(span.attributes['error.type']).to.equal('InternalServerError');
      expect(span.status.message).to.match(/^500 invalid keys: __REDACTED__, __REDACTED__, __REDACTED__, __REDACTED__; Authorization: Bearer __REDACTED__; e+…\[truncated: \d+ chars\]$/);
      const exception = span.events.find((e) => e.name === 'exception')!;
      expect(exception.attributes!['exception.type']).to.equal('Error');
      expect(exception.attributes!['exception.message']).to.equal(span.status.message);
      expect(String(exception.attributes!['exception.stacktrace'])).to.match(/^Error: 500 invalid keys: __REDACTED__/);
    });

    it('a 401 whose body echoes the key the app sent: the key is nowhere on the span', async () => {
      const json = { error: { message: `Invalid API Key: ${GROQ_KEY}`, type: 'invalid_request_error', code: 'invalid_api_key' } };
      const { ours, theirs, spans } = await withAndWithout(() => server.reply({ status: 401, json }), () => chat());
      expectSameError(ours, theirs);
      expect(ours.message).to.contain(GROQ_KEY);
      expectBoundedErrorSpan(spans);
      expect(spans[0].status.message).to.equal('401 {"error":{"message":"Invalid API Key: __REDACTED__","type":"invalid_request_error","code":"invalid_api_key"}}');
    });

    it('an in-stream error event with a 5 MB message: the same APIError while reading, a span under 1 MB', async () => {
      const sse = [
        { data: { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'llama-3.3-70b-versatile', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null }] } },
        { data: { error: { message: bigText(), type: 'internal_server_error' } } },
      ];
      const read = async () => {
        const stream = (await chat(true)) as unknown as AsyncIterable<unknown>;
        for await (const _ of stream);
      };
      const { ours, theirs, spans } = await withAndWithout(() => server.reply({ sse }), read);
      expectSameError(ours, theirs);
      expect(ours.message.length).to.be.greaterThan(MB5);
      expectBoundedErrorSpan(spans);
      expect(spans[0].attributes['llm.output_messages.0.message.content']).to.equal('Hel');
    });
  });

  describe('cohere-ai v2', () => {
    let server: FakeLlmServer;
    let client: CohereClientV2;
    before(async function () {
      this.timeout(60_000);
      server = await startFakeLlmServer();
      client = cohereClient(require('cohere-ai') as CohereSdk, server.origin);
    });
    after(() => server.stop());

    it('chat answered HTTP 500 with a 5 MB JSON error: the same error, a span under 1 MB', async () => {
      const json = { message: bigText() };
      const { ours, theirs, spans } = await withAndWithout(
        () => server.reply({ status: 500, json }),
        () => client.chat({ model: COHERE_MODEL, messages: [{ role: 'user', content: 'Hi' }] }),
      );
      expectSameError(ours, theirs);
      expect(ours.message.length).to.be.greaterThan(MB5);
      expectBoundedErrorSpan(spans);
    });

    it('rerank answered HTTP 500 with a 5 MB JSON error: the same error, a span under 1 MB', async () => {
      const { ours, theirs, spans } = await withAndWithout(
        () => server.reply({ status: 500, json: { message: bigText() } }),
        () => client.rerank({ model: 'rerank-v3.5', query: 'q', documents: ['a', 'b'] }),
      );
      expectSameError(ours, theirs);
      expectBoundedErrorSpan(spans);
    });
  });

  describe('ollama', () => {
    let server: FakeOllama;
    let client: OllamaType;
    before(async () => {
      server = await new FakeOllama().start();
      client = new (require('ollama') as typeof import('ollama')).Ollama({ host: server.origin });
    });
    after(() => server.stop());

    it('chat answered HTTP 500 with a 5 MB error: the same ResponseError, a span under 1 MB', async () => {
      const { ours, theirs, spans } = await withAndWithout(
        () => server.reply({ status: 500, json: { error: bigText() } }),
        () => client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }] }),
      );
      expectSameError(ours, theirs);
      expect(ours.constructor.name).to.equal('ResponseError');
      expect(ours.message.length).to.be.greaterThan(MB5);
      expectBoundedErrorSpan(spans);
    });
  });

  describe('bedrock Converse', () => {
    let server: FakeBedrock;
    let sdk: BedrockSdk;
    let client: BedrockRuntimeClient;
    before(async () => {
      sdk = require('@aws-sdk/client-bedrock-runtime');
      server = await new FakeBedrock().start();
      client = bedrockClient(sdk, server.origin);
    });
    after(async () => {
      client.destroy();
      await server.stop();
    });

    it('answered 400 ValidationException with a 5 MB message: the same exception, a span under 1 MB, no credential', async () => {
      const { ours, theirs, spans } = await withAndWithout(
        () => server.answer({ status: 400, json: { message: bigText() }, errorType: 'ValidationException' }),
        () => client.send(new sdk.ConverseCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: 'Hi' }] }] })),
      );
      expectSameError(ours, theirs);
      expect(ours.constructor.name).to.equal('ValidationException');
      expect(ours.message.length).to.be.greaterThan(MB5);
      expectBoundedErrorSpan(spans);
      const text = JSON.stringify([spans[0].attributes, spans[0].events, spans[0].status]);
      for (const secret of BEDROCK_SECRETS) expect(text, secret).to.not.contain(secret);
    });
  });

  describe('trace() (our helper, no processor)', () => {
    it('a wrapped function that throws a 5 MB error with keys in it: the same error, a bounded span without them', async () => {
      const plain = createTracing();
      const error = new TypeError(bigText());
      const step = trace('step', async () => {
        throw error;
      }, { tracer: plain.provider.getTracer('app') });
      expect(await errorOf(step)).to.equal(error);
      const spans = await plain.spans();
      expectBoundedErrorSpan(spans);
      expect(spans[0].events.find((e) => e.name === 'exception')!.attributes!['exception.type']).to.equal('TypeError');
    });
  });
});
