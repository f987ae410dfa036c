import { IndexedSlots, OutputBuffers, shortString, ToolCallBuffer, toolCallOf } from './bounded';
import type { CallRecord, Message } from './call-record';
import { argumentsJson } from './json';
import type { TextAccumulator } from './read';

/** One streamed tool-call delta, whatever the SDK's spelling of its keys. */
export interface ToolCallDelta {
  /** Position of the call in the message; absent means "the next one". */
  index?: unknown;
  id?: unknown;
  name?: unknown;
  /** A piece of the JSON arguments, or (some APIs) the whole arguments as an object. */
  arguments?: unknown;
}

interface ChoiceState {
  role?: string;
  text: TextAccumulator;
  /** Made at the first tool-call delta: most streams have none. */
  toolCalls?: IndexedSlots<ToolCallBuffer>;
}

/**
 * Streamed chat output assembled per choice (OpenAI-style chunks: OpenAI, Groq, Mistral): the role, text
 * deltas joined once at the end, and tool-call deltas merged by their index. Bounded (`OutputBuffers`):
 * at most DEFAULT_MAX_OUTPUT_MESSAGES choices and DEFAULT_MAX_TOOL_CALLS tool calls, their text within the
 * call's budget; what is left out is counted in the record.
 */
export class ChoiceAssembler {
  private readonly buffers: OutputBuffers;
  private readonly choices: IndexedSlots<ChoiceState>;

  constructor(record: CallRecord) {
    const buffers = (this.buffers = new OutputBuffers(record));
    this.choices = buffers.messages(() => ({ text: buffers.text() }));
  }

  /** One delta of choice `index`: its role (when named), its text piece, its tool-call pieces. */
  add(index: number, role: unknown, text: unknown, toolCalls?: readonly ToolCallDelta[]): void {
    const state = this.choices.at(index);
    if (!state) return;
    if (typeof role === 'string') state.role = shortString(role);
    state.text.add(text);
    if (toolCalls) for (const delta of toolCalls) this.mergeToolCall(state, delta);
  }

  /** One assistant message per choice, in index order. */
  messages(): Message[] {
    const states = this.choices.ordered();
    const messages: Message[] = [];
    // A loop that pushes, not map(): once V8 optimizes an inlined map() its array is HOLEY where the
    // interpreter's was PACKED, a new array map that deoptimized the renderer functions reading the list
    // for the rest of a fresh process (docs/performance.md, "Where the µs go").
    for (let i = 0; i < states.length; i++) {
      const state = states[i];
      const message: Message = { role: state.role ?? 'assistant', content: state.text.text() };
      if (state.toolCalls && state.toolCalls.size > 0) {
        const calls = state.toolCalls.ordered();
        const toolCalls = [];
        for (let j = 0; j < calls.length; j++) toolCalls.push(toolCallOf(calls[j]));
        message.toolCalls = toolCalls;
      }
      messages.push(message);
    }
    return messages;
  }

  private mergeToolCall(state: ChoiceState, delta: ToolCallDelta): void {
    const toolCalls = (state.toolCalls ??= this.buffers.toolCalls());
    const call = toolCalls.at(typeof delta.index === 'number' ? delta.index : toolCalls.size);
    if (!call) return;
    // The first id stays: Mistral's SDK fills an absent one with the string "null".
    if (typeof delta.id === 'string') call.id ??= shortString(delta.id);
    // A name streamed in pieces is joined; most APIs send it whole in the first delta.
    call.name.add(delta.name);
    call.arguments.add(argumentsJson(delta.arguments));
  }
}
