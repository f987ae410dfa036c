import { expect } from 'chai';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { one } from '../providers/ai-sdk/helpers';
import { recorded, throughProcessor } from './fixtures/mastra/recorded';

/** The recorded generate() turn through the processor in GenAI-only mode (`semconv: 'gen_ai'`). */
const genAiOnly = () => throughProcessor(recorded('agent-generate'), { semconv: 'gen_ai' });

const usageOf = (span: ReadableSpan) => Object.fromEntries(Object.entries(span.attributes).filter(([k]) => k.startsWith('gen_ai.usage.')));

describe('Mastra spans in GenAI-only mode (docs/frameworks/mastra.md, Limits)', () => {
  it('each request keeps the bridge\'s `model_step` operation and gains its own gen_ai.usage.*; the model loop keeps `chat` and Mastra\'s sum; no OpenInference kind; the root counts 2', async () => {
    const spans = await genAiOnly();
    const steps = spans.filter((s) => s.attributes['mastra.span.type'] === 'model_step');
    expect(steps.map((s) => [s.attributes['gen_ai.operation.name'], usageOf(s)])).to.deep.equal([
      ['model_step', { 'gen_ai.usage.input_tokens': 52, 'gen_ai.usage.output_tokens': 17, 'gen_ai.usage.cache_read.input_tokens': 16, 'gen_ai.usage.reasoning.output_tokens': 5 }],
      ['model_step', { 'gen_ai.usage.input_tokens': 88, 'gen_ai.usage.output_tokens': 9, 'gen_ai.usage.cache_read.input_tokens': 32, 'gen_ai.usage.reasoning.output_tokens': 0 }],
    ]);
    const generation = one(spans, 'chat gpt-4o-mini');
    expect(generation.attributes['gen_ai.operation.name']).to.equal('chat');
    expect(usageOf(generation)).to.deep.equal({
      'gen_ai.usage.input_tokens': 140,
      'gen_ai.usage.output_tokens': 26,
      'gen_ai.usage.reasoning_tokens': 5,
      'gen_ai.usage.cache_read.input_tokens': 48,
    });
    expect(spans.filter((s) => s.attributes['openinference.span.kind'] !== undefined)).to.deep.equal([]);
    expect(one(spans, 'app agent-generate').attributes).to.include({ 'infinium.llm_call_count': 2, 'infinium.cost_usd': 0.000033 });
  });
});
