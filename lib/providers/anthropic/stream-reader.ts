import type { CallRecord } from '../../record/call-record';
import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { safeJson } from '../../record/json';
import { asNumber, asRecord, asString, TextAccumulator } from '../../record/read';
import { OutputBlock, readOutputMessage } from './content';
import { readAnthropicUsage } from './usage';

interface BlockState {
  type: string;
  id?: string;
  name?: string;
  /** text, thinking, or a tool call's `partial_json` pieces. */
  text: TextAccumulator;
  /** A tool_use block's `input` from `content_block_start`, for a call whose arguments never stream. */
  startInput?: unknown;
}

/**
 * Assembles the Messages SSE events (`message_start`, `content_block_start` / `_delta` / `_stop`,
 * `message_delta`, `message_stop`) into the same record a non-streamed response gives. The model and the
 * input side of usage come from `message_start`; the stop reason and the final `output_tokens` from
 * `message_delta`. Output read before an error or an abandon is kept (`onStop` runs on every end).
 */
export class MessageStreamReader implements ChunkReader<unknown> {
  private readonly blocks = new Map<number, BlockState>();
  constructor(private readonly record: CallRecord) {}

  onChunk(value: unknown): void {
    const event = asRecord(value);
    if (!event) return;
    switch (event.type) {
      case 'message_start': {
        const message = asRecord(event.message);
        this.record.responseModel = asString(message?.model) ?? this.record.responseModel;
        this.record.responseId = asString(message?.id) ?? this.record.responseId;
        this.record.usage = readAnthropicUsage(message?.usage, this.record.usage);
        break;
      }
      case 'content_block_start': {
        const block = asRecord(event.content_block);
        const index = asNumber(event.index) ?? this.blocks.size;
        const state: BlockState = { type: asString(block?.type) ?? 'unknown', text: new TextAccumulator(this.record.textLimit) };
        state.id = asString(block?.id);
        state.name = asString(block?.name);
        state.text.add(block?.text ?? block?.thinking);
        state.startInput = block?.input;
        this.blocks.set(index, state);
        break;
      }
      case 'content_block_delta': {
        const delta = asRecord(event.delta);
        const state = this.blocks.get(asNumber(event.index) ?? -1);
        if (!delta || !state) return;
        if (delta.type === 'text_delta') state.text.add(delta.text);
        else if (delta.type === 'thinking_delta') state.text.add(delta.thinking);
        else if (delta.type === 'input_json_delta') state.text.add(delta.partial_json);
        break;
      }
      case 'message_delta': {
        const stopReason = asString(asRecord(event.delta)?.stop_reason);
        if (stopReason !== undefined) this.record.finishReason = stopReason;
        this.record.usage = readAnthropicUsage(event.usage, this.record.usage);
        break;
      }
    }
  }

  onStop(): void {
    if (this.blocks.size === 0) return;
    const indexes = [...this.blocks.keys()].sort((a, b) => a - b);
    this.record.outputMessages = [readOutputMessage(indexes.map((i) => outputBlock(this.blocks.get(i)!)))];
  }
}

function outputBlock(state: BlockState): OutputBlock {
  if (state.type === 'text' || state.type === 'thinking') return { type: state.type, text: state.text.text() ?? '' };
  if (state.type === 'tool_use') {
    const args = state.text.text() ?? safeJson(state.startInput ?? {});
    return { type: 'tool_use', id: state.id, name: state.name, arguments: args };
  }
  return { type: state.type };
}
