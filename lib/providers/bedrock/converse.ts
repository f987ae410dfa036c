import { CallRecord, Message, MessagePart, messageFromParts, ToolCall, Usage } from '../../record/call-record';
import { safeJson, toolSchemas } from '../../record/json';
import { asArray, asRecord, asReportedNumber, asString, Json } from '../../record/read';
import { tokenSum } from '../../record/usage';
import { keptParts } from '../../record/bounded';

/**
 * Bedrock's Converse shapes: `messages` of content blocks (`text`, `image`, `toolUse`, `toolResult`,
 * `reasoningContent`, …), `system` blocks, `toolConfig`, `inferenceConfig` and `usage`. Amazon Nova's
 * InvokeModel body speaks the same shapes (images as base64 strings instead of bytes), so it is read here too.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 */

/** The request's messages, system prompt, tools and parameters. */
export function readConverseRequest(record: CallRecord, input: Json): void {
  const system = readSystemBlocks(input.system);
  record.inputMessages = [...(system ? [system] : []), ...asArray(input.messages).flatMap((m) => readConverseMessage(m))];
  const toolConfig = asRecord(input.toolConfig);
  record.tools = toolSchemas(asArray(toolConfig?.tools).map((t) => asRecord(t)?.toolSpec ?? t));
  const params: Json = { ...asRecord(input.inferenceConfig) };
  if (toolConfig?.toolChoice !== undefined) params.toolChoice = toolConfig.toolChoice;
  if (input.additionalModelRequestFields !== undefined) params.additionalModelRequestFields = input.additionalModelRequestFields;
  if (Object.keys(params).length > 0) record.invocationParameters = params;
}

/** A Converse response (or a Nova InvokeModel body): the assistant message, stop reason and usage. */
export function readConverseResponse(record: CallRecord, output: Json | undefined): void {
  if (!output) return;
  const [message] = readConverseMessage(asRecord(output.output)?.message, record);
  if (message) record.outputMessages = [message];
  record.finishReason = asString(output.stopReason) ?? record.finishReason;
  record.usage = readBedrockUsage(output.usage) ?? record.usage;
}

/**
 * Converse `usage` (and Nova's, which spells the cache counts `…InputTokenCount`). Like Anthropic's,
 * `inputTokens` leaves the cache out: the prompt count is `inputTokens + cacheRead + cacheWrite`, summed
 * only when all are sane (`tokenSum`: `11 + -11` is no prompt count, not 0).
 * The total is left to the renderer (prompt + completion) so that it always adds up.
 */
export function readBedrockUsage(value: unknown): Usage | undefined {
  const u = asRecord(value);
  if (!u) return undefined;
  const cacheRead = asReportedNumber(u.cacheReadInputTokens ?? u.cacheReadInputTokenCount);
  const cacheWrite = asReportedNumber(u.cacheWriteInputTokens ?? u.cacheWriteInputTokenCount);
  const input = asReportedNumber(u.inputTokens);
  return {
    prompt: input === undefined ? undefined : tokenSum(input, cacheRead, cacheWrite),
    completion: asReportedNumber(u.outputTokens),
    cacheRead,
    cacheWrite,
  };
}

/** `system` blocks as one system message: their texts joined (cache points and guard content carry none). */
function readSystemBlocks(value: unknown): Message | undefined {
  const texts = asArray(value).flatMap((b) => {
    const text = asString(asRecord(b)?.text);
    return text === undefined ? [] : [text];
  });
  return texts.length > 0 ? { role: 'system', content: texts.join('\n') } : undefined;
}

/**
 * One Converse message: one neutral message (text, media and tool calls), plus one `tool` message per
 * `toolResult` block. Text blocks are joined; the message switches to `parts` only when it holds more.
 * `output`: the record of a response, whose content blocks are capped (`keptParts`).
 */
export function readConverseMessage(value: unknown, output?: CallRecord): Message[] {
  const m = asRecord(value);
  if (!m) return [];
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  const toolResults: Message[] = [];
  for (const item of output ? keptParts(m.content, output) : asArray(m.content)) {
    const block = asRecord(item);
    if (!block) continue;
    const toolUse = asRecord(block.toolUse);
    const toolResult = asRecord(block.toolResult);
    if (typeof block.text === 'string') {
      parts.push({ type: 'text', text: block.text });
    } else if (toolUse) {
      toolCalls.push({ id: asString(toolUse.toolUseId), name: asString(toolUse.name), arguments: safeJson(toolUse.input ?? {}) });
    } else if (toolResult) {
      toolResults.push({ role: 'tool', toolCallId: asString(toolResult.toolUseId), content: toolResultText(toolResult.content) });
    } else {
      parts.push(otherPart(block));
    }
  }
  // A user turn made only of tool results becomes only the tool messages.
  const keep = parts.length > 0 || toolCalls.length > 0 || toolResults.length === 0;
  return keep ? [messageFromParts(asString(m.role), parts, toolCalls), ...toolResults] : toolResults;
}

/** A tool result's content blocks: texts as they are, JSON blocks as JSON, joined. */
function toolResultText(value: unknown): string | undefined {
  const pieces = asArray(value).flatMap((b) => {
    const block = asRecord(b);
    if (typeof block?.text === 'string') return [block.text];
    if (block?.json !== undefined) return [safeJson(block.json) ?? ''];
    return [];
  });
  return pieces.length > 0 ? pieces.join('') : undefined;
}

/** Images keep a `data:` URL (or their S3 URI); reasoning keeps its text; other blocks only their type. */
function otherPart(block: Json): MessagePart {
  const image = asRecord(block.image);
  if (image) return { type: 'image', imageUrl: imageUrl(image) };
  const reasoning = asRecord(block.reasoningContent);
  if (reasoning) return { type: 'thinking', text: asString(asRecord(reasoning.reasoningText)?.text) };
  return { type: Object.keys(block)[0] ?? 'unknown' };
}

function imageUrl(image: Json): string | undefined {
  const source = asRecord(image.source);
  const format = asString(image.format) ?? 'png';
  const bytes = source?.bytes;
  if (typeof bytes === 'string') return `data:image/${format};base64,${bytes}`;
  if (bytes instanceof Uint8Array) return `data:image/${format};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
  return asString(asRecord(source?.s3Location)?.uri);
}
