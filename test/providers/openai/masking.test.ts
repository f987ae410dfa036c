import { expect } from 'chai';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { REDACTED } from '../../../lib/masking/mask';
import type { SseEvent } from '../../helpers/fake-llm-server';
import { llmSpans } from '../../helpers/tracing';
import { useOpenAISuite } from './client';
import { chatCompletion } from './fixtures';

/** A marked string put in every piece of content: it must not appear in any attribute when content is off. */
const SECRET = 'SECRET-7f3a9c';
const IMAGE_PREFIX = 'data:image/png;base64,';

const requestWithSecrets = {
  model: 'gpt-4o-mini',
  temperature: 0.3,
  messages: [
    { role: 'system' as const, content: `You guard ${SECRET}.` },
    {
      role: 'user' as const,
      content: [
        { type: 'text' as const, text: `What is ${SECRET}?` },
        { type: 'image_url' as const, image_url: { url: `https://img.example.com/${SECRET}.png` } },
      ],
    },
    {
      role: 'assistant' as const,
      content: null,
      tool_calls: [{ id: 'call_0', type: 'function' as const, function: { name: 'lookup', arguments: `{"q":"${SECRET}"}` } }],
    },
    { role: 'tool' as const, tool_call_id: 'call_0', content: `found ${SECRET}` },
  ],
  tools: [{ type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }],
};

const responseWithSecrets = chatCompletion({
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: `It is ${SECRET}.`,
        refusal: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: `{"q":"more ${SECRET}"}` } }],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
});

function streamWithSecrets(): SseEvent[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id: 'chatcmpl-9', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  return [
    { data: chunk({ role: 'assistant', content: `It is ` }) },
    { data: chunk({ content: SECRET }) },
    { data: chunk({ tool_calls: [{ index: 0, id: 'call_2', type: 'function', function: { name: 'lookup', arguments: `{"q":"${SECRET}"}` } }] }) },
    { data: chunk({}, 'tool_calls') },
    { data: { id: 'chatcmpl-9', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini-2024-07-18', choices: [], usage: { prompt_tokens: 30, completion_tokens: 9, total_tokens: 39 } } },
    { data: '[DONE]' },
  ];
}

/** Every attribute value, stringified, so a secret anywhere (arrays and JSON strings included) is found. */
const allValues = (span: ReadableSpan) => JSON.stringify(Object.values(span.attributes));

describe('openai masking through the SDK', () => {
  const suite = useOpenAISuite();
  const { tracing } = suite;
  after(() => suite.instrumentation.setConfig({}));
  afterEach(() => suite.instrumentation.setConfig({}));

  async function onlyLlmSpan(): Promise<ReadableSpan> {
    const spans = llmSpans(await tracing.spans());
    expect(spans).to.have.length(1);
    return spans[0];
  }

  it('the marked secret is recorded when content capture is on (so the checks below can fail)', async () => {
    suite.server.reply({ json: responseWithSecrets });
    await suite.client.chat.completions.create(requestWithSecrets);
    const span = await onlyLlmSpan();
    expect(span.attributes['llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments']).to.equal(`{"q":"${SECRET}"}`);
    expect(span.attributes['llm.input_messages.1.message.contents.1.message_content.image.image.url']).to.equal(`https://img.example.com/${SECRET}.png`);
    expect(span.attributes['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal(`{"q":"more ${SECRET}"}`);
  });

  describe('captureContent: false', () => {
    beforeEach(() => suite.instrumentation.setConfig({ captureContent: false }));

    it('no prompt, completion, tool-argument or image text in any attribute; counts, model, latency stay', async () => {
      suite.server.reply({ json: responseWithSecrets });
      const result = await suite.client.chat.completions.create(requestWithSecrets);
      // The app's own data is untouched.
      expect(result.choices[0].message.content).to.equal(`It is ${SECRET}.`);
      const span = await onlyLlmSpan();
      const a = span.attributes;
      expect(allValues(span)).not.to.contain(SECRET);
      expect(span.name).not.to.contain(SECRET);
      expect(span.status.code).to.equal(SpanStatusCode.OK);
      expect(a['llm.model_name']).to.equal('gpt-4o-mini-2024-07-18');
      expect(a['llm.model']).to.equal('gpt-4o-mini-2024-07-18');
      expect(a['llm.provider']).to.equal('openai');
      expect(a['llm.token_count.prompt']).to.equal(19);
      expect(a['llm.token_count.completion']).to.equal(10);
      expect(a['llm.token_count.total']).to.equal(29);
      expect(a['llm.prompt_tokens']).to.equal(19);
      expect(a['llm.completion_tokens']).to.equal(10);
      expect(a['llm.temperature']).to.equal(0.3);
      expect(a['llm.latency_ms']).to.be.a('number').and.greaterThan(0);
      expect(a['llm.finish_reason']).to.equal('tool_calls');
      // Structure stays, content is redacted.
      expect(a['llm.input_messages.0.message.role']).to.equal('system');
      expect(a['llm.input_messages.0.message.content']).to.equal(REDACTED);
      expect(a['llm.input_messages.1.message.contents.0.message_content.text']).to.equal(REDACTED);
      expect(a).not.to.have.property('llm.input_messages.1.message.contents.1.message_content.image.image.url');
      expect(a['llm.input_messages.2.message.tool_calls.0.tool_call.function.name']).to.equal('lookup');
      expect(a['llm.input_messages.2.message.tool_calls.0.tool_call.function.arguments']).to.equal(REDACTED);
      expect(a['llm.input_messages.3.message.tool_call_id']).to.equal('call_0');
      expect(a['llm.output_messages.0.message.content']).to.equal(REDACTED);
      expect(a['llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments']).to.equal(REDACTED);
      expect(a['input.value']).to.equal(REDACTED);
      expect(a['output.value']).to.equal(REDACTED);
    });

    it('a streamed answer keeps no content either', async () => {
      suite.server.reply({ sse: streamWithSecrets() });
      const stream = await suite.client.chat.completions.create({ ...requestWithSecrets, stream: true, stream_options: { include_usage: true } });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      expect(text).to.equal(`It is ${SECRET}`);
      const span = await onlyLlmSpan();
      expect(allValues(span)).not.to.contain(SECRET);
      expect(span.attributes['llm.token_count.total']).to.equal(39);
      expect(span.attributes['llm.output_messages.0.message.tool_calls.0.tool_call.id']).to.equal('call_2');
    });

    it('a failed call keeps error.type and no content', async () => {
      suite.server.reply({ status: 400, json: { error: { message: 'bad request', type: 'invalid_request_error' } } });
      let caught: unknown;
      try {
        await suite.client.chat.completions.create(requestWithSecrets);
      } catch (err) {
        caught = err;
      }
      expect((caught as Error).constructor.name).to.equal('BadRequestError');
      const span = await onlyLlmSpan();
      expect(allValues(span)).not.to.contain(SECRET);
      expect(span.attributes['error.type']).to.equal('BadRequestError');
      expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    });
  });

  describe('environment only', () => {
    const saved: Record<string, string | undefined> = {};
    const setEnv = (name: string, value: string) => {
      if (!(name in saved)) saved[name] = process.env[name];
      process.env[name] = value;
    };
    afterEach(() => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
        delete saved[name];
      }
      suite.instrumentation.setConfig({});
    });

    it('OPENINFERENCE_HIDE_INPUTS=true with no options: inputs hidden, outputs kept', async () => {
      setEnv('OPENINFERENCE_HIDE_INPUTS', 'true');
      suite.instrumentation.setConfig({});
      expect(suite.instrumentation.traceConfig.hideInputs).to.equal(true);
      suite.server.reply({ json: responseWithSecrets });
      await suite.client.chat.completions.create(requestWithSecrets);
      const a = (await onlyLlmSpan()).attributes;
      expect(a['input.value']).to.equal(REDACTED);
      expect(a).not.to.have.property('input.mime_type');
      expect(Object.keys(a).filter((k) => k.startsWith('llm.input_messages.'))).to.deep.equal([]);
      expect(a['llm.output_messages.0.message.content']).to.equal(`It is ${SECRET}.`);
      expect(a['llm.token_count.prompt']).to.equal(19);
    });

    it('INFINIUM_CAPTURE_CONTENT=false with no options hides content like the option does', async () => {
      setEnv('INFINIUM_CAPTURE_CONTENT', 'false');
      suite.instrumentation.setConfig({});
      suite.server.reply({ json: responseWithSecrets });
      await suite.client.chat.completions.create(requestWithSecrets);
      const span = await onlyLlmSpan();
      expect(allValues(span)).not.to.contain(SECRET);
      expect(span.attributes['llm.token_count.completion']).to.equal(10);
    });

    it('the option in code wins over the variable', async () => {
      setEnv('OPENINFERENCE_HIDE_INPUTS', 'true');
      suite.instrumentation.setConfig({ hideInputs: false });
      suite.server.reply({ json: responseWithSecrets });
      await suite.client.chat.completions.create(requestWithSecrets);
      const a = (await onlyLlmSpan()).attributes;
      expect(a['llm.input_messages.0.message.content']).to.equal(`You guard ${SECRET}.`);
    });
  });

  describe('base64 images', () => {
    const bigImage = IMAGE_PREFIX + 'iVBORw0KGgo'.repeat(4000); // 44022 characters
    const imageRequest = {
      model: 'gpt-4o-mini',
      messages: [
        {
          role: 'user' as const,
          content: [
            { type: 'text' as const, text: 'Describe this.' },
            { type: 'image_url' as const, image_url: { url: bigImage } },
          ],
        },
      ],
    };

    it('an image_url data: URL longer than 32000 is truncated to 32000 with its prefix kept, everywhere', async () => {
      expect(bigImage.length).to.be.greaterThan(32000);
      suite.server.reply({ json: chatCompletion() });
      await suite.client.chat.completions.create(imageRequest);
      // The SDK sent the whole image.
      expect(suite.server.requests.at(-1)!.body.messages[0].content[1].image_url.url).to.equal(bigImage);
      const span = await onlyLlmSpan();
      const url = span.attributes['llm.input_messages.0.message.contents.1.message_content.image.image.url'] as string;
      expect(url.length).to.equal(32000);
      expect(url).to.equal(bigImage.slice(0, 32000));
      expect(url.startsWith(IMAGE_PREFIX)).to.equal(true);
      // input.value (the messages as JSON) must not smuggle the whole image past the limit; it stays JSON
      // within the 32000-character text cap, the image cut further with the marker (32000 chars before).
      const inputValue = JSON.parse(span.attributes['input.value'] as string);
      expect((span.attributes['input.value'] as string).length).to.be.at.most(32000);
      expect(span.attributes['input.mime_type']).to.equal('application/json');
      const marker = '…[truncated: 32000 chars]';
      expect(inputValue[0].parts[1].imageUrl).to.equal(bigImage.slice(0, 16000 - marker.length) + marker);
      for (const value of Object.values(span.attributes)) expect(JSON.stringify(value)).not.to.contain(bigImage);
    });

    it('OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH from the environment sets the limit', async () => {
      const savedMax = process.env.OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH;
      process.env.OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH = '1000';
      try {
        suite.instrumentation.setConfig({});
        suite.server.reply({ json: chatCompletion() });
        await suite.client.chat.completions.create(imageRequest);
        const url = (await onlyLlmSpan()).attributes['llm.input_messages.0.message.contents.1.message_content.image.image.url'];
        expect(url).to.equal(bigImage.slice(0, 1000));
      } finally {
        if (savedMax === undefined) delete process.env.OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH;
        else process.env.OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH = savedMax;
        suite.instrumentation.setConfig({});
      }
    });

    it('hideInputImages drops the image from the messages and from input.value', async () => {
      suite.instrumentation.setConfig({ hideInputImages: true });
      suite.server.reply({ json: chatCompletion() });
      await suite.client.chat.completions.create(imageRequest);
      const span = await onlyLlmSpan();
      expect(span.attributes).not.to.have.property('llm.input_messages.0.message.contents.1.message_content.image.image.url');
      expect(span.attributes['llm.input_messages.0.message.contents.1.message_content.type']).to.equal('image');
      expect(allValues(span)).not.to.contain('iVBORw0KGgo');
      expect(span.attributes['llm.input_messages.0.message.contents.0.message_content.text']).to.equal('Describe this.');
    });
  });
});
