import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type OpenAIType from 'openai';
import type AnthropicType from '@anthropic-ai/sdk';
import type * as GenAI from '@google/genai';
import { InfiniumSpanProcessor } from '../../lib/processor/span-processor';
import type { InfiniumInstrumentation } from '../../lib/instrumentation/instrumentation';
import { FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server';
import { createTracing, llmSpans, useInstrumentation } from '../helpers/tracing';
import { loadOpenAI, openaiClient } from '../providers/openai/client';
import { chatCompletion, chatStream } from '../providers/openai/fixtures';
import { anthropicClient, loadAnthropic } from '../providers/anthropic/client';
import { message, MODEL as CLAUDE } from '../providers/anthropic/fixtures';
import { API_KEY as GOOGLE_KEY, generateContentResponse, MODEL_VERSION } from '../providers/google/fixtures';

/** Both conventions from one record, through the real SDKs; and GenAI alone with the span processor. */
describe('GenAI conventions on our spans (real SDKs)', () => {
  // The processor in its default (OpenInference): converting our GenAI-only span would add OpenInference keys.
  const processor = new InfiniumSpanProcessor();
  const tracing = createTracing([processor]);
  let instrumentation: InfiniumInstrumentation;
  let server: FakeLlmServer;
  let OpenAI: typeof OpenAIType;
  let openai: OpenAIType;
  let anthropic: AnthropicType;
  let ai: GenAI.GoogleGenAI;

  before(async () => {
    instrumentation = useInstrumentation(tracing).instrumentation;
    OpenAI = loadOpenAI();
    server = await startFakeLlmServer();
    openai = openaiClient(OpenAI, server);
    anthropic = anthropicClient(loadAnthropic(), server, tracing);
    const genai: typeof GenAI = require('@google/genai');
    ai = new genai.GoogleGenAI({ apiKey: GOOGLE_KEY, httpOptions: { baseUrl: server.origin } });
  });
  beforeEach(() => {
    tracing.reset();
    instrumentation.setConfig({ semconv: 'openinference,gen_ai' });
  });
  after(() => {
    instrumentation.setConfig({});
    return server.stop();
  });

  async function onlyLlmSpan(): Promise<ReadableSpan> {
    const spans = llmSpans(await tracing.spans());
    expect(spans).to.have.length(1);
    return spans[0];
  }

  it('OpenAI chat: OpenInference and GenAI keys on one span', async () => {
    server.reply({ json: chatCompletion() });
    await openai.chat.completions.create({ model: 'gpt-4o-mini', temperature: 0.2, seed: 7, response_format: { type: 'json_object' }, messages: [{ role: 'user', content: 'Hi' }] });
    const a = (await onlyLlmSpan()).attributes;
    expect(a['openinference.span.kind']).to.equal('LLM');
    expect(a['llm.token_count.prompt']).to.equal(19);
    expect(a['gen_ai.operation.name']).to.equal('chat');
    expect(a['gen_ai.provider.name']).to.equal('openai');
    expect(a['gen_ai.request.model']).to.equal('gpt-4o-mini');
    expect(a['gen_ai.response.model']).to.equal('gpt-4o-mini-2024-07-18');
    expect(a['gen_ai.response.id']).to.equal('chatcmpl-123');
    expect(a['gen_ai.response.finish_reasons']).to.deep.equal(['stop']);
    expect(a['gen_ai.request.temperature']).to.equal(0.2);
    expect(a['gen_ai.request.seed']).to.equal(7);
    expect(a['gen_ai.output.type']).to.equal('json');
    expect(a['gen_ai.usage.input_tokens']).to.equal(19);
    expect(a['gen_ai.usage.output_tokens']).to.equal(10);
    expect(a['gen_ai.usage.cache_read.input_tokens']).to.equal(4);
    expect(a['server.address']).to.equal('api.openai.com');
    expect(a['server.port']).to.equal(443);
    expect(JSON.parse(a['gen_ai.input.messages'] as string)).to.deep.equal([{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }]);
    expect(JSON.parse(a['gen_ai.output.messages'] as string)).to.deep.equal([
      { role: 'assistant', parts: [{ type: 'text', content: 'Hello there!' }], finish_reason: 'stop' },
    ]);
  });

  it('OpenAI stream: the tool call as a part, the chunk id and the time to the first chunk', async () => {
    server.reply({ sse: chatStream() });
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Weather?' }] });
    for await (const _ of stream) void _;
    const a = (await onlyLlmSpan()).attributes;
    expect(a['gen_ai.response.id']).to.equal('chatcmpl-456');
    expect(a['gen_ai.response.finish_reasons']).to.deep.equal(['tool_calls']);
    expect(a['gen_ai.usage.input_tokens']).to.equal(12);
    expect(a['gen_ai.response.time_to_first_chunk']).to.be.a('number').and.be.greaterThan(0).and.be.at.most((a['llm.latency_ms'] as number) / 1000);
    expect(JSON.parse(a['gen_ai.output.messages'] as string)).to.deep.equal([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: 'Let me check.' }, { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
        finish_reason: 'tool_call',
      },
    ]);
  });

  it('OpenAI chat with n=2: every choice\'s finish reason, each on its own output message', async () => {
    const choices = [
      { index: 0, message: { role: 'assistant', content: 'Hello there!', refusal: null }, logprobs: null, finish_reason: 'stop' },
      { index: 1, message: { role: 'assistant', content: 'Hi, how can', refusal: null }, logprobs: null, finish_reason: 'length' },
    ];
    server.reply({ json: chatCompletion({ choices }) });
    await openai.chat.completions.create({ model: 'gpt-4o-mini', n: 2, max_tokens: 3, messages: [{ role: 'user', content: 'Hi' }] });
    const a = (await onlyLlmSpan()).attributes;
    expect(a['gen_ai.response.finish_reasons']).to.deep.equal(['stop', 'length']);
    expect(a['gen_ai.request.choice.count']).to.equal(2);
    expect(a['llm.finish_reason']).to.equal('stop');
    expect(JSON.parse(a['gen_ai.output.messages'] as string)).to.deep.equal([
      { role: 'assistant', parts: [{ type: 'text', content: 'Hello there!' }], finish_reason: 'stop' },
      { role: 'assistant', parts: [{ type: 'text', content: 'Hi, how can' }], finish_reason: 'length' },
    ]);
  });

  it('OpenAI stream with n=2: the interleaved choices\' finish reasons in choice order', async () => {
    const chunk = (index: number, delta: Record<string, unknown>, finish: string | null = null) => ({
      data: { id: 'chatcmpl-789', object: 'chat.completion.chunk', created: 1741569952, model: 'gpt-4o-mini-2024-07-18', choices: [{ index, delta, logprobs: null, finish_reason: finish }] },
    });
    server.reply({
      sse: [
        chunk(0, { role: 'assistant', content: 'Hel' }),
        chunk(1, { role: 'assistant', content: 'Hi, ' }),
        chunk(1, { content: 'how can' }, 'length'),
        chunk(0, { content: 'lo!' }, 'stop'),
        { data: '[DONE]' },
      ],
    });
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', n: 2, stream: true, messages: [{ role: 'user', content: 'Hi' }] });
    for await (const _ of stream) void _;
    const a = (await onlyLlmSpan()).attributes;
    expect(a['gen_ai.response.finish_reasons']).to.deep.equal(['stop', 'length']);
    expect(a['llm.finish_reason']).to.equal('stop');
    expect(JSON.parse(a['gen_ai.output.messages'] as string)).to.deep.equal([
      { role: 'assistant', parts: [{ type: 'text', content: 'Hello!' }], finish_reason: 'stop' },
      { role: 'assistant', parts: [{ type: 'text', content: 'Hi, how can' }], finish_reason: 'length' },
    ]);
  });

  it('xAI through the OpenAI SDK: x_ai, and the xAI host', async () => {
    server.reply({ json: chatCompletion({ model: 'grok-4' }) });
    const xai = new OpenAI({ apiKey: 'sk-test', baseURL: 'https://api.x.ai/v1', fetch: server.fetch, maxRetries: 0 });
    await xai.chat.completions.create({ model: 'grok-4', messages: [{ role: 'user', content: 'Hi' }] });
    const a = (await onlyLlmSpan()).attributes;
    expect([a['llm.provider'], a['gen_ai.provider.name'], a['server.address'], a['server.port']]).to.deep.equal(['xai', 'x_ai', 'api.x.ai', 443]);
  });

  it('Anthropic: system instructions apart, cache tokens, response id', async () => {
    server.reply({ json: message() });
    await anthropic.messages.create({ model: CLAUDE, max_tokens: 100, system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] });
    const a = (await onlyLlmSpan()).attributes;
    expect(a['gen_ai.provider.name']).to.equal('anthropic');
    expect(a['gen_ai.response.id']).to.equal('msg_01XFDUDYJgAACzvnptvVoYEL');
    expect(a['gen_ai.request.max_tokens']).to.equal(100);
    expect([a['gen_ai.usage.input_tokens'], a['gen_ai.usage.cache_read.input_tokens'], a['gen_ai.usage.cache_creation.input_tokens']]).to.deep.equal([312, 200, 100]);
    expect(a['server.address']).to.equal('api.anthropic.com');
    expect(JSON.parse(a['gen_ai.system_instructions'] as string)).to.deep.equal([{ type: 'text', content: 'Be brief.' }]);
    expect(JSON.parse(a['gen_ai.input.messages'] as string)).to.deep.equal([{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }]);
  });

  it('Gemini (@google/genai): generate_content, gcp.gemini, the responseId', async () => {
    server.reply({ json: generateContentResponse() });
    await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'Hi', config: { responseMimeType: 'application/json', maxOutputTokens: 50 } });
    const a = (await onlyLlmSpan()).attributes;
    expect(a['gen_ai.operation.name']).to.equal('generate_content');
    expect(a['gen_ai.provider.name']).to.equal('gcp.gemini');
    expect(a['gen_ai.response.model']).to.equal(MODEL_VERSION);
    expect(a['gen_ai.response.id']).to.equal('resp-1');
    expect(a['gen_ai.request.max_tokens']).to.equal(50);
    expect(a['gen_ai.output.type']).to.equal('json');
    expect(a['server.address']).to.equal('127.0.0.1');
    expect(JSON.parse(a['gen_ai.output.messages'] as string)[0].finish_reason).to.equal('stop');
  });

  it('Gemini (legacy @google/generative-ai): generate_content from the same record', async () => {
    const legacy = require('@google/generative-ai') as typeof import('@google/generative-ai');
    const model = new legacy.GoogleGenerativeAI(GOOGLE_KEY).getGenerativeModel({ model: 'gemini-1.5-flash', generationConfig: { temperature: 0.1 } }, { baseUrl: server.origin });
    server.reply({ json: generateContentResponse() });
    await model.generateContent('Hi');
    const a = (await onlyLlmSpan()).attributes;
    expect([a['gen_ai.operation.name'], a['gen_ai.provider.name'], a['gen_ai.request.model'], a['gen_ai.request.temperature']]).to.deep.equal([
      'generate_content', 'gcp.gemini', 'gemini-1.5-flash', 0.1,
    ]);
    expect([a['gen_ai.usage.input_tokens'], a['gen_ai.usage.output_tokens'], a['server.address']]).to.deep.equal([12, 5, '127.0.0.1']);
  });

  it('GenAI alone: no OpenInference key; the processor neither converts nor double counts (the Anthropic SDK span included)', async () => {
    instrumentation.setConfig({ semconv: ['gen_ai'] });
    server.reply({ json: message() });
    await tracing.inParent('agent', () => anthropic.messages.create({ model: CLAUDE, max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] }));
    const spans = await tracing.spans();
    const ours = await onlyLlmSpan();
    const keys = Object.keys(ours.attributes);
    expect(keys.filter((k) => k.startsWith('openinference.') || k.startsWith('input.') || k.startsWith('output.') || k.startsWith('llm.input_messages'))).to.deep.equal([]);
    expect(ours.attributes['gen_ai.operation.name']).to.equal('chat');
    expect(ours.attributes['llm.prompt_tokens']).to.equal(312);
    // The SDK's own GenAI span, inside our call, is left as it is.
    const sdkSpan = spans.find((s) => s.name.startsWith('anthropic.') || (s.instrumentationScope.name !== '@infinium/otel' && s.attributes['gen_ai.operation.name'] !== undefined));
    expect(sdkSpan, 'the Anthropic SDK span').to.not.equal(undefined);
    expect(sdkSpan!.attributes['llm.prompt_tokens']).to.equal(undefined);
    expect(spans.find((s) => s.name === 'agent')!.attributes['infinium.llm_call_count']).to.equal(1);
  });
});
