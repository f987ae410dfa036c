import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { CallRecord, MessagePart, messageFromParts, ToolCall } from '../../record/call-record';
import { asNumber, asRecord, asString, Json, TextAccumulator } from '../../record/read';
import { readBedrockUsage } from './converse';

interface BlockState {
  toolUse?: { id?: string; name?: string };
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
  private readonly blocks = new Map<number, BlockState>();

  constructor(private readonly record: CallRecord) {}

  onChunk(value: unknown): void {
    const event = asRecord(value);
    if (!event) return;
    if (event.messageStart) this.role = asString(asRecord(event.messageStart)?.role);
    else if (event.contentBlockStart) this.startBlock(asRecord(event.contentBlockStart));
    else if (event.contentBlockDelta) this.addDelta(asRecord(event.contentBlockDelta));
    else if (event.messageStop) this.record.finishReason = asString(asRecord(event.messageStop)?.stopReason) ?? this.record.finishReason;
    else if (event.metadata) this.record.usage = readBedrockUsage(asRecord(event.metadata)?.usage) ?? this.record.usage;
  }

  onStop(): void {
    if (this.blocks.size === 0 && this.role === undefined) return;
    const parts: MessagePart[] = [];
    const toolCalls: ToolCall[] = [];
    for (const i of [...this.blocks.keys()].sort((a, b) => a - b)) {
      const block = this.blocks.get(i)!;
      const text = block.text.text();
      if (block.toolUse) toolCalls.push({ ...block.toolUse, arguments: text ?? '{}' });
      else if (block.reasoning) parts.push({ type: 'thinking', text });
      else if (text !== undefined) parts.push({ type: 'text', text });
    }
    this.record.outputMessages = [messageFromParts(this.role ?? 'assistant', parts, toolCalls)];
  }

  private block(event: Json | undefined): BlockState {
    const index = asNumber(event?.contentBlockIndex) ?? 0;
    let state = this.blocks.get(index);
    if (!state) this.blocks.set(index, (state = { reasoning: false, text: new TextAccumulator() }));
    return state;
  }

  private startBlock(event: Json | undefined): void {
    const toolUse = asRecord(asRecord(event?.start)?.toolUse);
    if (toolUse) this.block(event).toolUse = { id: asString(toolUse.toolUseId), name: asString(toolUse.name) };
  }

  private addDelta(event: Json | undefined): void {
    const delta = asRecord(event?.delta);
    if (!delta) return;
    const state = this.block(event);
    if (typeof delta.text === 'string') state.text.add(delta.text);
    else if (delta.toolUse) state.text.add(asRecord(delta.toolUse)?.input);
    else if (delta.reasoningContent) {
      state.reasoning = true;
      state.text.add(asRecord(delta.reasoningContent)?.text);
    }
  }
}
