import { expect } from 'chai';
import { createCallRecord, Message } from '../../lib/record/call-record';
import { resolveTraceConfig } from '../../lib/masking/trace-config';
import { renderCallRecord } from '../../lib/semconv/render';
import { capMessages } from '../../lib/semconv/messages';

describe('renderCallRecord', () => {
  const config = resolveTraceConfig({ base64ImageMaxLength: 40 }, {});

  it('skips holes in sparse message lists (a for loop sees them; some/map in the input.value JSON skip them)', () => {
    const record = createCallRecord('LLM', 'chat', 'openai', 'openai');
    const image = `data:image/png;base64,${'A'.repeat(100)}`;
    // A sparse list, as `.map` over an app's sparse `messages` array gives.
    const messages: Message[] = [];
    messages[1] = { role: 'user', parts: [{ type: 'image', imageUrl: image }] };
    record.inputMessages = messages;
    const a = renderCallRecord(record, config);
    expect(a['llm.input_messages.1.message.contents.0.message_content.image.image.url']).to.equal(image.slice(0, 40));
    expect(a['llm.input_messages.0.message.role']).to.equal(undefined);
    expect(JSON.parse(a['input.value'] as string)).to.deep.equal([
      null,
      { role: 'user', parts: [{ type: 'image', imageUrl: image.slice(0, 40) }] },
    ]);
  });

  it('capMessages counts the cost of the messages it keeps only: of 1,000 messages, the 32 kept are read', () => {
    let reads = 0;
    const messages: Message[] = Array.from({ length: 1000 }, (_, i) => ({
      role: i === 0 ? 'system' : 'user',
      get content() {
        reads++;
        return `message ${i}`;
      },
    }));
    const capped = capMessages(messages, 32, 100);
    // Each kept message's content is read twice (its attribute count and its text length), no other is read.
    expect(reads).to.equal(32 * 2);
    expect(capped.map((p) => p.index)).to.deep.equal(Array.from({ length: 32 }, (_, i) => i));
    expect(capped.map((p) => p.message)).to.deep.equal([messages[0], ...messages.slice(-31)]);
    expect(capped[1]).to.include({ index: 1, attributes: 2, text: 'message 969'.length });
  });
});
