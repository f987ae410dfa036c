import { DEFAULT_MAX_ATTRIBUTE_LENGTH, SPAN_TEXT_BUDGET_FACTOR, truncateText } from '../config/text-cap';
import {
  DEFAULT_MAX_OUTPUT_MESSAGES,
  DEFAULT_MAX_OUTPUT_PARTS,
  DEFAULT_MAX_TOOL_CALLS,
  DEFAULT_MAX_TOOL_NAME_LENGTH,
  MAX_OMITTED_INDEXES_TRACKED,
} from '../config/record-limits';
import { CallRecord, noteOmitted, Omitted, ToolCall } from './call-record';
import { TextAccumulator, TextBudget } from './read';

/**
 * What every response reader keeps, bounded whatever the response's shape: the one place that decides how
 * many choices, parts and tool calls a call holds, and how much text in all. Past a cap, the rest is
 * counted in the record's `omitted` (the span's `infinium.*.omitted` attributes), never kept.
 */

/** Slots a group of `IndexedSlots` may still open between them (e.g. the tool calls of every choice). */
export class SlotQuota {
  constructor(public left: number) {}
}

/**
 * Items kept by the index the wire gives them (a choice, a content block, a tool call), at most `max` of
 * them, plus what a shared `quota` allows. An index past the cap is counted once in the record's `omitted`
 * (exactly, for the first MAX_OMITTED_INDEXES_TRACKED of them; past that each piece counts).
 */
export class IndexedSlots<T> {
  private readonly slots = new Map<number, T>();
  private dropped: Set<number> | undefined;

  constructor(
    private readonly make: (index: number) => T,
    private readonly max: number,
    private readonly record: CallRecord,
    private readonly what: keyof Omitted,
    private readonly quota?: SlotQuota,
  ) {}

  /**
   * The item at `index`: the one kept, or a new one when there is room; `undefined` when over the cap,
   * counted as `what` left out (a content block that is a tool call counts as a tool call).
   */
  at(index: number, what: keyof Omitted = this.what): T | undefined {
    const found = this.slots.get(index);
    if (found !== undefined) return found;
    if (this.slots.size >= this.max || (this.quota !== undefined && this.quota.left <= 0)) {
      this.omit(index, what);
      return undefined;
    }
    if (this.quota) this.quota.left--;
    const item = this.make(index);
    this.slots.set(index, item);
    return item;
  }

  /** The item kept at `index`, without making one. */
  find(index: number): T | undefined {
    return this.slots.get(index);
  }

  /** Replaces (or makes, room allowing) the item at `index`. */
  reset(index: number, what: keyof Omitted = this.what): T | undefined {
    if (this.slots.delete(index) && this.quota) this.quota.left++;
    return this.at(index, what);
  }

  get size(): number {
    return this.slots.size;
  }

  /** The items kept, in index order. */
  ordered(): T[] {
    const indexes = [...this.slots.keys()].sort(byNumber);
    // Pushed, not map(): one array map in every V8 tier (see ChoiceAssembler.messages).
    const items: T[] = [];
    for (let i = 0; i < indexes.length; i++) items.push(this.slots.get(indexes[i])!);
    return items;
  }

  private omit(index: number, what: keyof Omitted): void {
    const dropped = (this.dropped ??= new Set());
    if (dropped.has(index)) return;
    if (dropped.size < MAX_OMITTED_INDEXES_TRACKED) dropped.add(index);
    noteOmitted(this.record, what, 1);
  }
}

function byNumber(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The buffers of one call's reader: every text it keeps shares one budget (the span's text budget: more
 * could never be written), and every tool call it opens one quota.
 */
export class OutputBuffers {
  readonly textLimit: number;
  private readonly budget: TextBudget;
  private readonly toolCallQuota = new SlotQuota(DEFAULT_MAX_TOOL_CALLS);

  constructor(readonly record: CallRecord) {
    this.textLimit = record.textLimit ?? DEFAULT_MAX_ATTRIBUTE_LENGTH;
    this.budget = new TextBudget(this.textLimit * SPAN_TEXT_BUDGET_FACTOR);
  }

  /** A text (content, reasoning, a tool call's arguments) within the text cap and the call's budget. */
  text(): TextAccumulator {
    return new TextAccumulator(this.textLimit, this.budget);
  }

  /** A whole value (a JSON string) cut to the text cap: what a stream keeps of a value it gets whole. */
  capped(value: string | undefined): string | undefined {
    return value === undefined || value.length <= this.textLimit ? value : truncateText(value, this.textLimit);
  }

  /**
   * A tool call's name: short, but streamed in pieces by some APIs. Outside the text budget, so that a
   * name always shows (DEFAULT_MAX_TOOL_CALLS names of DEFAULT_MAX_TOOL_NAME_LENGTH at most).
   */
  name(): TextAccumulator {
    return new TextAccumulator(Math.min(this.textLimit, DEFAULT_MAX_TOOL_NAME_LENGTH));
  }

  /** Output messages by index: choices, candidates, output items. */
  messages<T>(make: (index: number) => T): IndexedSlots<T> {
    return new IndexedSlots(make, DEFAULT_MAX_OUTPUT_MESSAGES, this.record, 'outputMessages');
  }

  /** Parts by index: content blocks of the output message. */
  parts<T>(make: (index: number) => T): IndexedSlots<T> {
    return new IndexedSlots(make, DEFAULT_MAX_OUTPUT_PARTS, this.record, 'outputParts');
  }

  /** Tool calls by index; all the tool calls of this call share one quota. */
  toolCalls(): IndexedSlots<ToolCallBuffer> {
    const make = (): ToolCallBuffer => ({ name: this.name(), arguments: this.text() });
    return new IndexedSlots(make, DEFAULT_MAX_TOOL_CALLS, this.record, 'toolCalls', this.toolCallQuota);
  }
}

/** A tool call being read: its id, and its name and arguments as they stream. */
export interface ToolCallBuffer {
  id?: string;
  name: TextAccumulator;
  arguments: TextAccumulator;
}

/** The tool call a buffer holds; arguments never streamed are `''`. */
export function toolCallOf(buffer: ToolCallBuffer): ToolCall {
  return { id: buffer.id, name: buffer.name.text(), arguments: buffer.arguments.text() ?? '' };
}

/**
 * A short string from a stream (an id, a role, a type), kept as it is up to DEFAULT_MAX_TOOL_NAME_LENGTH
 * characters; a longer one is cut (with the marker), so that a stream does not keep a huge chunk's text
 * alive through it.
 */
export function shortString(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return value.length <= DEFAULT_MAX_TOOL_NAME_LENGTH ? value : truncateText(value, DEFAULT_MAX_TOOL_NAME_LENGTH);
}

/**
 * The first `max` items of a response's list (choices, content blocks, tool calls), the rest counted in
 * the record's `omitted` without being read: a list of 200,000 choices costs what 128 do.
 */
export function keptItems(list: unknown, max: number, record: CallRecord, what: keyof Omitted): unknown[] {
  if (!Array.isArray(list)) return [];
  if (list.length <= max) return list;
  noteOmitted(record, what, list.length - max);
  return list.slice(0, max);
}

/** A response's output messages (choices, candidates), the first DEFAULT_MAX_OUTPUT_MESSAGES of them. */
export function keptMessages(list: unknown, record: CallRecord): unknown[] {
  return keptItems(list, DEFAULT_MAX_OUTPUT_MESSAGES, record, 'outputMessages');
}

/** An output message's parts (content blocks), the first DEFAULT_MAX_OUTPUT_PARTS of them. */
export function keptParts(list: unknown, record: CallRecord): unknown[] {
  return keptItems(list, DEFAULT_MAX_OUTPUT_PARTS, record, 'outputParts');
}

/** An output message's tool calls, the first DEFAULT_MAX_TOOL_CALLS of them. */
export function keptToolCalls(list: unknown, record: CallRecord): unknown[] {
  return keptItems(list, DEFAULT_MAX_TOOL_CALLS, record, 'toolCalls');
}
