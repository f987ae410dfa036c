import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { llmSpansAfterCollection } from '../../helpers/gc';
import { expectAbandoned, llmSpans } from '../../helpers/tracing';
import { settle } from '../../helpers/rejections';
import { waitFor } from '../../helpers/wait';
import { responseObject } from '../openai/fixtures';
import { PARSED_ANSWER, parseableAnswer, STAINLESS_SDKS } from './sdks';
import { useUnawaitedSuite } from './unawaited-suite';

/* Un-awaited calls that get their answer: one span, ended when the answer arrived, whatever the app does later. */

/** The spans with an OpenInference kind: ours, and any second LLM span (another library's) that must not be there. */
function openInferenceSpans(spans: ReadableSpan[]): ReadableSpan[] {
  return spans.filter((s) => s.attributes['openinference.span.kind'] !== undefined);
}

for (const sdk of STAINLESS_SDKS) describe(`un-awaited calls: ${sdk.label}`, () => {
  const suite = useUnawaitedSuite(sdk);
  const { tracing } = suite;
  const { expected } = sdk;

  /** Waits (polling the exporter, bounded) for our span, then checks it is the only LLM span. */
  async function theSpan(): Promise<ReadableSpan> {
    await waitFor(async () => llmSpans(await tracing.spans()).length > 0, 'the LLM span');
    await settle();
    const spans = await tracing.spans();
    const ours = llmSpans(spans);
    expect(ours).to.have.length(1);
    expect(openInferenceSpans(spans)).to.deep.equal(ours);
    expect(suite.server.requests).to.have.length(1);
    return ours[0];
  }

  function expectAnswered(span: ReadableSpan): void {
    const a = span.attributes;
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(a['llm.provider']).to.equal(expected.provider);
    expect(a['llm.model_name']).to.equal(expected.model);
    expect(a['llm.token_count.prompt']).to.equal(expected.prompt);
    expect(a['llm.token_count.completion']).to.equal(expected.completion);
    expect(a['llm.input_messages.0.message.content']).to.equal('Hi');
    expect(a['llm.output_messages.0.message.content']).to.equal(expected.output);
  }

  it('never awaited: one span, ended once the response arrived, with the output and usage', async () => {
    suite.server.reply({ json: sdk.answer() });
    const started = performance.timeOrigin + performance.now();
    sdk.create(suite.client);
    const span = await theSpan();
    expectAnswered(span);
    expect(span.endTime[0] * 1000 + span.endTime[1] / 1e6).to.be.above(started);
  });

  it('awaited after its span ended: the app gets the data; still one span', async () => {
    suite.server.reply({ json: sdk.answer() });
    const promise = sdk.create(suite.client);
    expectAnswered(await theSpan());
    const data = await promise;
    expect(data).to.deep.include({ id: (sdk.answer() as { id: string }).id });
    expect(llmSpans(await tracing.spans())).to.have.length(1);
  });

  it('.withResponse() after its span ended: data and response; still one span', async () => {
    suite.server.reply({ json: sdk.answer() });
    const promise = sdk.create(suite.client);
    expectAnswered(await theSpan());
    const { data, response } = await promise.withResponse();
    expect(data).to.deep.include({ id: (sdk.answer() as { id: string }).id });
    expect(response.status).to.equal(200);
    expect(llmSpans(await tracing.spans())).to.have.length(1);
  });

  it('.asResponse() after its span ended: the raw body is unread and whole; still one span', async () => {
    suite.server.reply({ json: sdk.answer() });
    const promise = sdk.create(suite.client);
    expectAnswered(await theSpan());
    const response = await promise.asResponse();
    expect(response.status).to.equal(200);
    expect(response.bodyUsed).to.equal(false);
    expect(await response.json()).to.deep.equal(sdk.answer());
    expect(llmSpans(await tracing.spans())).to.have.length(1);
  });

  if (sdk.parse) {
    it('parse() never awaited: one span with the output; awaited later, the parsed data', async () => {
      suite.server.reply({ json: parseableAnswer() });
      const promise = sdk.parse!(suite.client);
      const span = await theSpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal(JSON.stringify(PARSED_ANSWER));
      expect(span.attributes['llm.token_count.prompt']).to.equal(expected.prompt);
      const completion = await promise;
      expect(completion.choices[0].message.parsed).to.deep.equal(PARSED_ANSWER);
      expect(llmSpans(await tracing.spans())).to.have.length(1);
    });
  }

  if (sdk.responses) {
    it('responses.create never awaited: one span with the output and usage; awaited later, the SDK\'s output_text', async () => {
      suite.server.reply({ json: responseObject() });
      const promise = sdk.responses!(suite.client);
      const span = await theSpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes['llm.model_name']).to.equal('gpt-4.1-2025-04-14');
      expect(span.attributes['llm.token_count.total']).to.equal(123);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Checking the weather.');
      expect((await promise).output_text).to.equal('Checking the weather.');
      expect(llmSpans(await tracing.spans())).to.have.length(1);
    });
  }

  it('a stream never awaited: one span, ended once the app dropped it (abandoned, unread)', async () => {
    suite.server.reply({ sse: sdk.stream() });
    sdk.create(suite.client, { stream: true });
    await waitFor(() => suite.server.requests.length === 1, 'the request');
    const spans = await llmSpansAfterCollection(tracing, 15_000);
    expect(spans).to.have.length(1);
    expect(spans[0].attributes['llm.provider']).to.equal(expected.provider);
    expectAbandoned(spans[0]);
    expect(spans[0].attributes).not.to.have.property('llm.output_messages.0.message.content');
    await settle();
    expect(openInferenceSpans(await tracing.spans())).to.deep.equal(spans);
  });

  it('a stream awaited after its response arrived: read to the end, one span with the output', async () => {
    suite.server.reply({ sse: sdk.stream() });
    const promise = sdk.create(suite.client, { stream: true, ...(expected.provider === 'openai' ? { stream_options: { include_usage: true } } : {}) });
    await promise.responsePromise;
    await settle();
    let chunks = 0;
    for await (const _ of await promise) chunks++;
    expect(chunks).to.equal(sdk.stream().length - (expected.provider === 'anthropic' ? 0 : 1));
    const span = await theSpan();
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal(expected.streamOutput);
  });
});
