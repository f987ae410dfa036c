import { expect } from 'chai';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type GroqType from 'groq-sdk';
import type { InfiniumInstrumentation } from '../../../lib/instrumentation/instrumentation';
import { InfiniumSpanProcessor } from '../../../lib/processor/span-processor';
import { FakeLlmServer, startFakeLlmServer } from '../../helpers/fake-llm-server';
import { createTracing, onlyChildSpan, llmSpans, onlySpan as onlySpanOf, stable, useInstrumentation } from '../../helpers/tracing';
import { AUDIO_BYTES, groqEmbeddings, groqTranscription } from './fixtures';

const API_KEY = 'sk-test-secret-123';

describe('groq-sdk embeddings and audio', () => {
  const tracing = createTracing([new InfiniumSpanProcessor()]);
  let instrumentation: InfiniumInstrumentation;
  let server: FakeLlmServer;
  let client: GroqType;

  before(async () => {
    ({ instrumentation } = useInstrumentation(tracing));
    const { Groq } = require('groq-sdk') as typeof import('groq-sdk');
    server = await startFakeLlmServer();
    client = new Groq({ apiKey: API_KEY, baseURL: 'https://api.groq.com', fetch: server.fetch, maxRetries: 0 });
  });
  after(() => server.stop());
  beforeEach(() => {
    tracing.reset();
    instrumentation.setConfig({});
  });

  const onlySpan = () => onlySpanOf(tracing);
  const audio = () => new File([AUDIO_BYTES], 'weather.wav', { type: 'audio/wav' });

  it('embeddings.create: one EMBEDDING span with provider groq, texts, vectors and usage', async () => {
    server.reply({ json: groqEmbeddings() });
    const result = await tracing.inParent('agent', () => client.embeddings.create({ model: 'nomic-embed-text-v1_5', input: ['alpha', 'beta'] }));
    expect(result).to.deep.equal(groqEmbeddings());
    expect(server.requests.at(-1)!.path).to.equal('/openai/v1/embeddings');
    const span = await onlyChildSpan(tracing, 'embeddings nomic-embed-text-v1_5');
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'EMBEDDING',
      'llm.provider': 'groq',
      'llm.system': 'openai',
      'embedding.model_name': 'nomic-embed-text-v1_5',
      'llm.model': 'nomic-embed-text-v1_5',
      'llm.invocation_parameters': '{"model":"nomic-embed-text-v1_5"}',
      'embedding.embeddings.0.embedding.text': 'alpha',
      'embedding.embeddings.0.embedding.vector': [0.5, -0.25],
      'embedding.embeddings.1.embedding.text': 'beta',
      'embedding.embeddings.1.embedding.vector': [0.125, 1],
      'input.value': '["alpha","beta"]',
      'input.mime_type': 'application/json',
      'llm.token_count.prompt': 4,
      'llm.token_count.total': 4,
      'llm.prompt_tokens': 4,
    });
  });

  it('audio.transcriptions.create: an LLM span named transcription, the model and the text out, no audio bytes', async () => {
    server.reply({ json: groqTranscription() });
    const result = await tracing.inParent('agent', () =>
      client.audio.transcriptions.create({ model: 'whisper-large-v3-turbo', file: audio(), language: 'en', prompt: 'Place names: Paris.', temperature: 0, response_format: 'verbose_json' }),
    );
    expect(result).to.deep.equal(groqTranscription());
    expect(server.requests.at(-1)!.path).to.equal('/openai/v1/audio/transcriptions');
    expect(String(server.requests.at(-1)!.body)).to.contain(AUDIO_BYTES);
    const spans = await tracing.spans();
    const span = await onlySpan();
    expect(span.name).to.equal('transcription whisper-large-v3-turbo');
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'groq',
      'llm.system': 'openai',
      'llm.model_name': 'whisper-large-v3-turbo',
      'llm.model': 'whisper-large-v3-turbo',
      'llm.temperature': 0,
      'llm.invocation_parameters': '{"model":"whisper-large-v3-turbo","language":"en","temperature":0,"response_format":"verbose_json"}',
      'llm.prompts': ['Place names: Paris.'],
      'input.value': 'Place names: Paris.',
      'input.mime_type': 'text/plain',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': ' The weather in Paris is sunny.',
      'output.value': ' The weather in Paris is sunny.',
      'output.mime_type': 'text/plain',
    });
    expect(JSON.stringify([span.attributes, span.events])).not.to.contain(AUDIO_BYTES);
    expect(spans.find((s) => s.name === 'agent')!.attributes['infinium.llm_call_count']).to.equal(1);
  });

  it("audio.translations.create with response_format text: the SDK's string is the output", async () => {
    server.reply({ raw: 'The weather is sunny.', contentType: 'text/plain; charset=utf-8' });
    const result = await tracing.inParent('agent', () => client.audio.translations.create({ model: 'whisper-large-v3', file: audio(), response_format: 'text' }));
    expect(result).to.equal('The weather is sunny.');
    expect(server.requests.at(-1)!.path).to.equal('/openai/v1/audio/translations');
    const span = await onlySpan();
    expect(span.name).to.equal('translation whisper-large-v3');
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'groq',
      'llm.system': 'openai',
      'llm.model_name': 'whisper-large-v3',
      'llm.model': 'whisper-large-v3',
      'llm.invocation_parameters': '{"model":"whisper-large-v3","response_format":"text"}',
      'llm.output_messages.0.message.role': 'assistant',
      'llm.output_messages.0.message.content': 'The weather is sunny.',
      'output.value': 'The weather is sunny.',
      'output.mime_type': 'text/plain',
    });
    expect(JSON.stringify(span.attributes)).not.to.contain(AUDIO_BYTES);
  });

  it("audio.speech.create: an LLM span named speech with the text in; the app's binary response is untouched", async () => {
    server.reply({ raw: AUDIO_BYTES, contentType: 'audio/wav' });
    const response = await tracing.inParent('agent', () => client.audio.speech.create({ model: 'playai-tts', voice: 'Fritz-PlayAI', input: 'Sunny in Paris.', response_format: 'wav' }));
    expect(Buffer.from(await response.arrayBuffer()).toString()).to.equal(AUDIO_BYTES);
    expect(server.requests.at(-1)!.path).to.equal('/openai/v1/audio/speech');
    const span = await onlySpan();
    expect(span.name).to.equal('speech playai-tts');
    expect(span.status.code).to.equal(SpanStatusCode.OK);
    expect(stable(span)).to.deep.equal({
      'openinference.span.kind': 'LLM',
      'llm.provider': 'groq',
      'llm.system': 'openai',
      'llm.model_name': 'playai-tts',
      'llm.model': 'playai-tts',
      'llm.invocation_parameters': '{"model":"playai-tts","voice":"Fritz-PlayAI","response_format":"wav"}',
      'llm.prompts': ['Sunny in Paris.'],
      'input.value': 'Sunny in Paris.',
      'input.mime_type': 'text/plain',
    });
    expect(JSON.stringify(span.attributes)).not.to.contain(AUDIO_BYTES);
  });

  it('audio errors: HTTP 429 ends the span ERROR with RateLimitError, the SDK error reaching the app', async () => {
    server.reply({ status: 429, json: { error: { message: 'slow down', type: 'rate_limit' } } });
    const caught = await client.audio.transcriptions.create({ model: 'whisper-large-v3-turbo', file: audio() }).catch((e: unknown) => e);
    expect((caught as Error).constructor.name).to.equal('RateLimitError');
    const span = await onlySpan();
    expect(span.status.code).to.equal(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).to.equal('RateLimitError');
    expect(JSON.stringify(span.attributes)).not.to.contain(AUDIO_BYTES);
  });

  it('masking: hidden inputs and outputs redact the transcription prompt and text', async () => {
    instrumentation.setConfig({ hideInputs: true, hideOutputs: true });
    server.reply({ json: groqTranscription() });
    await client.audio.transcriptions.create({ model: 'whisper-large-v3-turbo', file: audio(), prompt: 'Place names: Paris.' });
    const [span] = llmSpans(await tracing.spans());
    const text = JSON.stringify(span.attributes);
    for (const content of ['Place names', 'sunny']) expect(text).not.to.contain(content);
    expect(span.attributes['input.value']).to.equal('__REDACTED__');
    expect(span.attributes['output.value']).to.equal('__REDACTED__');
  });
});
