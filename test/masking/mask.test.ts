import { expect } from 'chai';
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { maskAttribute, maskAttributes, REDACTED, truncateDataUrl } from '../../lib/masking/mask';
import { resolveTraceConfig, TraceConfigOptions } from '../../lib/masking/trace-config';

/** A config from code options only (an empty env, so the machine's variables cannot change the outcome). */
const config = (options: TraceConfigOptions = {}) => resolveTraceConfig(options, {});
const mask = (options: TraceConfigOptions, key: string, value: AttributeValue) => maskAttribute(config(options), key, value);

const PREFIX = 'data:image/png;base64,';
const dataUrl = (totalLength: number) => PREFIX + 'A'.repeat(totalLength - PREFIX.length);

describe('maskAttribute', () => {
  describe('base64 data URLs', () => {
    it('a longer one is truncated to exactly the limit, keeping its data: prefix', () => {
      const masked = mask({}, 'llm.input_messages.0.message.contents.0.message_content.image.image.url', dataUrl(40000));
      expect(masked).to.be.a('string');
      expect((masked as string).length).to.equal(32000);
      expect(masked).to.equal(dataUrl(32000));
    });

    it('one of exactly the limit, and a short one, are kept whole', () => {
      expect(truncateDataUrl(dataUrl(32000), 32000)).to.equal(dataUrl(32000));
      expect(truncateDataUrl(dataUrl(100), 32000)).to.equal(dataUrl(100));
    });

    it('a limit shorter than the prefix still keeps the whole prefix', () => {
      expect(truncateDataUrl(dataUrl(500), 5)).to.equal(PREFIX);
      expect(truncateDataUrl(dataUrl(500), 0)).to.equal(PREFIX);
    });

    it('follows the configured limit (option or env)', () => {
      expect(maskAttribute(resolveTraceConfig({}, { OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH: '50' }), 'x', dataUrl(80))).to.equal(dataUrl(50));
      expect(mask({ base64ImageMaxLength: 64 }, 'x', dataUrl(80))).to.equal(dataUrl(64));
    });

    it('long strings that are not base64 data URLs are untouched', () => {
      const long = 'x'.repeat(40000);
      const plainData = 'data:text/plain,' + 'x'.repeat(40000);
      expect(truncateDataUrl(long, 32000)).to.equal(long);
      expect(truncateDataUrl(plainData, 32000)).to.equal(plainData);
      expect(truncateDataUrl(42, 1)).to.equal(42);
    });

    it('a truncated one does not keep the whole image alive (10 images of 5 MB, heads kept: heap < 15 MB)', () => {
      const gc = (globalThis as { gc?: () => void }).gc!;
      // A fresh flat string, as an app's base64 encoding gives one (a repeat() would be a cheap rope).
      const image = (i: number) => (JSON.parse(JSON.stringify({ u: dataUrl(5_000_000) + i })) as { u: string }).u;
      const key = 'llm.input_messages.0.message.contents.0.message_content.image.image.url';
      mask({}, key, image(-1));
      gc();
      const before = process.memoryUsage().heapUsed;
      const kept = Array.from({ length: 10 }, (_, i) => mask({}, key, image(i)));
      gc();
      const grown = process.memoryUsage().heapUsed - before;
      expect(kept.map((u) => (u as string).length)).to.deep.equal(Array(10).fill(32000));
      expect(grown).to.be.below(15e6);
    });

    it('applies on any key when nothing is hidden, and on image keys when other things are', () => {
      expect(mask({}, 'some.other.key', dataUrl(40000))).to.equal(dataUrl(32000));
      expect(mask({ hideOutputs: true }, 'llm.input_messages.1.message.contents.2.message_content.image.image.url', dataUrl(40000))).to.equal(dataUrl(32000));
    });
  });

  describe('categories', () => {
    const secret = 'the secret';

    it('input.value / input.mime_type', () => {
      expect(mask({}, 'input.value', secret)).to.equal(secret);
      expect(mask({ hideInputs: true }, 'input.value', secret)).to.equal(REDACTED);
      expect(mask({ captureContent: false }, 'input.value', secret)).to.equal(REDACTED);
      expect(mask({ hideInputs: true }, 'input.mime_type', 'text/plain')).to.equal(undefined);
      expect(mask({ captureContent: false }, 'input.mime_type', 'text/plain')).to.equal('text/plain');
      expect(mask({ hideOutputs: true }, 'input.value', secret)).to.equal(secret);
    });

    it('output.value / output.mime_type', () => {
      expect(mask({ hideOutputs: true }, 'output.value', secret)).to.equal(REDACTED);
      expect(mask({ captureContent: false }, 'output.value', secret)).to.equal(REDACTED);
      expect(mask({ hideOutputs: true }, 'output.mime_type', 'application/json')).to.equal(undefined);
      expect(mask({ hideInputs: true }, 'output.value', secret)).to.equal(secret);
    });

    it('input message structure (role, name, tool_call_id, tool call id/name, part type) is kept unless messages are hidden', () => {
      const keys = [
        'llm.input_messages.0.message.role',
        'llm.input_messages.0.message.name',
        'llm.input_messages.2.message.tool_call_id',
        'llm.input_messages.1.message.tool_calls.0.tool_call.id',
        'llm.input_messages.1.message.tool_calls.0.tool_call.function.name',
        'llm.input_messages.0.message.contents.0.message_content.type',
      ];
      for (const key of keys) {
        expect(mask({ hideInputText: true, captureContent: false }, key, 'v'), key).to.equal('v');
        expect(mask({ hideInputMessages: true }, key, 'v'), key).to.equal(undefined);
        expect(mask({ hideInputs: true }, key, 'v'), key).to.equal(undefined);
      }
    });

    it('input message text (content, part text, tool-call arguments) is redacted by hideInputText, dropped with the messages', () => {
      const keys = [
        'llm.input_messages.0.message.content',
        'llm.input_messages.0.message.contents.1.message_content.text',
        'llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments',
      ];
      for (const key of keys) {
        expect(mask({ hideOutputText: true }, key, secret), key).to.equal(secret);
        expect(mask({ hideInputText: true }, key, secret), key).to.equal(REDACTED);
        expect(mask({ captureContent: false }, key, secret), key).to.equal(REDACTED);
        expect(mask({ hideInputMessages: true }, key, secret), key).to.equal(undefined);
        expect(mask({ hideInputs: true }, key, secret), key).to.equal(undefined);
      }
    });

    it('input images are dropped by hideInputImages / captureContent: false, and truncated otherwise', () => {
      const key = 'llm.input_messages.0.message.contents.1.message_content.image.image.url';
      expect(mask({ hideInputImages: true }, key, 'https://x/cat.png')).to.equal(undefined);
      expect(mask({ captureContent: false }, key, 'https://x/cat.png')).to.equal(undefined);
      expect(mask({ hideInputMessages: true }, key, 'https://x/cat.png')).to.equal(undefined);
      expect(mask({ hideInputText: true }, key, 'https://x/cat.png')).to.equal('https://x/cat.png');
    });

    it('output messages mirror the input rules (text, tool-call arguments, structure, images)', () => {
      const text = 'llm.output_messages.0.message.content';
      const args = 'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments';
      const name = 'llm.output_messages.0.message.tool_calls.0.tool_call.function.name';
      const image = 'llm.output_messages.0.message.contents.0.message_content.image.image.url';
      for (const key of [text, args]) {
        expect(mask({ hideOutputText: true }, key, secret), key).to.equal(REDACTED);
        expect(mask({ captureContent: false }, key, secret), key).to.equal(REDACTED);
        expect(mask({ hideOutputMessages: true }, key, secret), key).to.equal(undefined);
        expect(mask({ hideOutputs: true }, key, secret), key).to.equal(undefined);
        expect(mask({ hideInputText: true }, key, secret), key).to.equal(secret);
      }
      expect(mask({ hideOutputText: true }, name, 'get_weather')).to.equal('get_weather');
      expect(mask({ hideOutputMessages: true }, name, 'get_weather')).to.equal(undefined);
      expect(mask({ captureContent: false }, image, 'https://x/out.png')).to.equal(undefined);
      expect(mask({ hideOutputText: true }, image, dataUrl(40000))).to.equal(dataUrl(32000));
    });

    it('llm.tools, llm.invocation_parameters, llm.prompts, llm.choices', () => {
      expect(mask({ hideLlmTools: true }, 'llm.tools.0.tool.json_schema', '{}')).to.equal(undefined);
      expect(mask({ captureContent: false }, 'llm.tools.0.tool.json_schema', '{}')).to.equal('{}');
      expect(mask({ hideLlmInvocationParameters: true }, 'llm.invocation_parameters', '{}')).to.equal(undefined);
      expect(mask({ captureContent: false }, 'llm.invocation_parameters', '{"temperature":1}')).to.equal('{"temperature":1}');
      expect(mask({ hidePrompts: true }, 'llm.prompts', ['p'])).to.equal(undefined);
      expect(mask({ hideInputs: true }, 'llm.prompts', ['p'])).to.equal(undefined);
      expect(mask({ captureContent: false }, 'llm.prompts', ['p'])).to.equal(undefined);
      expect(mask({ hideChoices: true }, 'llm.choices.0.text', 'c')).to.equal(undefined);
      expect(mask({ hideOutputs: true }, 'llm.choices.0.text', 'c')).to.equal(undefined);
    });

    it('embedding vectors are dropped, embedding texts redacted', () => {
      expect(mask({ hideEmbeddingsVectors: true }, 'embedding.embeddings.0.embedding.vector', [0.1, 0.2])).to.equal(undefined);
      expect(mask({ captureContent: false }, 'embedding.embeddings.3.embedding.vector', [0.1])).to.equal(undefined);
      expect(mask({ hideEmbeddingsText: true }, 'embedding.embeddings.0.embedding.text', secret)).to.equal(REDACTED);
      expect(mask({ hideEmbeddingsText: true }, 'embedding.embeddings.0.embedding.vector', [0.5])).to.deep.equal([0.5]);
      expect(mask({ hideEmbeddingsVectors: true }, 'embedding.model_name', 'text-embedding-3-small')).to.equal('text-embedding-3-small');
    });

    it("other instrumentations' gen_ai.* / OpenLLMetry / Vercel AI content keys are redacted like our messages", () => {
      const inputKeys = [
        'gen_ai.input.messages', 'gen_ai.system_instructions', 'gen_ai.tool.call.arguments', 'gen_ai.prompt',
        'gen_ai.prompt.0.content', 'ai.prompt.messages', 'llm.prompt_template.variables',
      ];
      const outputKeys = ['gen_ai.output.messages', 'gen_ai.tool.call.result', 'gen_ai.completion', 'gen_ai.completion.0.content', 'ai.response.text'];
      for (const key of inputKeys) {
        for (const options of [{ hideInputs: true }, { hideInputMessages: true }, { hideInputText: true }, { captureContent: false }]) {
          expect(mask(options, key, secret), `${key} ${JSON.stringify(options)}`).to.equal(REDACTED);
        }
        expect(mask({ hideOutputs: true }, key, secret), key).to.equal(secret);
      }
      for (const key of outputKeys) {
        for (const options of [{ hideOutputs: true }, { hideOutputMessages: true }, { hideOutputText: true }, { captureContent: false }]) {
          expect(mask(options, key, secret), `${key} ${JSON.stringify(options)}`).to.equal(REDACTED);
        }
        expect(mask({ hideInputs: true }, key, secret), key).to.equal(secret);
      }
      expect(mask({ captureContent: false }, 'gen_ai.prompt.0.role', 'user')).to.equal('user');
      expect(mask({ captureContent: false }, 'gen_ai.completion.0.finish_reason', 'stop')).to.equal('stop');
    });

    it('retrieval and reranker documents, templates, tool definitions: hidden as content; their ids and scores are not', () => {
      for (const options of [{ captureContent: false }, { hideOutputs: true }, { hideOutputText: true }, { hideOutputMessages: true }]) {
        expect(mask(options, 'retrieval.documents.3.document.content', secret), JSON.stringify(options)).to.equal(REDACTED);
        expect(mask(options, 'retrieval.documents.3.document.metadata', '{"a":1}'), JSON.stringify(options)).to.equal(REDACTED);
        expect(mask(options, 'retrieval.documents.3.document.id', 'd3')).to.equal('d3');
        expect(mask(options, 'retrieval.documents.3.document.score', 0.5)).to.equal(0.5);
      }
      expect(mask({ hideInputs: true }, 'retrieval.documents.0.document.content', secret)).to.equal(secret);
      expect(mask({ hideInputText: true }, 'reranker.input_documents.0.document.content', secret)).to.equal(REDACTED);
      expect(mask({ captureContent: false }, 'llm.prompt_template.template', 'Hi {name}')).to.equal(REDACTED);
      expect(mask({ captureContent: false }, 'llm.prompt_template.version', 'v2')).to.equal('v2');
      expect(mask({ captureContent: false }, 'tool.description', secret)).to.equal(REDACTED);
      expect(mask({ hideLlmTools: true }, 'tool.parameters', '{}')).to.equal(undefined);
      expect(mask({ captureContent: false }, 'tool.name', 'lookup')).to.equal('lookup');
    });

    it('embedding text is input text, as the OpenInference spec says: HIDE_INPUT_MESSAGES and HIDE_INPUT_TEXT hide it too', () => {
      for (const options of [{ hideInputMessages: true }, { hideInputText: true }, { hideEmbeddingsText: true }, { hideInputs: true }]) {
        expect(mask(options, 'embedding.embeddings.0.embedding.text', secret), JSON.stringify(options)).to.equal(REDACTED);
      }
      expect(mask({ hideOutputs: true }, 'embedding.embeddings.0.embedding.text', secret)).to.equal(secret);
    });

    it('gen_ai.prompt.name (a prompt\'s name in the GenAI/MCP conventions) is kept, whatever is hidden', () => {
      for (const options of [{ captureContent: false }, { hideInputs: true }, { hidePrompts: true }, { hideInputText: true }]) {
        expect(mask(options, 'gen_ai.prompt.name', 'weekly-report'), JSON.stringify(options)).to.equal('weekly-report');
      }
      expect(mask({ captureContent: false }, 'gen_ai.prompt.2.content', secret)).to.equal(REDACTED);
    });

    it('counts, models, timing and errors are never hidden, whatever is set', () => {
      const hideAll: TraceConfigOptions = {
        captureContent: false, hideInputs: true, hideOutputs: true, hideInputMessages: true, hideOutputMessages: true,
        hideInputImages: true, hideInputText: true, hideOutputText: true, hideLlmTools: true, hideLlmInvocationParameters: true,
        hidePrompts: true, hideChoices: true, hideEmbeddingsVectors: true, hideEmbeddingsText: true,
      };
      const kept: Attributes = {
        'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o', 'llm.model': 'gpt-4o', 'llm.provider': 'openai',
        'llm.token_count.prompt': 10, 'llm.token_count.completion': 5, 'llm.prompt_tokens': 10, 'llm.completion_tokens': 5,
        'llm.temperature': 0.2, 'llm.latency_ms': 12.5, 'error.type': 'RateLimitError', 'llm.finish_reason': 'stop',
        'gen_ai.usage.input_tokens': 10, 'gen_ai.request.model': 'gpt-4o',
      };
      for (const [key, value] of Object.entries(kept)) expect(mask(hideAll, key, value!), key).to.deep.equal(value);
    });
  });
});

describe('maskAttribute on hostile values', () => {
  it('a reduction of JSON nested 100,000 deep through setting keys does not throw (which left the rest of the span unmasked): it keeps what is within 32 levels', () => {
    const depth = 100_000;
    const deep = (key: string) => `${`{"${key}":`.repeat(depth)}1${'}'.repeat(depth)}`;
    expect(mask({ captureContent: false }, 'llm.invocation_parameters', `{"temperature":0.5,"reasoning":${deep('reasoning')}}`)).to.equal('{"temperature":0.5}');
    expect(mask({ captureContent: false }, 'llm.tools.0.tool.json_schema', `{"name":"f","function":${deep('function')}}`))
      .to.equal(`{"name":"f","function":${'{"function":'.repeat(30)}{}${'}'.repeat(30)}}`);
    // Real settings nest a few levels, and stay.
    expect(mask({ captureContent: false }, 'llm.invocation_parameters', '{"tool_choice":{"type":"function","function":{"name":"f"}},"thinking":{"budget_tokens":9}}'))
      .to.equal('{"tool_choice":{"type":"function","function":{"name":"f"}},"thinking":{"budget_tokens":9}}');
  });
});

describe('maskAttributes', () => {
  it('masks in place: drops hidden keys, replaces redacted ones, keeps the rest, returns the same map', () => {
    const attributes: Attributes = {
      'input.value': 'hello',
      'input.mime_type': 'text/plain',
      'llm.input_messages.0.message.role': 'user',
      'llm.input_messages.0.message.content': 'hello',
      'llm.token_count.prompt': 3,
    };
    const out = maskAttributes(config({ hideInputs: true }), attributes);
    expect(out).to.equal(attributes);
    expect(attributes).to.deep.equal({ 'input.value': REDACTED, 'llm.token_count.prompt': 3 });
  });
});
