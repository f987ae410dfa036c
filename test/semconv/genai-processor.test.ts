import { expect } from 'chai';
import { InfiniumSpanProcessor } from '../../lib/processor/span-processor';
import { REDACTED } from '../../lib/masking/mask';
import { createTracing } from '../helpers/tracing';
import { foreignSpan, GENAI_CHAT } from '../processor/genai-fixtures';

/** The processor's side of the GenAI conventions: converted foreign spans, and masking of every gen_ai.* content key. */
describe('InfiniumSpanProcessor and the GenAI conventions', () => {
  it('GenAI alone: a converted span gains the missing GenAI keys and Infinium’s, no OpenInference, and is counted once', async () => {
    const tracing = createTracing([new InfiniumSpanProcessor({ semconv: 'gen_ai' })]);
    // An older emitter: gen_ai.system and the old token keys, no gen_ai.provider.name.
    const { 'gen_ai.provider.name': _p, 'gen_ai.usage.input_tokens': _i, 'gen_ai.usage.output_tokens': _o, ...older } = GENAI_CHAT;
    const tracer = tracing.provider.getTracer('openllmetry');
    await tracing.inParent('agent', async () => foreignSpan(tracer, { ...older, 'gen_ai.system': 'openai', 'gen_ai.usage.prompt_tokens': 40, 'gen_ai.usage.completion_tokens': 12 }));
    const spans = await tracing.spans();
    const chat = spans.find((s) => s.name === 'chat gpt-4o')!;
    const a = chat.attributes;
    expect(Object.keys(a).filter((k) => k.startsWith('openinference.') || k.startsWith('llm.input_messages') || k === 'input.value')).to.deep.equal([]);
    expect([a['gen_ai.provider.name'], a['gen_ai.usage.input_tokens'], a['gen_ai.usage.output_tokens']]).to.deep.equal(['openai', 40, 12]);
    expect([a['llm.provider'], a['llm.model'], a['llm.prompt_tokens'], a['llm.completion_tokens']]).to.deep.equal(['openai', 'gpt-4o-2024-08-06', 40, 12]);
    // The emitter's own values stay as they were written.
    expect(a['gen_ai.input.messages']).to.equal(GENAI_CHAT['gen_ai.input.messages']);
    expect(spans.find((s) => s.name === 'agent')!.attributes['infinium.llm_call_count']).to.equal(1);
  });

  it('with content capture off, no gen_ai.* attribute of a foreign span keeps its content', async () => {
    const tracing = createTracing([new InfiniumSpanProcessor({ captureContent: false })]);
    const content = {
      'gen_ai.tool.call.arguments': '{"city":"Paris"}',
      'gen_ai.tool.call.result': '18C',
      'gen_ai.retrieval.query.text': 'weather Paris',
      'gen_ai.retrieval.documents': '[{"id":"doc1","content":"Paris is sunny"}]',
      'gen_ai.evaluation.explanation': 'The answer names Paris',
    };
    foreignSpan(tracing.provider.getTracer('foreign'), { ...GENAI_CHAT, ...content });
    const [span] = await tracing.spans();
    const contentKeys = ['gen_ai.system_instructions', 'gen_ai.input.messages', 'gen_ai.output.messages', ...Object.keys(content)];
    for (const key of contentKeys) expect(span.attributes[key], key).to.equal(REDACTED);
    const genAi = Object.entries(span.attributes).filter(([k]) => k.startsWith('gen_ai.'));
    expect(JSON.stringify(genAi)).to.not.match(/Paris|Weather|18C|Be brief/);
    expect(span.attributes['gen_ai.usage.input_tokens']).to.equal(40);
  });

  it('a converted span without gen_ai.response.finish_reasons gains every output message\'s finish reason', async () => {
    const tracing = createTracing([new InfiniumSpanProcessor({ semconv: 'openinference,gen_ai' })]);
    const { 'gen_ai.response.finish_reasons': _reasons, ...rest } = GENAI_CHAT;
    const output = [
      { role: 'assistant', parts: [{ type: 'text', content: 'It is 18C.' }], finish_reason: 'stop' },
      { role: 'assistant', parts: [{ type: 'text', content: 'It is' }], finish_reason: 'length' },
    ];
    foreignSpan(tracing.provider.getTracer('foreign'), { ...rest, 'gen_ai.output.messages': JSON.stringify(output) });
    const [span] = await tracing.spans();
    expect(span.attributes['gen_ai.response.finish_reasons']).to.deep.equal(['stop', 'length']);
    expect(span.attributes['llm.finish_reason']).to.equal('stop');
    expect(span.attributes['llm.output_messages.1.message.content']).to.equal('It is');
  });
});
