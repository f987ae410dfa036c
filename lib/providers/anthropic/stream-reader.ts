import type { CallRecord } from '../../record/call-record';
import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { safeJson } from '../../record/json';
import { IndexedSlots, OutputBuffers, shortString } from '../../record/bounded';
import { asNumber, asRecord, asString, TextAccumulator } from '../../record/read';
import { OutputBlock, readOutputMessage } from './content';
import { readAnthropicUsage } from '../../record/anthropic-usage';

interface BlockState {
  type: string;
  id?: string;
  name?: TextAccumulator;
  /** text, thinking, or a tool call's `partial_json` pieces. */
  text: TextAccumulator;
  /** A tool_use block's `input` from `content_block_start` (as capped JSON), for a call whose arguments never stream. */
  startInput?: string;
}

/**
 * Assembles the Messages SSE events (`message_start`, `content_block_start` / `_delta` / `_stop`,
 * `message_delta`, `message_stop`) into the same record a non-streamed response gives. The model and the
 * input side of usage come from `message_start`; the stop reason and the final `output_tokens` from
 * `message_delta`. Output read before an error or an abandon is kept (`onStop` runs on every end).
 */
export class MessageStreamReader implements ChunkReader<unknown> {
  private readonly buffers: OutputBuffers;
  /** Content blocks by their `index`, at most DEFAULT_MAX_OUTPUT_PARTS of them. */
  private readonly blocks: IndexedSlots<BlockState>;
  constructor(private readonly record: CallRecord) {
    const buffers = (this.buffers = new OutputBuffers(record));
    this.blocks = buffers.parts((): BlockState => ({ type: 'unknown', text: buffers.text() }));
  }

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
        const type = shortString(block?.type) ?? 'unknown';
        // A block that starts again is read afresh.
        const state = this.blocks.reset(asNumber(event.index) ?? this.blocks.size, type === 'tool_use' ? 'toolCalls' : 'outputParts');
        if (!state) break;
        state.type = type;
        state.id = shortString(block?.id);
        if (typeof block?.name === 'string') (state.name = this.buffers.name()).add(block.name);
        state.text.add(block?.text ?? block?.thinking);
        state.startInput = block?.input === undefined ? undefined : this.buffers.capped(safeJson(block.input));
        break;
      }
      case 'content_block_delta': {
        const delta = asRecord(event.delta);
        const state = this.blocks.find(asNumber(event.index) ?? -1);
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
    this.record.outputMessages = [readOutputMessage(this.blocks.ordered().map(outputBlock))];
  }
}

function outputBlock(state: BlockState): OutputBlock {
  if (state.type === 'text' || state.type === 'thinking') return { type: state.type, text: state.text.text() ?? '' };
  if (state.type === 'tool_use') {
    const args = state.text.text() ?? state.startInput ?? '{}';
    return { type: 'tool_use', id: state.id, name: state.name?.text(), arguments: args };
  }
  return { type: state.type };
}
