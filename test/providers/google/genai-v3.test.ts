import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, llmSpans } from '../../helpers/tracing';
import { useProviderSuite } from '../../helpers/provider-suite';
import { API_KEY, generateContentResponse, MODEL_VERSION, sse, textStream, usage } from './fixtures';

/**
 * `@google/genai` 3.x, the newest major in our range, installed under the alias `genai-v3` and patched
 * through `manuallyInstrument` (the require hook matches the name `@google/genai`, which is 2.x here).
 */
describe('google @google/genai 3.x', () => {
  const tracing = createTracing();
  let server: FakeLlmServer;
  let ai: any;

  useProviderSuite(
    async (instrumentation) => {
      const genai = require('genai-v3');
      instrumentation.manuallyInstrument(genai);
      server = await startFakeLlmServer();
      ai = new genai.GoogleGenAI({ apiKey: API_KEY, httpOptions: { baseUrl: server.origin } });
      return { server };
    },
    { tracing },
  );

  it('generateContent: model, output and exact token counts', async () => {
    server.reply({ json: generateContentResponse() });
    const result = await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'Say hello', config: { temperature: 0.2 } });
    expect(result.text).to.equal('Hello there!');
    const [span] = llmSpans(await tracing.spans());
    const expected = usage();
    expect(span.name).to.equal('generate_content gemini-2.0-flash');
    expect(span.attributes['llm.provider']).to.equal('google');
    expect(span.attributes['llm.model_name']).to.equal(MODEL_VERSION);
    expect(span.attributes['llm.temperature']).to.equal(0.2);
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Hello there!');
    expect(span.attributes['llm.token_count.prompt']).to.equal(expected.promptTokenCount);
    expect(span.attributes['llm.token_count.total']).to.equal(expected.totalTokenCount);
    expect(JSON.stringify(span.attributes)).not.to.contain(API_KEY);
  });

  it('generateContentStream: one span, OK, text and usage from the stream', async () => {
    server.reply(sse(textStream()));
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Tell a story' });
    let text = '';
    for await (const chunk of stream) text += chunk.text ?? '';
    const [span] = llmSpans(await tracing.spans());
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(text).to.equal('Once upon a time.');
    expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Once upon a time.');
    // Usage comes from the last chunk that carries it.
    expect(span.attributes['llm.token_count.prompt']).to.equal(9);
    expect(span.attributes['llm.token_count.completion']).to.equal(4);
    expect(span.attributes['llm.finish_reason']).to.equal('STOP');
  });
});
