import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { llmSpans } from '../../helpers/tracing';
import { stable } from './expected';
import { embeddingsResponse, generateContentResponse, sse, textStream } from './fixtures';
import { useGenAISuite } from './genai-suite';

/** The chat sessions (one span per message, through `models.generateContent`) and `models.embedContent`. */
describe('google @google/genai', () => {
  const suite = useGenAISuite();
  const { tracing, onlySpan } = suite;

  describe('chats (traced through models.generateContent, once per message)', () => {
    it('sendMessage: one span per message, with the system instruction and the history', async () => {
      suite.server.reply({ json: generateContentResponse() });
      const chat = suite.ai.chats.create({ model: 'gemini-2.0-flash', config: { systemInstruction: 'You are terse.', temperature: 0.5 } });
      await chat.sendMessage({ message: 'Hi' });
      suite.server.reply({ json: generateContentResponse([{ text: 'Still here.' }]) });
      const second = await chat.sendMessage({ message: 'Still there?' });
      expect(second.text).to.equal('Still here.');
      const spans = llmSpans(await tracing.spans());
      expect(spans).to.have.length(2);
      expect(suite.server.requests.slice(-2).map((r) => r.path)).to.deep.equal([
        '/v1beta/models/gemini-2.0-flash:generateContent',
        '/v1beta/models/gemini-2.0-flash:generateContent',
      ]);
      const a = spans[1].attributes;
      expect(JSON.parse(a['input.value'] as string)).to.deep.equal([
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello there!' },
        { role: 'user', content: 'Still there?' },
      ]);
      expect(a['llm.temperature']).to.equal(0.5);
      expect(a['output.value']).to.equal('Still here.');
    });

    it('sendMessageStream: one span, ended by the stream', async () => {
      suite.server.reply(sse(textStream()));
      const chat = suite.ai.chats.create({ model: 'gemini-2.0-flash' });
      const stream = await chat.sendMessageStream({ message: 'Story?' });
      let text = '';
      for await (const chunk of stream) text += chunk.text ?? '';
      expect(text).to.equal('Once upon a time.');
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Once upon a time.');
      expect(span.attributes['llm.token_count.total']).to.equal(13);
      // The session still records the turn (our iterator passes every chunk through).
      expect((await chat.getHistory())[0]).to.deep.equal({ role: 'user', parts: [{ text: 'Story?' }] });
    });
  });

  it('embedContent: an EMBEDDING span with each text and its vector', async () => {
    suite.server.reply({ json: embeddingsResponse([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]) });
    const result = await suite.ai.models.embedContent({
      model: 'text-embedding-004',
      contents: ['What is your name?', 'What is your favorite color?'],
      config: { outputDimensionality: 3 },
    });
    expect(result.embeddings?.map((e) => e.values)).to.deep.equal([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]);
    const span = await onlySpan();
    expect(span.name).to.equal('embeddings text-embedding-004');
    expect(suite.server.requests.at(-1)!.path).to.equal('/v1beta/models/text-embedding-004:batchEmbedContents');
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'EMBEDDING',
      'llm.provider': 'google',
      'llm.system': 'vertexai',
      'embedding.model_name': 'text-embedding-004',
      'llm.model': 'text-embedding-004',
      'llm.invocation_parameters': '{"outputDimensionality":3}',
      'embedding.embeddings.0.embedding.text': 'What is your name?',
      'embedding.embeddings.0.embedding.vector': [0.1, 0.2, 0.3],
      'embedding.embeddings.1.embedding.text': 'What is your favorite color?',
      'embedding.embeddings.1.embedding.vector': [0.4, 0.5, 0.6],
      'input.value': '["What is your name?","What is your favorite color?"]',
      'input.mime_type': 'application/json',
    });
  });
});
