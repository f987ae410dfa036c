import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { useProviderSuite } from '../../helpers/provider-suite';
import { createTracing, llmSpans } from '../../helpers/tracing';
import { chatCompletion, chatStream } from './fixtures';

/**
 * The other `openai` majors in our range, installed under aliases (`openai-v5`, `openai-v7`). The require
 * hook matches the name `openai`, so these copies are patched through `manuallyInstrument`, the bundler
 * path, which runs the same patch function. 6.x, the main devDependency, is covered everywhere else.
 */
for (const { alias, major } of [
  { alias: 'openai-v5', major: 5 },
  { alias: 'openai-v7', major: 7 },
]) describe(`openai ${major}.x`, () => {
  const tracing = createTracing();
  let server: FakeLlmServer;
  let client: any;

  useProviderSuite(
    async (instrumentation) => {
      const sdk = require(alias);
      expect(require(`${alias}/version`).VERSION.startsWith(`${major}.`)).to.equal(true);
      instrumentation.manuallyInstrument(sdk);
      server = await startFakeLlmServer();
      client = new sdk.OpenAI({ apiKey: 'sk-test-secret-123', baseURL: 'https://api.openai.com/v1', fetch: server.fetch, maxRetries: 0 });
      return { server };
    },
    { tracing },
  );

  it('traces a chat call with exact token counts', async () => {
    server.reply({ json: chatCompletion() });
    const result = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    expect(result.choices[0].message.content).to.equal('Hello there!');
    const [span] = llmSpans(await tracing.spans());
    expect(span.name).to.equal('chat gpt-4o-mini');
    expect(span.attributes['llm.provider']).to.equal('openai');
    expect(span.attributes['llm.token_count.prompt']).to.equal(19);
    expect(span.attributes['llm.token_count.completion']).to.equal(10);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hello there!');
  });

  it('traces a stream with merged tool-call deltas and the usage chunk', async () => {
    server.reply({ sse: chatStream() });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _chunk of stream) void _chunk;
    const [span] = llmSpans(await tracing.spans());
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(span.attributes['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":"Paris"}');
    expect(span.attributes['llm.token_count.total']).to.equal(19);
  });

  it('keeps withResponse() and reports HTTP errors with the class name', async () => {
    server.reply({ json: chatCompletion() });
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(data.id).to.equal('chatcmpl-123');
    expect(response.status).to.equal(200);
    server.reply({ status: 400, json: { error: { message: 'bad', type: 'invalid_request_error' } } });
    const error = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [] }).catch((e: unknown) => e);
    expect((error as Error).constructor.name).to.equal('BadRequestError');
    const spans = llmSpans(await tracing.spans());
    expect(spans).to.have.length(2);
    expect(spans[1].attributes['error.type']).to.equal('BadRequestError');
    expect(spans[1].status.code).to.equal(SpanStatusCode.ERROR);
  });
});
