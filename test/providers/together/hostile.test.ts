import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { llmSpans } from '../../helpers/tracing';
import { pick, readToFailure } from '../anthropic/client';
import { REQUEST, useTogetherSuite } from './client';
import { chatCompletion, chatStream } from './fixtures';

/**
 * Answers Together's gateway can give besides the recorded ones: an error frame inside a stream, an HTML
 * error page, no usage. The app gets what the SDK gives it; the span ends once and invents no tokens.
 */
describe('together-ai: hostile answers', () => {
  const suite = useTogetherSuite();
  const { tracing } = suite;

  it('an `error` frame mid-stream: the SDK APIError reaches the app, the span is ERROR with it and keeps the text', async () => {
    const [first] = chatStream();
    suite.server.reply({ sse: [first, { data: { error: { message: 'upstream overloaded', type: 'server_error' } } }] });
    const caught = (await readToFailure(suite.client.chat.completions.create({ ...REQUEST, stream: true }))) as Error;
    expect(caught.constructor.name).to.equal('APIError');
    const [span, ...others] = llmSpans(await tracing.spans());
    expect(others).to.have.length(0);
    expect([span.status.code, span.status.message, span.attributes['error.type']]).to.deep.equal([SpanStatusCode.ERROR, caught.message, 'APIError']);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hel');
  });

  it('an HTML 503 page: the SDK error reaches the app, the span is ERROR with it', async () => {
    suite.server.reply({ status: 503, raw: '<html>Service Unavailable</html>', contentType: 'text/html' });
    let caught: any;
    await suite.client.chat.completions.create(REQUEST).catch((err: unknown) => (caught = err));
    expect([caught.status, caught.constructor.name]).to.deep.equal([503, 'InternalServerError']);
    const [span, ...others] = llmSpans(await tracing.spans());
    expect(others).to.have.length(0);
    expect([span.status.code, span.status.message, span.attributes['error.type']]).to.deep.equal([SpanStatusCode.ERROR, caught.message, 'InternalServerError']);
  });

  it('no usage in the answer or the stream: OK, the text, no token counts', async () => {
    const { usage: _, ...withoutUsage } = chatCompletion();
    suite.server.reply({ json: withoutUsage });
    await suite.client.chat.completions.create(REQUEST);
    suite.server.reply({ sse: chatStream().map((e: any) => (typeof e.data === 'object' ? { data: { ...e.data, usage: null } } : e)) });
    for await (const _ of await suite.client.chat.completions.create({ ...REQUEST, stream: true })) void _;
    const spans = llmSpans(await tracing.spans());
    expect(spans.map((s) => [s.status.code, s.attributes['llm.output_messages.0.message.content'], pick(s.attributes, 'llm.token_count.')])).to.deep.equal([
      [SpanStatusCode.OK, 'Hello from Together!', {}],
      [SpanStatusCode.OK, 'Hello!', {}],
    ]);
  });
});
