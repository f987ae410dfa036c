import { expect } from 'chai';
import * as semconv from '@opentelemetry/semantic-conventions/incubating';
import { CallRecord, createCallRecord } from '../../lib/record/call-record';
import { resolveTraceConfig } from '../../lib/masking/trace-config';
import { REDACTED } from '../../lib/masking/mask';
import { renderGenAiAttributes } from '../../lib/semconv/genai-render';
import { renderInConventions, startAttributes } from '../../lib/semconv/genai-conventions';
import { renderCallRecord } from '../../lib/semconv/render';
import { GenAiMetrics } from '../../lib/semconv/genai-metrics';
import type { Histogram, Meter } from '@opentelemetry/api';

/** A chat call with a system prompt, an image, a tool call and its result, and a streamed answer. */
function chatRecord(): CallRecord {
  const record = createCallRecord('LLM', 'chat', 'anthropic', 'anthropic');
  record.requestModel = 'claude-sonnet-4-5';
  record.responseModel = 'claude-sonnet-4-5-20250929';
  record.responseId = 'msg_01';
  record.server = { address: 'api.anthropic.com', port: 443 };
  record.invocationParameters = { max_tokens: 1024, temperature: 0.3, top_p: 0.9, top_k: 5, stop_sequences: ['END'] };
  record.inputMessages = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', parts: [{ type: 'text', text: 'What is this?' }, { type: 'image', imageUrl: `data:image/png;base64,${'A'.repeat(50)}` }] },
    { role: 'assistant', toolCalls: [{ id: 'toolu_1', name: 'lookup', arguments: '{"q":"cat"}' }] },
    { role: 'tool', toolCallId: 'toolu_1', content: '{"answer":"a cat"}' },
  ];
  record.outputMessages = [{ role: 'assistant', parts: [{ type: 'thinking', text: 'Hmm.' }, { type: 'text', text: 'A cat.' }] }];
  record.finishReason = 'end_turn';
  record.usage = { prompt: 120, completion: 8, cacheRead: 100, cacheWrite: 10, reasoning: 3 };
  record.latencyMs = 250;
  record.firstChunkMs = 40;
  return record;
}

describe('renderGenAiAttributes', () => {
  const config = resolveTraceConfig({ base64ImageMaxLength: 40 }, {});

  it('writes the GenAI keys and the message JSON in the conventions’ parts format', () => {
    const a = renderGenAiAttributes(chatRecord(), config);
    const { [semconv.ATTR_GEN_AI_INPUT_MESSAGES]: input, [semconv.ATTR_GEN_AI_OUTPUT_MESSAGES]: output, [semconv.ATTR_GEN_AI_SYSTEM_INSTRUCTIONS]: system, ...rest } = a;
    expect(rest).to.deep.equal({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
      'gen_ai.response.id': 'msg_01',
      'gen_ai.response.finish_reasons': ['end_turn'],
      'server.address': 'api.anthropic.com',
      'server.port': 443,
      'gen_ai.request.temperature': 0.3,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.top_k': 5,
      'gen_ai.request.max_tokens': 1024,
      'gen_ai.request.stop_sequences': ['END'],
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 8,
      'gen_ai.usage.cache_read.input_tokens': 100,
      'gen_ai.usage.cache_creation.input_tokens': 10,
      'gen_ai.usage.reasoning.output_tokens': 3,
      'gen_ai.response.time_to_first_chunk': 0.04,
    });
    expect(JSON.parse(system as string)).to.deep.equal([{ type: 'text', content: 'Be brief.' }]);
    expect(JSON.parse(input as string)).to.deep.equal([
      // The image is a blob part, truncated like the OpenInference image attribute (40 characters in all).
      { role: 'user', parts: [{ type: 'text', content: 'What is this?' }, { type: 'blob', modality: 'image', mime_type: 'image/png', content: 'A'.repeat(18) }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'toolu_1', name: 'lookup', arguments: '{"q":"cat"}' }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'toolu_1', response: '{"answer":"a cat"}' }] },
    ]);
    expect(JSON.parse(output as string)).to.deep.equal([
      { role: 'assistant', parts: [{ type: 'reasoning', content: 'Hmm.' }, { type: 'text', content: 'A cat.' }], finish_reason: 'stop' },
    ]);
  });

  it('uses the registry’s provider names and operation names', () => {
    const names = (provider: string, operation = 'chat', address?: string) => {
      const record = createCallRecord('LLM', operation, provider, provider);
      if (address) record.server = { address };
      const a = renderGenAiAttributes(record, config);
      return [a['gen_ai.provider.name'], a['gen_ai.operation.name']];
    };
    expect(names('openai', 'responses')).to.deep.equal([semconv.GEN_AI_PROVIDER_NAME_VALUE_OPENAI, 'chat']);
    expect(names('xai')).to.deep.equal(['x_ai', 'chat']);
    expect(names('google', 'generate_content')).to.deep.equal(['gcp.gemini', 'generate_content']);
    expect(names('google', 'generate_content', 'us-central1-aiplatform.googleapis.com')).to.deep.equal(['gcp.vertex_ai', 'generate_content']);
    expect(names('azure')).to.deep.equal(['azure.ai.openai', 'chat']);
    expect(names('mistralai')).to.deep.equal(['mistral_ai', 'chat']);
    expect(names('groq', 'text_completion')).to.deep.equal(['groq', 'text_completion']);
    expect(names('openrouter')).to.deep.equal(['openrouter', 'chat']);
  });

  it('with content capture off, no gen_ai.* attribute carries content (only the redaction mark)', () => {
    const off = resolveTraceConfig({ captureContent: false }, {});
    const a = renderGenAiAttributes(chatRecord(), off);
    expect(a['gen_ai.input.messages']).to.equal(REDACTED);
    expect(a['gen_ai.output.messages']).to.equal(REDACTED);
    expect(a['gen_ai.system_instructions']).to.equal(REDACTED);
    const text = JSON.stringify(a);
    for (const secret of ['Be brief', 'What is this', 'AAAA', 'lookup', 'a cat', 'Hmm']) expect(text).to.not.include(secret);
    expect(a['gen_ai.usage.input_tokens']).to.equal(120);
  });

  it('hidden input images leave the parts, the text stays', () => {
    const a = renderGenAiAttributes(chatRecord(), resolveTraceConfig({ hideInputImages: true }, {}));
    expect(JSON.parse(a['gen_ai.input.messages'] as string)[0]).to.deep.equal({ role: 'user', parts: [{ type: 'text', content: 'What is this?' }] });
  });

  it('records a choice count only when it is not 1, an embedding’s dimensions, and the output type', () => {
    const record = createCallRecord('EMBEDDING', 'embeddings', 'openai', 'openai');
    record.invocationParameters = { n: 1, stop: 'x' };
    record.embeddings = [{ text: 'hi', vector: [0.1, 0.2, 0.3] }];
    record.outputType = 'json';
    const a = renderGenAiAttributes(record, config);
    expect(a['gen_ai.request.choice.count']).to.equal(undefined);
    expect(a['gen_ai.request.stop_sequences']).to.deep.equal(['x']);
    expect(a['gen_ai.embeddings.dimension.count']).to.equal(3);
    expect(a['gen_ai.output.type']).to.equal('json');
  });
});

describe('renderInConventions', () => {
  const config = resolveTraceConfig({}, {});

  it('default: exactly the OpenInference renderer’s attributes', () => {
    const record = chatRecord();
    expect(renderInConventions(record, config, { openInference: true, genAi: false })).to.deep.equal(renderCallRecord(record, config));
  });

  it('both: OpenInference and GenAI keys together', () => {
    const record = chatRecord();
    const a = renderInConventions(record, config, { openInference: true, genAi: true });
    expect(a).to.deep.equal({ ...renderCallRecord(record, config), ...renderGenAiAttributes(record, config) });
    expect(a['openinference.span.kind']).to.equal('LLM');
    expect(a['gen_ai.operation.name']).to.equal('chat');
  });

  it('GenAI alone: GenAI keys plus Infinium’s, nothing of OpenInference', () => {
    const record = chatRecord();
    record.error = { type: 'RateLimitError' };
    const a = renderInConventions(record, config, { openInference: false, genAi: true });
    const infinium = {
      'llm.provider': 'anthropic',
      'llm.model': 'claude-sonnet-4-5-20250929',
      'llm.temperature': 0.3,
      'llm.prompt_tokens': 120,
      'llm.completion_tokens': 8,
      'llm.latency_ms': 250,
      'error.type': 'RateLimitError',
    };
    expect(a).to.deep.equal({ ...infinium, ...renderGenAiAttributes(record, config) });
  });

  it('token counts are checked where they are written, not only where the record is given a usage: a usage changed in place (as a reader may do) gives no count that is not an integer from 0 to 1e12', () => {
    const record = chatRecord();
    // In place, past the record's setter (as lib/providers/bedrock/invoke-model.ts fills its stream's metrics).
    Object.assign(record.usage, { prompt: 4e15, completion: -5, cacheRead: 2.5, cacheWrite: Number.NaN, reasoning: 1e13 });
    const counts = (a: Record<string, unknown>) => Object.keys(a).filter((k) => /^(gen_ai\.usage\.|llm\.token_count\.|llm\.(prompt|completion)_tokens$)/.test(k));
    expect(counts(renderGenAiAttributes(record, config))).to.deep.equal([]);
    expect(counts(renderInConventions(record, config, { openInference: false, genAi: true }))).to.deep.equal([]);
    expect(counts(renderInConventions(record, config, { openInference: true, genAi: true }))).to.deep.equal([]);
    const recorded: number[] = [];
    const histogram = { record: (value: number) => recorded.push(value) } as unknown as Histogram;
    const meter = { createHistogram: () => histogram } as unknown as Meter;
    record.latencyMs = undefined;
    record.firstChunkMs = undefined;
    new GenAiMetrics(meter).record(record);
    expect(recorded).to.deep.equal([]);
  });

  it('start attributes follow the conventions', () => {
    const record = chatRecord();
    expect(startAttributes(record, { openInference: true, genAi: false })).to.deep.equal({ 'llm.provider': 'anthropic', 'openinference.span.kind': 'LLM' });
    expect(startAttributes(record, { openInference: false, genAi: true })).to.deep.equal({
      'llm.provider': 'anthropic',
      [semconv.ATTR_GEN_AI_OPERATION_NAME]: 'chat',
      [semconv.ATTR_GEN_AI_PROVIDER_NAME]: 'anthropic',
    });
  });
});
