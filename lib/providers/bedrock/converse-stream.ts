import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { CallRecord, MessagePart, messageFromParts, ToolCall } from '../../record/call-record';
import { IndexedSlots, OutputBuffers, shortString } from '../../record/bounded';
import { asNumber, asRecord, asString, Json, TextAccumulator } from '../../record/read';
import { readBedrockUsage } from './converse';

interface BlockState {
  toolUse?: { id?: string; name?: TextAccumulator };
  reasoning: boolean;
  /** Text, reasoning text, or a tool call's input JSON pieces. */
  text: TextAccumulator;
}

/**
 * Assembles ConverseStream events (`messageStart`, `contentBlockStart` / `Delta` / `Stop`, `messageStop`,
 * `metadata`) into the record a Converse response gives. Amazon Nova's InvokeModelWithResponseStream
 * chunks are the same events, decoded from JSON. Output read before an error or an abandon is kept.
 */
export class ConverseStreamReader implements ChunkReader<unknown> {
  private role: string | undefined;
  private readonly buffers: OutputBuffers;
  /** Content blocks by `contentBlockIndex`, at most DEFAULT_MAX_OUTPUT_PARTS of them. */
  private readonly blocks: IndexedSlots<BlockState>;

  constructor(private readonly record: CallRecord) {
    const buffers = (this.buffers = new OutputBuffers(record));
    this.blocks = buffers.parts((): BlockState => ({ reasoning: false, text: buffers.text() }));
  }

  onChunk(value: unknown): void {
    const event = asRecord(value);
    if (!event) return;
    if (event.messageStart) this.role = shortString(asRecord(event.messageStart)?.role);
    else if (event.contentBlockStart) this.startBlock(asRecord(event.contentBlockStart));
    else if (event.contentBlockDelta) this.addDelta(asRecord(event.contentBlockDelta));
    else if (event.messageStop) this.record.finishReason = asString(asRecord(event.messageStop)?.stopReason) ?? this.record.finishReason;
    else if (event.metadata) this.record.usage = readBedrockUsage(asRecord(event.metadata)?.usage) ?? this.record.usage;
  }

  onStop(): void {
    if (this.blocks.size === 0 && this.role === undefined) return;
    const parts: MessagePart[] = [];
    const toolCalls: ToolCall[] = [];
    for (const block of this.blocks.ordered()) {
      const text = block.text.text();
      if (block.toolUse) toolCalls.push({ id: block.toolUse.id, name: block.toolUse.name?.text(), arguments: text ?? '{}' });
      else if (block.reasoning) parts.push({ type: 'thinking', text });
      else if (text !== undefined) parts.push({ type: 'text', text });
    }
    this.record.outputMessages = [messageFromParts(this.role ?? 'assistant', parts, toolCalls)];
  }

  /** The block at the event's index; `undefined` past the cap (counted as a part, or as a tool call). */
  private block(event: Json | undefined, toolCall = false): BlockState | undefined {
    return this.blocks.at(asNumber(event?.contentBlockIndex) ?? 0, toolCall ? 'toolCalls' : 'outputParts');
  }

  private startBlock(event: Json | undefined): void {
    const toolUse = asRecord(asRecord(event?.start)?.toolUse);
    if (!toolUse) return;
    const state = this.block(event, true);
    if (!state) return;
    const name = this.buffers.name();
    name.add(toolUse.name);
    state.toolUse = { id: shortString(toolUse.toolUseId), name };
  }

  private addDelta(event: Json | undefined): void {
    const delta = asRecord(event?.delta);
    if (!delta) return;
    const state = this.block(event, delta.toolUse !== undefined);
    if (!state) return;
    if (typeof delta.text === 'string') state.text.add(delta.text);
    else if (delta.toolUse) state.text.add(asRecord(delta.toolUse)?.input);
    else if (delta.reasoningContent) {
      state.reasoning = true;
      state.text.add(asRecord(delta.reasoningContent)?.text);
    }
  }
}
