import { expect } from 'chai';
import { truncationMarker } from '../../lib/config/text-cap';
import { createCallRecord, Message } from '../../lib/record/call-record';
import { resolveTraceConfig } from '../../lib/masking/trace-config';
import { renderCallRecord } from '../../lib/semconv/render';
import { jsonWithin } from '../../lib/semconv/fit-json';

function chatRecord(messages: Message[]) {
  const record = createCallRecord('LLM', 'chat', 'openai', 'openai');
  record.requestModel = 'gpt-4o-mini';
  record.inputMessages = messages;
  record.outputMessages = [{ role: 'assistant', content: 'Sure.' }];
  record.usage = { prompt: 100, completion: 5 };
  record.finishReason = 'stop';
  record.latencyMs = 12.5;
  return record;
}

const turns = (n: number): Message[] => Array.from({ length: n }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `turn ${i}` }));

describe('renderCallRecord: what goes first, and what fits', () => {
  it('writes the essentials first, then the output, then input.value, then the messages', () => {
    const a = renderCallRecord(chatRecord([{ role: 'system', content: 'Be brief.' }, ...turns(3)]), resolveTraceConfig({}, {}));
    expect(Object.keys(a)).to.deep.equal([
      'openinference.span.kind', 'llm.provider', 'llm.system', 'llm.model_name', 'llm.model',
      'llm.token_count.prompt', 'llm.token_count.completion', 'llm.token_count.total', 'llm.prompt_tokens', 'llm.completion_tokens',
      'llm.finish_reason', 'llm.latency_ms',
      'output.value', 'output.mime_type', 'llm.output_messages.0.message.role', 'llm.output_messages.0.message.content',
      'input.value', 'input.mime_type',
      // System first, then newest to oldest; nothing left out, so no omitted count and the indices stay.
      'llm.input_messages.0.message.role', 'llm.input_messages.0.message.content',
      'llm.input_messages.3.message.role', 'llm.input_messages.3.message.content',
      'llm.input_messages.2.message.role', 'llm.input_messages.2.message.content',
      'llm.input_messages.1.message.role', 'llm.input_messages.1.message.content',
    ]);
  });

  it('over the message cap: the system message(s) and the most recent ones, renumbered, and the count left out', () => {
    const messages: Message[] = [{ role: 'system', content: 'S1' }, { role: 'developer', content: 'S2' }, ...turns(20)];
    const a = renderCallRecord(chatRecord(messages), resolveTraceConfig({ maxMessages: 5 }, {}));
    expect(a['infinium.input_messages.omitted']).to.equal(17);
    const contents = [0, 1, 2, 3, 4, 5].map((i) => a[`llm.input_messages.${i}.message.content`]);
    expect(contents).to.deep.equal(['S1', 'S2', 'turn 17', 'turn 18', 'turn 19', undefined]);
    expect(JSON.parse(a['input.value'] as string).map((m: Message) => m.content)).to.deep.equal(['S1', 'S2', 'turn 17', 'turn 18', 'turn 19']);
  });

  it('INFINIUM_MAX_MESSAGES sets the cap', () => {
    const a = renderCallRecord(chatRecord(turns(10)), resolveTraceConfig({}, { INFINIUM_MAX_MESSAGES: '2' }));
    expect(a['infinium.input_messages.omitted']).to.equal(8);
    expect([a['llm.input_messages.0.message.content'], a['llm.input_messages.1.message.content']]).to.deep.equal(['turn 8', 'turn 9']);
  });

  it('under a lower OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: as many of the newest as fit beside the rest and the reserve', () => {
    const config = resolveTraceConfig({}, { OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '40' });
    const a = renderCallRecord(chatRecord([{ role: 'system', content: 'S' }, ...turns(50)]), config);
    // 19 attributes before the messages (omitted count included) + 16 reserved leave 5: two messages of two.
    expect(a['infinium.input_messages.omitted']).to.equal(49);
    expect(Object.keys(a)).to.have.length(23);
    expect([a['llm.input_messages.0.message.content'], a['llm.input_messages.1.message.content']]).to.deep.equal(['S', 'turn 49']);
  });

  it('holds a span\'s text to 8 × the cap: the output first, older messages give way', () => {
    const config = resolveTraceConfig({ maxAttributeLength: 1000 }, {});
    const record = chatRecord(Array.from({ length: 20 }, (_, i) => ({ role: 'user', content: String(i % 10).repeat(900) })));
    record.outputMessages = [{ role: 'assistant', content: 'o'.repeat(5000) }];
    const a = renderCallRecord(record, config);
    const text = Object.values(a).reduce<number>((n, v) => n + (typeof v === 'string' ? v.length : 0), 0);
    expect(text).to.be.at.most(8000 + 40 * 2);
    expect(a['output.value']).to.equal('o'.repeat(1000 - truncationMarker(5000).length) + truncationMarker(5000));
    // 8000 - 2 × 1000 (output) - 1000 (input.value) - short values leave room for 5 messages of 900.
    expect(a['infinium.input_messages.omitted']).to.equal(15);
    expect(a['llm.input_messages.4.message.content']).to.equal('9'.repeat(900));
  });

  it('hostile token counts are left out; valid ones stay', () => {
    const record = chatRecord(turns(1));
    record.usage = { prompt: -5, completion: 1e300, total: Number.POSITIVE_INFINITY, cacheRead: 3, reasoning: 2.5 };
    const a = renderCallRecord(record, resolveTraceConfig({}, {}));
    expect(Object.keys(a).filter((k) => k.includes('token'))).to.deep.equal(['llm.token_count.prompt_details.cache_read']);
  });
});

describe('jsonWithin', () => {
  it('keeps JSON valid under the limit by cutting the longest strings, each with its marker', () => {
    const value = [{ role: 'user', content: 'a'.repeat(5000) }, { role: 'assistant', content: 'short' }];
    const json = jsonWithin(value, 1000)!;
    expect(json.length).to.be.at.most(1000);
    const parsed = JSON.parse(json);
    expect(parsed[0].content).to.equal('a'.repeat(500 - truncationMarker(5000).length) + truncationMarker(5000));
    expect(parsed[1].content).to.equal('short');
  });

  it('returns the full JSON when even short strings do not fit (the caller cuts it as text)', () => {
    const value = Array.from({ length: 100 }, () => 'x'.repeat(100));
    expect(jsonWithin(value, 200)).to.equal(JSON.stringify(value));
  });
});
