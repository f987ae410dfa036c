import type { CallRecord, Message } from '../record/call-record';
import type { TraceConfig } from '../masking/trace-config';
import type { AttributeSink } from './attribute-sink';
import { INPUT_MESSAGE_KEYS } from './indexed-keys';
import { isSystem, overSpanBudget, RESERVED_ATTRIBUTES, renderMessage } from './messages';

/**
 * The usual call: a short conversation of plain messages (text content, no parts, no tool calls), well
 * within the span's attribute and text budget. Such a conversation is written whole, every message under
 * its own index, without the capping and budgeting of messages.ts: the same attributes in the same order
 * (`renderInputMessages` keeps every message when they fit), from a few small loops that V8 compiles
 * instead of a dozen functions, which an app's first thousands of calls pay for (docs/performance.md).
 */
export interface WholeConversation {
  /** The attributes its input messages write (`renderMessage`). */
  attributes: number;
  /** Their text, each value counted up to the text cap. */
  text: number;
}

/**
 * The input messages' cost when the conversation can be written whole: no holes, under the message cap,
 * input and output messages plain, and all of it, with the output and the values, within the budget
 * (what `mayLeaveOut` checks, so that such a call never holds a place for the omitted count). Else undefined.
 */
export function fitsWhole(record: CallRecord, config: TraceConfig): WholeConversation | undefined {
  const input = record.inputMessages;
  if (input.length > config.maxMessages) return undefined;
  const cap = config.maxAttributeLength;
  const whole: WholeConversation = { attributes: 0, text: 0 };
  for (let i = 0; i < input.length; i++) if (!addPlain(whole, input[i], cap)) return undefined;
  const all: WholeConversation = { attributes: whole.attributes, text: whole.text };
  const output = record.outputMessages;
  for (let i = 0; i < output.length; i++) if (output[i] && !addPlain(all, output[i], cap)) return undefined;
  return overSpanBudget(all.attributes, all.text, config) ? undefined : whole;
}

/** Adds a plain message's cost; false for a hole or a message with parts or tool calls. */
function addPlain(sum: WholeConversation, m: Message | undefined, cap: number): boolean {
  if (!m || m.parts || m.toolCalls) return false;
  if (m.role !== undefined) sum.attributes++;
  if (m.name !== undefined) sum.attributes++;
  if (m.toolCallId !== undefined) sum.attributes++;
  if (m.content !== undefined) {
    sum.attributes++;
    sum.text += Math.min(m.content.length, cap);
  }
  return true;
}

/**
 * Writes the messages if they still fit what is left of the sink's budgets (they do, unless the essentials
 * took more text than counted on): the system message(s) first, then the newest back to the oldest, the order
 * `renderInputMessages` writes in. Returns false, having written nothing, when they do not fit.
 */
export function renderWholeConversation(out: AttributeSink, messages: Message[], whole: WholeConversation, attributeLimit: number): boolean {
  if (whole.attributes > attributeLimit - RESERVED_ATTRIBUTES - out.count || (whole.text > out.textBudget && messages.length > 1)) return false;
  for (let i = 0; i < messages.length; i++) if (isSystem(messages[i])) renderMessage(out, INPUT_MESSAGE_KEYS, messages[i], i);
  for (let i = messages.length - 1; i >= 0; i--) if (!isSystem(messages[i])) renderMessage(out, INPUT_MESSAGE_KEYS, messages[i], i);
  return true;
}
