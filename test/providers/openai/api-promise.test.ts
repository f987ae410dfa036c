import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { llmSpans } from '../../helpers/tracing';
import { useOpenAISuite } from './client';
import { waitFor } from '../../helpers/wait';
import { chatCompletion, chatStream, responseObject } from './fixtures';

/**
 * The SDK's `APIPromise` helpers (and the SDK's own helpers built on them) keep working through our patch,
 * keep their class, and each call gives exactly one LLM span.
 */
describe('openai APIPromise helpers', () => {
  const suite = useOpenAISuite();
  const { tracing } = suite;
  let APIPromise: new (...args: never[]) => unknown;
  const request = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };

  before(() => {
    // The path the package exports for its APIPromise class (`openai/core/api-promise`).
    APIPromise = require('openai/core/api-promise').APIPromise;
  });

  async function onlyLlmSpan() {
    const spans = llmSpans(await tracing.spans());
    expect(spans).to.have.length(1);
    return spans[0];
  }

  it('returns the SDK APIPromise itself (same class, helpers present)', async () => {
    suite.server.reply({ json: chatCompletion() });
    const promise = suite.client.chat.completions.create(request);
    expect(promise).to.be.instanceOf(APIPromise);
    expect(promise).to.be.instanceOf(Promise);
    expect(promise.withResponse).to.be.a('function');
    expect(promise.asResponse).to.be.a('function');
    await promise;
    expect((await onlyLlmSpan()).status.code).to.equal(SpanStatusCode.OK);
  });

  it('.withResponse() gives data, response and request_id, and one span', async () => {
    suite.server.reply({ json: chatCompletion(), headers: { 'x-request-id': 'req_abc123' } });
    const { data, response, request_id } = await suite.client.chat.completions.create(request).withResponse();
    expect(data.choices[0].message.content).to.equal('Hello there!');
    expect(response.status).to.equal(200);
    expect(request_id).to.equal('req_abc123');
    const span = await onlyLlmSpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hello there!');
    expect(span.attributes['llm.token_count.prompt']).to.equal(19);
  });

  it('.asResponse() alone ends the span OK and leaves the raw body to the app', async () => {
    suite.server.reply({ json: chatCompletion() });
    const response = await suite.client.chat.completions.create(request).asResponse();
    // The span ends when the response arrives, before the app reads the body.
    const span = await onlyLlmSpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes['llm.model_name']).to.equal('gpt-4o-mini');
    expect(span.attributes['llm.input_messages.0.message.content']).to.equal('Hi');
    expect(span.attributes).not.to.have.property('llm.output_messages.0.message.content');
    expect(response.bodyUsed).to.equal(false);
    const body = await response.json();
    expect(body.choices[0].message.content).to.equal('Hello there!');
  });

  it('.asResponse() on a failed request still ends the span as ERROR', async () => {
    suite.server.reply({ status: 400, json: { error: { message: 'bad model', type: 'invalid_request_error' } } });
    let caught: unknown;
    try {
      await suite.client.chat.completions.create(request).asResponse();
    } catch (err) {
      caught = err;
    }
    expect((caught as Error).constructor.name).to.equal('BadRequestError');
    const span = await onlyLlmSpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).to.equal('BadRequestError');
  });

  it('chat.completions.parse() with a json_schema response_format: parsed data, one span (via _thenUnwrap)', async () => {
    const answer = { city: 'Paris', temperature_c: 21 };
    suite.server.reply({
      json: chatCompletion({
        choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(answer), refusal: null }, logprobs: null, finish_reason: 'stop' }],
      }),
    });
    const promise = suite.client.chat.completions.parse({
      ...request,
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'weather',
          strict: true,
          schema: {
            type: 'object',
            properties: { city: { type: 'string' }, temperature_c: { type: 'number' } },
            required: ['city', 'temperature_c'],
            additionalProperties: false,
          },
        },
      },
    });
    // parse() returns the APIPromise that `_thenUnwrap` built on top of create()'s.
    expect(promise).to.be.instanceOf(APIPromise);
    const completion = await promise;
    expect(completion.choices[0].message.parsed).to.deep.equal(answer);
    const span = await onlyLlmSpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal(JSON.stringify(answer));
    expect(JSON.parse(span.attributes['llm.invocation_parameters'] as string).response_format.type).to.equal('json_schema');
    expect(suite.server.requests.at(-1)!.headers['x-stainless-helper-method']).to.equal('chat.completions.parse');
  });

  it('_thenUnwrap() called directly keeps the class and traces once', async () => {
    suite.server.reply({ json: chatCompletion() });
    const base = suite.client.chat.completions.create(request);
    const unwrapped = (base as unknown as { _thenUnwrap<U>(fn: (data: unknown) => U): Promise<U> })._thenUnwrap(
      (data) => (data as { id: string }).id,
    );
    expect(unwrapped).to.be.instanceOf(APIPromise);
    expect(await unwrapped).to.equal('chatcmpl-123');
    expect((await onlyLlmSpan()).status.code).to.equal(SpanStatusCode.OK);
  });

  it('chat.completions.stream() helper: finalChatCompletion() works, one span with the assembled content', async () => {
    suite.server.reply({ sse: chatStream() });
    const runner = suite.client.chat.completions.stream({ ...request, stream_options: { include_usage: true } });
    const deltas: string[] = [];
    runner.on('content', (delta) => deltas.push(delta));
    const final = await runner.finalChatCompletion();
    expect(deltas.join('')).to.equal('Let me check.');
    expect(final.choices[0].message.content).to.equal('Let me check.');
    expect(final.choices[0].message.tool_calls?.[0]).to.deep.include({ id: 'call_1' });
    const span = await onlyLlmSpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Let me check.');
    expect(span.attributes['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":"Paris"}');
    expect(span.attributes['llm.token_count.total']).to.equal(19);
    expect(span.events.map((e) => e.name)).to.deep.equal([]);
  });

  describe('status: a call the SDK or the API reports as failed ends ERROR', () => {
    const jsonSchemaFormat = {
      type: 'json_schema' as const,
      json_schema: { name: 'answer', strict: true, schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false } },
    };

    it('a non-streamed Responses result with status "failed": the app gets it as it is, the span is ERROR', async () => {
      const failed = responseObject({ status: 'failed', error: { code: 'server_error', message: 'The model crashed.' }, output: [] });
      suite.server.reply({ json: failed });
      const response = await suite.client.responses.create({ model: 'gpt-4.1', input: 'Hi' });
      expect(response.status).to.equal('failed');
      expect(response.error).to.deep.equal({ code: 'server_error', message: 'The model crashed.' });
      const span = await onlyLlmSpan();
      expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: 'The model crashed.' });
      expect(span.attributes['error.type']).to.equal('ResponseFailedError');
      expect(span.attributes['llm.token_count.total']).to.equal(123);
      expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
      expect(span.events[0].attributes?.['exception.message']).to.equal('The model crashed.');
    });

    it('a completed Responses result still ends OK', async () => {
      suite.server.reply({ json: responseObject() });
      await suite.client.responses.create({ model: 'gpt-4.1', input: 'Hi' });
      const span = await onlyLlmSpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes).not.to.have.property('error.type');
    });

    for (const [finishReason, errorName] of [
      ['length', 'LengthFinishReasonError'],
      ['content_filter', 'ContentFilterFinishReasonError'],
    ] as const) {
      it(`chat.completions.parse() throwing ${errorName} (finish_reason ${finishReason}): the same error reaches the app, the span is ERROR with the tokens`, async () => {
        suite.server.reply({
          json: chatCompletion({
            choices: [{ index: 0, message: { role: 'assistant', content: '{"a":', refusal: null }, logprobs: null, finish_reason: finishReason }],
          }),
        });
        const promise = suite.client.chat.completions.parse({ ...request, response_format: jsonSchemaFormat });
        let caught: unknown;
        try {
          await promise;
        } catch (err) {
          caught = err;
        }
        expect((caught as Error).constructor.name).to.equal(errorName);
        expect(await promise.then(() => undefined, (err: unknown) => err)).to.equal(caught);
        const span = await onlyLlmSpan();
        expect(span.status).to.deep.equal({ code: SpanStatusCode.ERROR, message: (caught as Error).message });
        expect(span.attributes['error.type']).to.equal(errorName);
        expect(span.attributes['llm.token_count.prompt']).to.equal(19);
        expect(span.attributes['llm.token_count.completion']).to.equal(10);
        expect(span.attributes['llm.finish_reason']).to.equal(finishReason);
        expect(span.attributes['llm.output_messages.0.message.content']).to.equal('{"a":');
      });
    }

    it('an APIPromise nobody awaits ends its span once its response arrived, with the output (test/providers/stainless has every SDK)', async () => {
      suite.server.reply({ json: chatCompletion() });
      suite.client.chat.completions.create(request);
      await waitFor(async () => llmSpans(await tracing.spans()).length > 0, 'the LLM span');
      const span = await onlyLlmSpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes['llm.input_messages.0.message.content']).to.equal('Hi');
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hello there!');
      expect(span.attributes['llm.token_count.total']).to.equal(29);
    });

    it('an APIPromise awaited after its response arrived still gets the data on its span', async () => {
      suite.server.reply({ json: chatCompletion() });
      const promise = suite.client.chat.completions.create(request);
      await (promise as unknown as { responsePromise: Promise<unknown> }).responsePromise;
      await new Promise((resolve) => setTimeout(resolve, 20));
      const completion = await promise;
      expect(completion.choices[0].message.content).to.equal('Hello there!');
      const span = await onlyLlmSpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hello there!');
    });

    it('_thenUnwrap(): the span reads the response the transform was given, once', async () => {
      suite.server.reply({ json: chatCompletion() });
      const base = suite.client.chat.completions.create(request);
      const unwrapped = (base as unknown as { _thenUnwrap<U>(fn: (data: unknown) => U): Promise<U> })._thenUnwrap((data) => (data as { id: string }).id);
      expect(await unwrapped).to.equal('chatcmpl-123');
      const span = await onlyLlmSpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hello there!');
    });
  });

  describe('disable() and enable()', () => {
    const PATCHED = ['parse', 'asResponse', '_thenUnwrap'] as const;
    type Descriptors = Record<PropertyKey, PropertyDescriptor>;

    /** The prototype as the SDK made it: each of our wrappers replaced by the method it wraps (shimmer's `__original`). */
    function sdkDescriptors(proto: object): Descriptors {
      const descriptors = Object.getOwnPropertyDescriptors(proto) as Descriptors;
      for (const key of Reflect.ownKeys(descriptors)) {
        const original = (descriptors[key as string].value as { __original?: unknown } | undefined)?.__original;
        if (original !== undefined) descriptors[key as string] = { ...descriptors[key as string], value: original };
      }
      return descriptors;
    }

    it('disable() puts the SDK\'s own APIPromise methods back exactly; no span then; enable() traces again', async () => {
      const proto = APIPromise.prototype as Record<string, unknown>;
      suite.server.reply({ json: chatCompletion() });
      await suite.client.chat.completions.create(request);
      const asTheSdkMadeIt = sdkDescriptors(proto);
      for (const name of PATCHED) expect(proto[name], `${name} patched`).not.to.equal(asTheSdkMadeIt[name].value);

      suite.instrumentation.disable();
      try {
        expect(Object.getOwnPropertyDescriptors(proto)).to.deep.equal(asTheSdkMadeIt);
        for (const name of PATCHED) expect(proto[name]).to.equal(asTheSdkMadeIt[name].value);
        tracing.reset();
        expect((await suite.client.chat.completions.create(request)).choices[0].message.content).to.equal('Hello there!');
        const sent = suite.server.requests.length;
        suite.client.chat.completions.create(request);
        await waitFor(() => suite.server.requests.length > sent, 'the un-awaited request');
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(llmSpans(await tracing.spans())).to.deep.equal([]);
        expect(Object.getOwnPropertyDescriptors(proto)).to.deep.equal(asTheSdkMadeIt);
      } finally {
        suite.instrumentation.enable();
      }

      for (const name of PATCHED) expect(proto[name], `${name} patched again`).not.to.equal(asTheSdkMadeIt[name].value);
      tracing.reset();
      suite.client.chat.completions.create(request);
      await waitFor(async () => llmSpans(await tracing.spans()).length > 0, 'the LLM span');
      const span = await onlyLlmSpan();
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hello there!');
      expect(sdkDescriptors(proto)).to.deep.equal(asTheSdkMadeIt);
    });
  });
});
