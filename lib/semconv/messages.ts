import type { Message } from '../record/call-record';
import type { TraceConfig } from '../masking/trace-config';
import { SPAN_TEXT_BUDGET_FACTOR } from '../config/text-cap';
import type { AttributeSink } from './attribute-sink';
import { INPUT_MESSAGE_KEYS, MessageKeys } from './indexed-keys';

/**
 * Which input messages a span records, and in what order. A long conversation cannot all go on a span:
 * the SDK keeps 128 attributes by default and drops every key added after that. So the system message(s)
 * and the most recent messages are kept, up to the message cap and then up to the attribute and text
 * budget left after the essentials, the output and `input.value`; the rest is counted as omitted.
 */

/**
 * A message to record, the index it is recorded under, and what it costs on the span: counted once here,
 * for both `mayLeaveOut` and `renderInputMessages`.
 */
export interface PlacedMessage {
  message: Message;
  index: number;
  /** The attributes `renderMessage` writes for it at most. */
  attributes: number;
  /** Its text, each value counted up to the attribute length cap. */
  text: number;
}

/** Attributes kept free for what the processor adds after us (context attributes, the root roll-up). */
export const RESERVED_ATTRIBUTES = 16;

/**
 * The messages under the message cap, in conversation order: the system ones and the most recent others.
 * Nothing left out: every message keeps its own index (holes in a sparse list stay holes). Else they are
 * numbered 0…n-1, so that a reader of `llm.input_messages.*` sees one contiguous conversation.
 */
export function capMessages(messages: readonly Message[], maxMessages: number, textCap: number): PlacedMessage[] {
  // The usual list (no holes, under the cap) is placed in one pass, with nothing allocated but the result.
  if (messages.length <= maxMessages && messageCount(messages) === messages.length) {
    const all: PlacedMessage[] = [];
    for (let i = 0; i < messages.length; i++) all.push(placed(messages[i], i, textCap));
    return all;
  }
  const present: Array<{ message: Message; index: number }> = [];
  for (let i = 0; i < messages.length; i++) if (messages[i]) present.push({ message: messages[i], index: i });
  // Costs are counted for the messages kept only: a conversation of 200,000 messages costs what 32 do.
  if (present.length <= maxMessages) return present.map((p) => placed(p.message, p.index, textCap));
  const system = present.filter((p) => isSystem(p.message)).slice(0, maxMessages);
  const room = maxMessages - system.length;
  const recent = room > 0 ? present.filter((p) => !isSystem(p.message)).slice(-room) : [];
  // Renumbered 0…n-1 in conversation order.
  return [...system, ...recent].sort((a, b) => a.index - b.index).map((p, i) => placed(p.message, i, textCap));
}

function placed(message: Message, index: number, textCap: number): PlacedMessage {
  return { message, index, attributes: attributeCount(message), text: textLength(message, textCap) };
}

/** How many messages of the list are real (a sparse list has holes). */
export function messageCount(messages: readonly Message[]): number {
  let n = 0;
  // Index loops here and below: these run on every call, mostly before V8 has optimized them, where a
  // `for…of` pays the iterator protocol on every element (docs/performance.md, "Two methods").
  for (let i = 0; i < messages.length; i++) if (messages[i]) n++;
  return n;
}

/**
 * Writes the capped messages within the sink's attribute and text budget: the system message(s) first,
 * then the newest back to the oldest, stopping at the first that no longer fits. They are written in that
 * order too, so that if the real limit is lower than the one we know of (span limits set in code), the SDK
 * drops the oldest. Returns how many of `capped` were written.
 */
export function renderInputMessages(out: AttributeSink, capped: PlacedMessage[], attributeLimit: number): number {
  const order = priorityOrder(capped);
  const keep: boolean[] = new Array<boolean>(capped.length).fill(false);
  let attributesLeft = attributeLimit - RESERVED_ATTRIBUTES - out.count;
  let textLeft = out.textBudget;
  let kept = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const { attributes, text } = capped[i];
    // The newest message is kept even when its text is over the budget: the sink shortens it.
    if (attributes > attributesLeft || (text > textLeft && kept > 0)) break;
    keep[i] = true;
    kept++;
    attributesLeft -= attributes;
    textLeft -= text;
  }
  // All kept: the indices stay. Else the kept ones are numbered anew, in conversation order.
  const index: number[] = new Array<number>(capped.length);
  for (let i = 0, next = 0; i < capped.length; i++) if (keep[i]) index[i] = kept === capped.length ? capped[i].index : next++;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (keep[i]) renderMessage(out, INPUT_MESSAGE_KEYS, capped[i].message, index[i]);
  }
  return kept;
}

/**
 * Whether some of the capped messages might not fit: the message cap already left some out, or the
 * messages with the output need more attributes or text than a span has. Only then does the renderer
 * hold a place for the omitted count among the essentials (taking it back is a `delete`, which costs).
 */
export function mayLeaveOut(capped: PlacedMessage[], total: number, output: readonly Message[], config: TraceConfig): boolean {
  if (capped.length < total) return true;
  let attributes = 0;
  let text = 0;
  for (let i = 0; i < capped.length; i++) {
    attributes += capped[i].attributes;
    text += capped[i].text;
  }
  for (let i = 0; i < output.length; i++) {
    const m = output[i];
    if (!m) continue;
    attributes += attributeCount(m);
    text += textLength(m, config.maxAttributeLength);
  }
  return overSpanBudget(attributes, text, config);
}

/**
 * Whether messages that write `attributes` attributes and `text` characters (input and output) may not all
 * fit on a span beside the rest of a call: the essentials, and before the messages the parameters,
 * `output.value` and `input.value`, each up to the cap.
 */
export function overSpanBudget(attributes: number, text: number, config: TraceConfig): boolean {
  const budget = config.maxAttributeLength * SPAN_TEXT_BUDGET_FACTOR;
  return attributes + FIXED_ATTRIBUTES > config.attributeCountLimit - RESERVED_ATTRIBUTES || text + 3 * config.maxAttributeLength + FIXED_TEXT > budget;
}

/** Text a call writes besides its messages and values at most (ids, names, model, finish reason, …). */
const FIXED_TEXT = 2000;

/** Attributes a call writes besides its messages at most (essentials, parameters, values, prompts). */
const FIXED_ATTRIBUTES = 32;

/** Positions in `placed`: the system message(s) in order, then the others from the newest back. */
function priorityOrder(placed: PlacedMessage[]): number[] {
  const order: number[] = [];
  for (let i = 0; i < placed.length; i++) if (isSystem(placed[i].message)) order.push(i);
  for (let i = placed.length - 1; i >= 0; i--) if (!isSystem(placed[i].message)) order.push(i);
  return order;
}

export function renderMessage(out: AttributeSink, keys: MessageKeys, m: Message, i: number): void {
  if (m.role !== undefined) out.put(keys.role(i), m.role);
  if (m.name !== undefined) out.put(keys.name(i), m.name);
  if (m.toolCallId !== undefined) out.put(keys.toolCallId(i), m.toolCallId);
  if (m.content !== undefined) out.put(keys.content(i), m.content);
  if (m.parts) {
    for (let j = 0; j < m.parts.length; j++) {
      const part = m.parts[j];
      if (!part) continue;
      out.put(keys.partType(i, j), part.type);
      if (part.text !== undefined) out.put(keys.partText(i, j), part.text);
      if (part.imageUrl !== undefined) out.put(keys.partImage(i, j), part.imageUrl);
    }
  }
  if (m.toolCalls) {
    for (let k = 0; k < m.toolCalls.length; k++) {
      const call = m.toolCalls[k];
      if (!call) continue;
      if (call.id !== undefined) out.put(keys.toolCallIdOf(i, k), call.id);
      if (call.name !== undefined) out.put(keys.toolCallName(i, k), call.name);
      if (call.arguments !== undefined) out.put(keys.toolCallArguments(i, k), call.arguments);
    }
  }
}

export function isSystem(m: Message): boolean {
  return m.role === 'system' || m.role === 'developer';
}

/** The attributes `renderMessage` writes for this message at most (masking may write fewer). */
function attributeCount(m: Message): number {
  let n = defined(m.role) + defined(m.name) + defined(m.toolCallId) + defined(m.content);
  const parts = m.parts;
  if (parts) {
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part) n += 1 + defined(part.text) + defined(part.imageUrl);
    }
  }
  const calls = m.toolCalls;
  if (calls) {
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i];
      if (call) n += defined(call.id) + defined(call.name) + defined(call.arguments);
    }
  }
  return n;
}

/** The text the message costs on the span, each value counted up to the cap. */
function textLength(m: Message, cap: number): number {
  let n = capped(m.content, cap);
  const parts = m.parts;
  if (parts) {
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (part) n += capped(part.text, cap) + capped(part.imageUrl, cap);
    }
  }
  const calls = m.toolCalls;
  if (calls) {
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i];
      if (call) n += capped(call.arguments, cap);
    }
  }
  return n;
}

function defined(value: unknown): number {
  return value === undefined ? 0 : 1;
}

function capped(text: string | undefined, cap: number): number {
  return text === undefined ? 0 : Math.min(text.length, cap);
}
