import { expect } from 'chai';
import type { AttributeValue } from '@opentelemetry/api';
import { createCallRecord, Message } from '../../lib/record/call-record';
import { resolveTraceConfig, TraceConfig } from '../../lib/masking/trace-config';
import { AttributeSink } from '../../lib/semconv/attribute-sink';
import { capMessages, renderInputMessages } from '../../lib/semconv/messages';
import { renderCallRecord } from '../../lib/semconv/render';
import { fitsWhole, renderWholeConversation } from '../../lib/semconv/whole-conversation';

/** A span stand-in that keeps every write in order, as the SDK's setAttribute sees them. */
function writes(render: (target: { setAttribute(key: string, value: AttributeValue): void }) => void): Array<[string, AttributeValue]> {
  const seen: Array<[string, AttributeValue]> = [];
  render({ setAttribute: (key, value) => seen.push([key, value]) });
  return seen;
}

const text = (n: number, c = 'x') => c.repeat(n);

/** Plain conversations: system first, in the middle, several, a developer message, names, tool results, long text. */
const CONVERSATIONS: Message[][] = [
  [{ role: 'user', content: 'Hi' }],
  [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello.' }],
  [
    { role: 'user', content: 'first' },
    { role: 'system', content: 'late system' },
    { role: 'assistant', content: 'answer', name: 'bot' },
    { role: 'tool', content: '{"ok":true}', toolCallId: 'call_1' },
    { role: 'developer', content: 'dev note' },
    { role: 'user', content: text(1300) },
  ],
  [{ role: 'user' }, { role: 'assistant', content: '' }, { role: 'user', content: text(90, 'é') }],
];

/** The messages as renderInputMessages writes them after capMessages: the path every call took before. */
function cappedWrites(config: TraceConfig, messages: Message[]) {
  return writes((target) => {
    const out = new AttributeSink(config, target);
    renderInputMessages(out, capMessages(messages, config.maxMessages, config.maxAttributeLength), config.attributeCountLimit);
  });
}

function wholeWrites(config: TraceConfig, messages: Message[]) {
  const record = createCallRecord('LLM', 'chat', 'openai', 'openai');
  record.inputMessages = messages;
  const whole = fitsWhole(record, config);
  expect(whole, 'fits whole').to.not.equal(undefined);
  return writes((target) => {
    const out = new AttributeSink(config, target);
    expect(renderWholeConversation(out, messages, whole!, config.attributeCountLimit)).to.equal(true);
  });
}

describe('a conversation written whole (whole-conversation.ts)', () => {
  for (const options of [{}, { maxAttributeLength: 1000 }, { hideInputText: true }, { captureContent: false }]) {
    it(`writes what the capped path writes, in its order (${JSON.stringify(options)})`, () => {
      const config = resolveTraceConfig(options, {});
      for (const messages of CONVERSATIONS) expect(wholeWrites(config, messages)).to.deep.equal(cappedWrites(config, messages));
    });
  }

  it('counts the attributes and the text its input messages cost (each value up to the text cap)', () => {
    const record = createCallRecord('LLM', 'chat', 'openai', 'openai');
    record.inputMessages = CONVERSATIONS[2];
    expect(fitsWhole(record, resolveTraceConfig({ maxAttributeLength: 1000 }, {}))).to.deep.equal({ attributes: 14, text: 5 + 11 + 6 + 11 + 8 + 1000 });
  });

  it('is not taken for holes, parts, tool calls, more messages than the cap, or a conversation over the budget', () => {
    const config = resolveTraceConfig({ maxMessages: 3, maxAttributeLength: 1000 }, {});
    const fits = (input: Message[], output: Message[] = []) => {
      const record = createCallRecord('LLM', 'chat', 'openai', 'openai');
      record.inputMessages = input;
      record.outputMessages = output;
      return fitsWhole(record, config) !== undefined;
    };
    const sparse: Message[] = [];
    sparse[1] = { role: 'user', content: 'hi' };
    expect(fits([{ role: 'user', content: 'hi' }])).to.equal(true);
    expect(fits(sparse)).to.equal(false);
    expect(fits([{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }])).to.equal(false);
    expect(fits([{ role: 'user', content: 'hi' }], [{ role: 'assistant', toolCalls: [{ name: 'f' }] }])).to.equal(false);
    expect(fits(Array.from({ length: 4 }, () => ({ role: 'user', content: 'hi' })))).to.equal(false);
    // The budget is 1000 × the budget factor (8,000); three values of up to 1000 and 2000 for the rest are
    // counted on, which leaves 3,000 for the messages, each counted up to the cap.
    const three = [{ role: 'user', content: text(1000) }, { role: 'assistant', content: text(5000) }, { role: 'user', content: text(1000) }];
    expect(fits(three)).to.equal(true);
    expect(fits(three, [{ role: 'assistant', content: 'x' }])).to.equal(false);
  });

  it('a list of holes only records no input.value and no messages, as the capped path did', () => {
    const record = createCallRecord('LLM', 'chat', 'openai', 'openai');
    record.inputMessages = new Array<Message>(2);
    const span = writes((target) => renderCallRecord(record, resolveTraceConfig({}, {}), target)).map(([key]) => key);
    expect(span.filter((key) => key.startsWith('input.') || key.startsWith('llm.input_messages.'))).to.deep.equal([]);
  });

  it('a call whose essentials took more text than counted on is written by the capped path: the same span as before', () => {
    const config = resolveTraceConfig({ maxAttributeLength: 1000 }, {});
    const record = createCallRecord('LLM', 'chat', 'openai', 'openai');
    record.inputMessages = [{ role: 'system', content: text(900) }, { role: 'user', content: text(900) }, { role: 'user', content: text(900, 'y') }];
    // Essentials of 5,000 characters (more than the 2,000 counted on) and input.value's 1,000 leave 2,000 of
    // the 8,000 budget, less than the messages' 2,700: the system message and the newest are written.
    record.requestModel = text(1000, 'm');
    record.finishReason = text(1000, 'f');
    record.serverAddress = text(1000, 's');
    record.error = { type: text(1000, 'e') };
    expect(fitsWhole(record, config)).to.not.equal(undefined);
    const span = writes((target) => renderCallRecord(record, config, target));
    // The two kept are numbered anew in conversation order, as renderInputMessages numbers them.
    const contents = span.filter(([key]) => key.startsWith('llm.input_messages.'));
    expect(contents).to.deep.equal([
      ['llm.input_messages.0.message.role', 'system'],
      ['llm.input_messages.0.message.content', text(900)],
      ['llm.input_messages.1.message.role', 'user'],
      ['llm.input_messages.1.message.content', text(900, 'y')],
    ]);
    expect(span.find(([key]) => key === 'infinium.input_messages.omitted')?.[1]).to.equal(1);
  });
});
