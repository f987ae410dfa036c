import { expect } from 'chai';
import { createCallRecord, Message } from '../../lib/record/call-record';
import { resolveTraceConfig } from '../../lib/masking/trace-config';
import { renderCallRecord } from '../../lib/semconv/render';

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
});
