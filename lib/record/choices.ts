import type { Message } from './call-record';
import { argumentsJson } from './json';
import { TextAccumulator } from './read';

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
  toolCalls?: Map<number, { id?: string; name?: string; arguments: TextAccumulator }>;
}

/**
 * Streamed chat output assembled per choice (OpenAI-style chunks: OpenAI, Groq, Mistral): the role, text
 * deltas joined once at the end, and tool-call deltas merged by their index.
 */
export class ChoiceAssembler {
  private readonly choices = new Map<number, ChoiceState>();

  /** `limit`: the longest text kept per text or arguments (the record's `textLimit`), so endless streams stay flat. */
  constructor(private readonly limit?: number) {}

  /** One delta of choice `index`: its role (when named), its text piece, its tool-call pieces. */
  add(index: number, role: unknown, text: unknown, toolCalls?: readonly ToolCallDelta[]): void {
    let state = this.choices.get(index);
    if (!state) this.choices.set(index, (state = { text: new TextAccumulator(this.limit) }));
    if (typeof role === 'string') state.role = role;
    state.text.add(text);
    if (toolCalls) for (const delta of toolCalls) mergeToolCall(state, delta, this.limit);
  }

  /** One assistant message per choice, in index order. */
  messages(): Message[] {
    const indexes = [...this.choices.keys()].sort((a, b) => a - b);
    return indexes.map((i) => {
      const state = this.choices.get(i)!;
      const message: Message = { role: state.role ?? 'assistant', content: state.text.text() };
      if (state.toolCalls && state.toolCalls.size > 0) {
        message.toolCalls = [...state.toolCalls.entries()]
          .sort(([a], [b]) => a - b)
          .map(([, tc]) => ({ id: tc.id, name: tc.name, arguments: tc.arguments.text() ?? '' }));
      }
      return message;
    });
  }
}

function mergeToolCall(state: ChoiceState, delta: ToolCallDelta, limit: number | undefined): void {
  const toolCalls = (state.toolCalls ??= new Map());
  const index = typeof delta.index === 'number' ? delta.index : toolCalls.size;
  let call = toolCalls.get(index);
  if (!call) toolCalls.set(index, (call = { arguments: new TextAccumulator(limit) }));
  if (typeof delta.id === 'string') call.id = delta.id;
  // A name streamed in pieces is joined; most APIs send it whole in the first delta.
  if (typeof delta.name === 'string') call.name = (call.name ?? '') + delta.name;
  call.arguments.add(argumentsJson(delta.arguments));
}
