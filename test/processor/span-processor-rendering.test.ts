import { expect } from 'chai';
import { SpanKind } from '@opentelemetry/api';
import { InfiniumSpanProcessorOptions } from '../../lib/processor/span-processor';
import { foreignSpan, GENAI_CHAT, GENAI_CHAT_RENDERED, withoutLatency } from './genai-fixtures';
import { byName, setup, trackProcessors } from './span-processor-setup';

/** What the processor writes on each span: foreign GenAI spans rendered as OpenInference, and masking. */
describe('InfiniumSpanProcessor', () => {
  const track = trackProcessors();

  describe('foreign GenAI spans', () => {
    it('renders a GenAI chat span as an OpenInference LLM span, keeping its own attributes', async () => {
      const { tracing, tracer, inRoot } = track(setup());
      await inRoot(() => foreignSpan(tracer, { ...GENAI_CHAT, 'llm.provider': 'set-by-emitter' }));
      const span = byName(await tracing.spans(), 'chat gpt-4o');
      expect(withoutLatency(span.attributes)).to.deep.equal({ ...GENAI_CHAT, ...GENAI_CHAT_RENDERED, 'llm.provider': 'set-by-emitter' });
      const durationMs = span.duration[0] * 1e3 + span.duration[1] / 1e6;
      expect(span.attributes['llm.latency_ms']).to.equal(Math.round(durationMs * 1000) / 1000);
    });

    it('leaves a span that already has an OpenInference kind alone', async () => {
      const { tracing, tracer, inRoot } = track(setup());
      const attributes = { ...GENAI_CHAT, 'openinference.span.kind': 'LLM' };
      await inRoot(() => foreignSpan(tracer, attributes));
      expect(byName(await tracing.spans(), 'chat gpt-4o').attributes).to.deep.equal(attributes);
    });

    it('passes a span with nothing AI-related through unchanged', async () => {
      const { tracing, tracer, inRoot } = track(setup());
      const attributes = { 'http.request.method': 'GET', 'url.full': 'https://example.com/data:x', 'http.response.status_code': 200, tags: ['a', 'b'] };
      await inRoot(() => tracer.startSpan('GET', { kind: SpanKind.CLIENT, attributes }).end());
      const span = byName(await tracing.spans(), 'GET');
      expect(span.attributes).to.deep.equal(attributes);
      expect(span.events).to.deep.equal([]);
    });
  });

  describe('masking of every span', () => {
    const CONTENT = ['Be brief.', 'Weather in Paris?', 'It is 18C.', '18C', 'Paris'];
    async function maskedChat(options: InfiniumSpanProcessorOptions) {
      const { tracing, tracer, inRoot } = track(setup(options));
      await inRoot(() => {
        foreignSpan(tracer);
        // A span another library already rendered: its content is masked too.
        tracer.startSpan('oi', { attributes: { 'openinference.span.kind': 'LLM', 'input.value': 'Weather in Paris?', 'llm.output_messages.0.message.content': 'It is 18C.' } }).end();
        foreignSpan(tracer, { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'get_weather', 'gen_ai.tool.call.arguments': '{"city":"Paris"}', 'gen_ai.tool.call.result': '18C' }, 'tool');
      });
      const spans = await tracing.spans();
      return { chat: byName(spans, 'chat gpt-4o').attributes, oi: byName(spans, 'oi').attributes, tool: byName(spans, 'tool').attributes };
    }

    it('captureContent: false leaves no prompt or completion text on any span', async () => {
      const { chat, oi, tool } = await maskedChat({ captureContent: false });
      const all = JSON.stringify([chat, oi, tool]);
      for (const text of CONTENT) expect(all, text).not.to.contain(text);
      expect(chat['gen_ai.input.messages']).to.equal('__REDACTED__');
      expect(chat['gen_ai.output.messages']).to.equal('__REDACTED__');
      expect(chat['gen_ai.system_instructions']).to.equal('__REDACTED__');
      expect(chat['input.value']).to.equal('__REDACTED__');
      expect(chat['llm.input_messages.1.message.content']).to.equal('__REDACTED__');
      expect(chat['llm.input_messages.1.message.role']).to.equal('user');
      expect(chat['llm.token_count.prompt']).to.equal(40);
      expect(oi['input.value']).to.equal('__REDACTED__');
      expect(tool['gen_ai.tool.call.arguments']).to.equal('__REDACTED__');
      expect(tool['gen_ai.tool.call.result']).to.equal('__REDACTED__');
      expect(tool['tool.name']).to.equal('get_weather');
    });

    it('INFINIUM_CAPTURE_CONTENT=false in the environment does the same', async () => {
      const before = process.env.INFINIUM_CAPTURE_CONTENT;
      process.env.INFINIUM_CAPTURE_CONTENT = 'false';
      try {
        const { chat, oi, tool } = await maskedChat({});
        const all = JSON.stringify([chat, oi, tool]);
        for (const text of CONTENT) expect(all, text).not.to.contain(text);
      } finally {
        if (before === undefined) delete process.env.INFINIUM_CAPTURE_CONTENT;
        else process.env.INFINIUM_CAPTURE_CONTENT = before;
      }
    });

    it('hideInputs hides inputs only, dropping the message structure keys', async () => {
      const { chat, tool } = await maskedChat({ hideInputs: true });
      expect(chat['gen_ai.input.messages']).to.equal('__REDACTED__');
      expect(chat['gen_ai.system_instructions']).to.equal('__REDACTED__');
      expect(chat['input.value']).to.equal('__REDACTED__');
      expect(chat).not.to.have.property('input.mime_type');
      expect(Object.keys(chat).filter((k) => k.startsWith('llm.input_messages.'))).to.deep.equal([]);
      expect(chat['gen_ai.output.messages']).to.equal(GENAI_CHAT['gen_ai.output.messages']);
      expect(chat['output.value']).to.equal('It is 18C.');
      expect(tool['gen_ai.tool.call.arguments']).to.equal('__REDACTED__');
      expect(tool['gen_ai.tool.call.result']).to.equal('18C');
    });

    it('hideOutputs hides outputs only', async () => {
      const { chat, oi } = await maskedChat({ hideOutputs: true });
      expect(chat['gen_ai.output.messages']).to.equal('__REDACTED__');
      expect(chat['output.value']).to.equal('__REDACTED__');
      expect(Object.keys(chat).filter((k) => k.startsWith('llm.output_messages.'))).to.deep.equal([]);
      expect(oi).not.to.have.property('llm.output_messages.0.message.content');
      expect(chat['gen_ai.input.messages']).to.equal(GENAI_CHAT['gen_ai.input.messages']);
      expect(chat['llm.input_messages.1.message.content']).to.equal('Weather in Paris?');
    });

    it('hideInputText redacts the text and keeps the structure', async () => {
      const { chat } = await maskedChat({ hideInputText: true });
      expect(chat['gen_ai.input.messages']).to.equal('__REDACTED__');
      expect(chat['llm.input_messages.1.message.content']).to.equal('__REDACTED__');
      expect(chat['llm.input_messages.1.message.role']).to.equal('user');
      expect(chat['output.value']).to.equal('It is 18C.');
    });

    it('by default keeps content and truncates long base64 images on AI spans', async () => {
      const { tracing, tracer, inRoot } = track(setup({ base64ImageMaxLength: 40 }));
      const image = `data:image/png;base64,${'A'.repeat(100)}`;
      await inRoot(() => tracer.startSpan('oi', { attributes: { 'openinference.span.kind': 'LLM', 'llm.input_messages.0.message.contents.0.message_content.image.image.url': image } }).end());
      const span = byName(await tracing.spans(), 'oi');
      expect(span.attributes['llm.input_messages.0.message.contents.0.message_content.image.image.url']).to.equal(image.slice(0, 40));
    });
  });
});
