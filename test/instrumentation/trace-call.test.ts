import { expect } from 'chai';
import { Context, context, SpanStatusCode, trace } from '@opentelemetry/api';
import { isInsideLlmCall } from '../../lib/instrumentation/call-context';
import { suppressTracing } from '@opentelemetry/core';
import { isWrapped } from '@opentelemetry/instrumentation';
import { AlwaysOffSampler, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type OpenAIType from 'openai';
import type { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, llmSpans, useInstrumentation } from '../helpers/tracing';
import { chatCompletion } from '../providers/openai/fixtures';

type CreateFn = (this: unknown, ...args: unknown[]) => unknown;

/** The call lifecycle around the real SDK: when no span is made, synchronous throws, and patch removal. */
describe('traceCall (through openai chat.completions.create)', () => {
  let server: FakeLlmServer;
  let client: OpenAIType;
  let instrumentation: InfiniumInstrumentation;
  let completionsProto: { create: CreateFn };
  const tracing = createTracing();
  const request = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };

  before(async () => {
    ({ instrumentation } = useInstrumentation(tracing));
    const { OpenAI } = require('openai') as typeof import('openai');
    completionsProto = (OpenAI as unknown as { Chat: { Completions: { prototype: { create: CreateFn } } } }).Chat.Completions.prototype;
    server = await startFakeLlmServer();
    client = new OpenAI({ apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1', fetch: server.fetch, maxRetries: 0 });
  });
  after(() => server.stop());
  beforeEach(() => tracing.reset());
  // Whatever a test did, later suites get the shared instrumentation back, enabled and on `tracing`.
  afterEach(() => useInstrumentation(tracing));

  it("the SDK runs in a context that carries the span's identity and the call marker, not the span itself", async () => {
    server.reply({ json: chatCompletion() });
    let seen: Context | undefined;
    const { OpenAI } = require('openai') as typeof import('openai');
    const spying = new OpenAI({
      apiKey: 'sk-test',
      baseURL: 'https://api.openai.com/v1',
      maxRetries: 0,
      fetch: (input: string | URL | Request, init?: RequestInit) => {
        seen = context.active();
        return server.fetch(input, init);
      },
    });
    await spying.chat.completions.create(request);
    const [span] = llmSpans(await tracing.spans());
    const inside = trace.getSpan(seen!)!;
    expect(inside.spanContext()).to.deep.equal(span.spanContext());
    // A non-recording stand-in: whatever keeps this context (a pooled socket) keeps no attributes.
    expect(inside).not.to.equal(span);
    expect(inside.isRecording()).to.equal(false);
    expect(isInsideLlmCall(seen!)).to.equal(true);
  });

  it('suppressTracing: no span, and the same result as an untraced call', async () => {
    server.reply({ json: chatCompletion() });
    const result = await context.with(suppressTracing(context.active()), () => client.chat.completions.create(request));
    expect(result).to.deep.equal(chatCompletion());
    expect(await tracing.spans()).to.have.length(0);
  });

  it('a sampler that drops the span: nothing exported, the result unchanged, errors unchanged', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({ sampler: new AlwaysOffSampler(), spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    instrumentation.setTracerProvider(provider);
    server.reply({ json: chatCompletion() });
    const result = await client.chat.completions.create(request);
    expect(result).to.deep.equal(chatCompletion());
    server.reply({ status: 429, json: { error: { message: 'slow down' } } });
    const { RateLimitError } = require('openai') as typeof import('openai');
    let caught: unknown;
    try {
      await client.chat.completions.create(request);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(RateLimitError);
    await provider.forceFlush();
    expect(exporter.getFinishedSpans()).to.have.length(0);
    expect(await tracing.spans()).to.have.length(0);
  });

  it('a synchronous throw from the SDK fails the span and reaches the app as the same error object', () => {
    const boom = new TypeError('client is gone');
    // A resource whose client throws synchronously from post(), as the real create() calls it.
    const brokenResource = { _client: { baseURL: 'https://api.x.ai/v1', post: () => { throw boom; } } };
    let caught: unknown;
    try {
      completionsProto.create.call(brokenResource, request);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.equal(boom);
    return tracing.spans().then((spans) => {
      const [span] = llmSpans(spans);
      expect(llmSpans(spans)).to.have.length(1);
      expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'client is gone' });
      expect(span.attributes['error.type']).to.equal('TypeError');
      expect(span.attributes['llm.provider']).to.equal('xai');
      expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
      expect(span.events[0].attributes?.['exception.message']).to.equal('client is gone');
    });
  });

  it('a request the adapter cannot read still gets its span ended, the call run inside it, the result unchanged', async () => {
    server.reply({ json: chatCompletion() });
    // A hostile message: its `role` getter throws on the first read (ours), then answers (the SDK's JSON).
    let reads = 0;
    const message = {
      content: 'Hi',
      get role(): 'user' {
        if (reads++ === 0) throw new Error('hostile getter');
        return 'user';
      },
    };
    const result = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [message] });
    expect(result.id).to.equal(chatCompletion().id);
    const spans = llmSpans(await tracing.spans());
    expect(spans).to.have.length(1);
    expect(spans[0].status.code).to.equal(SpanStatusCode.OK);
    expect(spans[0].ended).to.equal(true);
    expect(spans[0].attributes['llm.output_messages.0.message.role']).to.equal('assistant');
    expect(spans[0].attributes['llm.input_messages.0.message.role']).to.equal(undefined);
  });

  it('the real SDK throwing synchronously (no client on `this`) gives the SDK its own TypeError back', async () => {
    let caught: unknown;
    try {
      completionsProto.create.call({}, request);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(TypeError);
    const [span] = llmSpans(await tracing.spans());
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).to.equal('TypeError');
    expect(span.status.message).to.equal((caught as Error).message);
  });

  it('disable() restores the SDK original create(); enable() patches it again', async () => {
    instrumentation.disable();
    const original = completionsProto.create;
    expect(isWrapped(original)).to.equal(false);
    server.reply({ json: chatCompletion() });
    await client.chat.completions.create(request);
    expect(await tracing.spans()).to.have.length(0);

    instrumentation.enable();
    const patched = completionsProto.create;
    expect(patched).not.to.equal(original);
    expect(isWrapped(patched)).to.equal(true);
    expect((patched as unknown as { __original: unknown }).__original).to.equal(original);
    await client.chat.completions.create(request);
    expect(llmSpans(await tracing.spans())).to.have.length(1);

    instrumentation.disable();
    expect(completionsProto.create).to.equal(original);
    instrumentation.enable();
    expect(completionsProto.create).not.to.equal(original);
    expect((completionsProto.create as unknown as { __original: unknown }).__original).to.equal(original);
  });

  it('a patch applied twice (manuallyInstrument on a hooked module) does not stack: one span, disable() still restores', async () => {
    instrumentation.disable();
    const original = completionsProto.create;
    instrumentation.enable();
    instrumentation.manuallyInstrument(require('openai'));
    instrumentation.manuallyInstrument(require('openai'));
    const wrapper = completionsProto.create as unknown as { __original: unknown };
    expect(wrapper).not.to.equal(original);
    expect(wrapper.__original).to.equal(original);
    server.reply({ json: chatCompletion() });
    await client.chat.completions.create(request);
    expect(llmSpans(await tracing.spans())).to.have.length(1);
    instrumentation.disable();
    expect(completionsProto.create).to.equal(original);
  });
});
