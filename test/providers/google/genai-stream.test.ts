import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import { llmSpansAfterCollection } from '../../helpers/gc';
import { expectAbandoned } from '../../helpers/tracing';
import { STREAM_ABANDONED_EVENT } from '../../../lib/instrumentation/llm-call';
import { stable, storyStreamAttributes } from './expected';
import { errorResponse, functionCallStream, MODEL_VERSION, sse, textStream } from './fixtures';
import { useGenAISuite } from './genai-suite';

/** `models.generateContentStream`: assembled output, and how a stream that does not run to its end ends its span. */
describe('google @google/genai', () => {
  const suite = useGenAISuite();
  const { tracing, onlySpan } = suite;

  describe('generateContentStream', () => {
    it('assembles the text, takes usage from the last chunk with usageMetadata, ends once at the end', async () => {
      suite.server.reply(sse(textStream()));
      const stream = await suite.ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Tell a story' });
      const seen: string[] = [];
      for await (const chunk of stream) seen.push(chunk.text ?? '');
      expect(seen).to.deep.equal(['Once ', 'upon ', 'a time.']);
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(span.events).to.have.length(0);
      expect(stable(span)).to.deep.equal(storyStreamAttributes(MODEL_VERSION));
      expect(suite.server.requests.at(-1)!.path).to.equal('/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse');
    });

    it('streamed function call and a usage-only last chunk', async () => {
      suite.server.reply(sse(functionCallStream()));
      const stream = await suite.ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Weather in Rome?' });
      for await (const _ of stream) void _;
      const a = (await onlySpan()).attributes;
      expect(a['llm.output_messages.0.message.content']).to.equal('Checking.');
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.name']).to.equal('get_weather');
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal('{"city":"Rome"}');
      expect(a['llm.finish_reason']).to.equal('STOP');
      expect(a['llm.token_count.prompt']).to.equal(30);
      expect(a['llm.token_count.completion']).to.equal(6);
      expect(a['llm.token_count.total']).to.equal(36);
    });

    it('break: ends the span as abandoned with the partial output, no error', async () => {
      suite.server.reply(sse(textStream(), { delayMs: 50 }));
      const stream = await suite.ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Tell a story' });
      for await (const chunk of stream) {
        expect(chunk.text).to.equal('Once ');
        break;
      }
      const span = await onlySpan();
      expectAbandoned(span, 'Once ');
      expect(span.attributes['llm.token_count.prompt']).to.equal(9);
      expect(span.attributes['error.type']).to.equal(undefined);
    });

    it('abort through config.abortSignal mid-stream: abandoned, not ERROR; the app sees the SDK\'s abort', async () => {
      suite.server.reply(sse(textStream(), { holdAfter: 1 }));
      const controller = new AbortController();
      const stream = await suite.ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Tell a story', config: { abortSignal: controller.signal } });
      const seen: string[] = [];
      let caught: unknown;
      try {
        for await (const chunk of stream) {
          seen.push(chunk.text ?? '');
          controller.abort();
        }
      } catch (err) {
        caught = err;
      }
      expect(seen).to.deep.equal(['Once ']);
      expect((caught as Error | undefined)?.name).to.equal('AbortError');
      const span = await onlySpan();
      expectAbandoned(span, 'Once ');
    });

    it('dropped connection: ERROR with error.type, the same error reaches the app, partial output kept', async () => {
      suite.server.reply(sse(textStream(), { dropAfter: 1 }));
      const stream = await suite.ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Tell a story' });
      const seen: string[] = [];
      let caught: unknown;
      try {
        for await (const chunk of stream) seen.push(chunk.text ?? '');
      } catch (err) {
        caught = err;
      }
      expect(seen).to.deep.equal(['Once ']);
      expect(caught).to.be.instanceOf(Error);
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).to.equal((caught as Error).constructor.name);
      expect(span.events.map((e) => e.name)).to.deep.equal(['exception']);
      expect(span.attributes['llm.output_messages.0.message.content']).to.equal('Once ');
    });

    it('a stream the app drops unread ends as abandoned when collected', async function () {
      if (typeof global.gc !== 'function') this.skip();
      suite.server.reply(sse(textStream()));
      await (async () => {
        await suite.ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Tell a story' });
      })();
      const spans = await llmSpansAfterCollection(tracing);
      expect(spans).to.have.length(1);
      expect(spans[0].events.map((e) => e.name)).to.deep.equal([STREAM_ABANDONED_EVENT]);
    });

    it('an HTTP error before the stream starts: ERROR, ApiError rethrown', async () => {
      suite.server.reply(errorResponse(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.'));
      let caught: unknown;
      try {
        await suite.ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'x' });
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(suite.genai.ApiError);
      const span = await onlySpan();
      expect(span.status.code).to.equal(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).to.equal('ApiError');
    });
  });
});
