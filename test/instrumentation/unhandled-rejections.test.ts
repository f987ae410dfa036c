import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { trace } from '../../lib/helpers/trace';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { RejectionLog, rejectionsOf as rejectionsWith } from '../helpers/rejections';
import { createTracing, llmSpans, useInstrumentation } from '../helpers/tracing';
import { waitFor } from '../helpers/wait';
import { cohereClient } from '../providers/cohere/fixtures';
import { API_KEY as GEMINI_KEY, errorResponse } from '../providers/google/fixtures';
import { loadMistralV1 } from '../providers/mistral/load';
import { FakeOllama } from '../providers/ollama/fake-ollama';

/**
 * SDKs whose calls are native promises (Gemini, Mistral, Ollama; Bedrock and Cohere 7 take the same path,
 * observePromise) and our own trace() helper: a failure the app never handles must stay the app's unhandled
 * rejection, and one it handles late must be reported handled, exactly as without us. A reaction of ours on
 * the side would handle it and hide it: the app gets our follower of the SDK's promise instead.
 */
describe('un-awaited failures of promise-returning SDK methods: the process sees what it sees without us', () => {
  const tracing = createTracing();
  let instrumentation: InfiniumInstrumentation;
  let server: FakeLlmServer;
  let ollamaServer: FakeOllama;
  const clients: Record<string, any> = {};

  before(async () => {
    ({ instrumentation } = useInstrumentation(tracing));
    server = await startFakeLlmServer();
    ollamaServer = await new FakeOllama().start();
    const genai = require('@google/genai');
    clients.gemini = new genai.GoogleGenAI({ apiKey: GEMINI_KEY, httpOptions: { baseUrl: server.origin } });
    clients.ollama = new (require('ollama').Ollama)({ host: ollamaServer.origin });
    const mistral = await loadMistralV1(instrumentation);
    clients.mistral = new mistral.Mistral({ apiKey: 'test-key', serverURL: server.origin });
  });
  after(async () => {
    await server.stop();
    await ollamaServer.stop();
  });
  beforeEach(() => tracing.reset());

  /** Each call fails with HTTP 400 from its fake, and names the error class the app gets. */
  const CASES: Array<{ label: string; errorClass: string; call: () => Promise<unknown> }> = [
    { label: 'Gemini generateContent', errorClass: 'ApiError', call: () => clients.gemini.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' }) },
    { label: 'Gemini generateContentStream', errorClass: 'ApiError', call: () => clients.gemini.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Hi' }) },
    { label: 'Mistral chat.complete', errorClass: 'SDKError', call: () => clients.mistral.chat.complete({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Hi' }] }) },
    { label: 'Mistral chat.stream', errorClass: 'SDKError', call: () => clients.mistral.chat.stream({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Hi' }] }) },
    { label: 'Ollama chat', errorClass: 'ResponseError', call: () => clients.ollama.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }] }) },
    // cohere-ai 8 answers with its HttpResponsePromise, a Promise subclass over the request's own promise. Its
    // CohereClientV2 binds the methods it has when made, so each call has a client made in its own run.
    { label: 'Cohere 8 chat', errorClass: 'BadRequestError', call: () => cohereClient(require('cohere-ai'), server.origin).chat({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hi' }] }) },
    { label: 'Cohere 8 chatStream', errorClass: 'BadRequestError', call: () => cohereClient(require('cohere-ai'), server.origin).chatStream({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hi' }] }) },
    { label: 'Ollama chat (stream)', errorClass: 'ResponseError', call: () => clients.ollama.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }], stream: true }) },
  ];

  function failNext(): void {
    server.reply(errorResponse(400, 'INVALID_ARGUMENT', 'bad request'));
    ollamaServer.reply({ status: 400, json: { error: 'bad request' } });
  }

  const rejectionsOf = (traced: boolean, scenario: (log: RejectionLog) => Promise<void>) => rejectionsWith(instrumentation, traced, scenario);

  /** The call, never handled, or handled once its rejection was reported unhandled. */
  const failing = (call: () => Promise<unknown>, late: boolean) => async (log: RejectionLog) => {
    const promise = call();
    await waitFor(() => log.events.length >= 1, 'the unhandled rejection');
    if (!late) return;
    await promise.then(undefined, () => undefined);
    await waitFor(() => log.events.length >= 2, 'rejectionHandled');
  };

  for (const { label, errorClass, call } of CASES) {
    it(`${label}, never handled: one unhandled rejection as without us; the span ends ERROR`, async () => {
      failNext();
      const plain = await rejectionsOf(false, failing(call, false));
      expect(plain).to.deep.equal([`unhandled ${errorClass}`]);
      expect(llmSpans(await tracing.spans()).map((s) => s.name + ' ' + s.status.code)).to.deep.equal([]);
      failNext();
      expect(await rejectionsOf(true, failing(call, false))).to.deep.equal(plain);
      const spans = llmSpans(await tracing.spans());
      expect(spans).to.have.length(1);
      expect(spans[0].status.code).to.equal(SpanStatusCode.ERROR);
      expect(spans[0].attributes['error.type']).to.equal(errorClass);
    });

    it(`${label}, handled late: unhandled then handled, as without us`, async () => {
      failNext();
      const plain = await rejectionsOf(false, failing(call, true));
      expect(plain).to.deep.equal([`unhandled ${errorClass}`, 'handled']);
      failNext();
      expect(await rejectionsOf(true, failing(call, true))).to.deep.equal(plain);
      expect(llmSpans(await tracing.spans())).to.have.length(1);
    });
  }

  it('trace(): an async function whose failure nobody handles is still an unhandled rejection; the span ends ERROR', async () => {
    class PlannerError extends Error {}
    const plan = async () => {
      throw new PlannerError('no plan');
    };
    const traced = trace('plan', plan, { tracer: tracing.provider.getTracer('app') });
    const plain = await rejectionsOf(true, failing(plan, false));
    expect(plain).to.deep.equal(['unhandled PlannerError']);
    expect(await rejectionsOf(true, failing(traced, false))).to.deep.equal(plain);
    const spans = (await tracing.spans()).filter((s) => s.name === 'plan');
    expect(spans).to.have.length(1);
    expect(spans[0].status.code).to.equal(SpanStatusCode.ERROR);
  });

  it('trace(): the app gets the same value and the same error object through our follower', async () => {
    const value = { answer: 42 };
    expect(await trace('ok', async () => value, { tracer: tracing.provider.getTracer('app') })()).to.equal(value);
    const error = new Error('boom');
    const caught = await trace('bad', async () => Promise.reject(error), { tracer: tracing.provider.getTracer('app') })().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(caught).to.equal(error);
  });
});
