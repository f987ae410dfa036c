import type { Message, MessagePart, ToolCall } from '../../record/call-record';
import { safeJson, toolSchemas } from '../../record/json';
import { asArray, asRecord, asString, Json } from '../../record/read';

/**
 * Gemini's REST shapes (Content, Part), which both Google SDKs speak: `@google/genai` and the legacy
 * `@google/generative-ai`. Everything here turns them into neutral messages.
 * https://ai.google.dev/api/caching#Content
 */

/** Gemini roles: `model` is the assistant; the legacy SDK sends tool results as role `function`. */
function neutralRole(role: unknown, fallback: string): string {
  if (role === 'model') return 'assistant';
  if (role === 'function' || role === 'tool') return 'tool';
  return typeof role === 'string' && role !== '' ? role : fallback;
}

/** A Content has `parts` (or at least a role); anything else in a `contents` list is a Part or a string. */
function isContent(value: unknown): value is Json {
  const v = asRecord(value);
  return v !== undefined && (Array.isArray(v.parts) || typeof v.role === 'string');
}

/**
 * `contents` in every form the SDKs accept: a string, a Part, a list of Parts/strings (one user turn),
 * a Content, or a list of Contents (the conversation).
 */
export function readContents(value: unknown): Message[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [{ role: 'user', content: value }];
  if (Array.isArray(value)) {
    if (value.length === 0) return [];
    if (!value.some(isContent)) return contentToMessages({ role: 'user', parts: value }, 'user');
    return value.flatMap((item) => (isContent(item) ? contentToMessages(item, 'user') : contentToMessages({ parts: [item] }, 'user')));
  }
  if (isContent(value)) return contentToMessages(value, 'user');
  return contentToMessages({ parts: [value] }, 'user');
}

/** The system instruction (a string, a Part, Parts or a Content) as one `system` message. */
export function readSystemInstruction(value: unknown): Message | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let content: Json;
  if (typeof value === 'string') content = { parts: [value] };
  else if (Array.isArray(value)) content = { parts: value };
  else if (isContent(value)) content = { parts: asArray((value as Json).parts) };
  else content = { parts: [value] };
  const [message] = contentToMessages(content, 'system');
  return message ? { ...message, role: 'system' } : undefined;
}

/**
 * One Content as messages: its text, media and function calls as one message, then one `tool` message per
 * function response. Text parts are joined (Gemini concatenates them, as the SDKs' `.text` does); the
 * message switches to `parts` only when it holds something other than text.
 */
export function contentToMessages(content: Json | undefined, fallbackRole: string): Message[] {
  const role = neutralRole(content?.role, fallbackRole);
  const texts: string[] = [];
  const parts: MessagePart[] = [];
  const toolCalls: ToolCall[] = [];
  const toolResults: Message[] = [];
  let onlyText = true;
  for (const item of asArray(content?.parts)) {
    if (typeof item === 'string') {
      texts.push(item);
      parts.push({ type: 'text', text: item });
      continue;
    }
    const part = asRecord(item);
    if (!part) continue;
    const call = asRecord(part.functionCall);
    const result = asRecord(part.functionResponse);
    if (call) {
      toolCalls.push({ id: asString(call.id), name: asString(call.name), arguments: safeJson(call.args ?? {}) });
    } else if (result) {
      toolResults.push({ role: 'tool', name: asString(result.name), toolCallId: asString(result.id), content: safeJson(result.response ?? {}) });
    } else if (typeof part.text === 'string') {
      if (part.thought === true) {
        onlyText = false;
        parts.push({ type: 'thinking', text: part.text });
      } else if (part.text !== '') {
        texts.push(part.text);
        parts.push({ type: 'text', text: part.text });
      }
    } else {
      const media = readMediaPart(part);
      if (media) {
        onlyText = false;
        parts.push(media);
      }
    }
  }
  const messages: Message[] = [];
  if (parts.length > 0 || toolCalls.length > 0 || toolResults.length === 0) {
    const message: Message = { role };
    if (onlyText) {
      if (texts.length > 0) message.content = texts.join('');
    } else {
      message.parts = parts;
    }
    if (toolCalls.length > 0) message.toolCalls = toolCalls;
    messages.push(message);
  }
  messages.push(...toolResults);
  return messages;
}

/** Inline bytes and file references; images keep a URL (`data:` for inline bytes), other media only their type. */
function readMediaPart(part: Json): MessagePart | undefined {
  const inline = asRecord(part.inlineData);
  if (inline) {
    const mimeType = asString(inline.mimeType) ?? '';
    const type = mediaType(mimeType);
    if (type !== 'image') return { type };
    const data = asString(inline.data);
    return { type, imageUrl: data === undefined ? undefined : `data:${mimeType};base64,${data}` };
  }
  const file = asRecord(part.fileData);
  if (file) {
    const type = mediaType(asString(file.mimeType) ?? '');
    return type === 'image' ? { type, imageUrl: asString(file.fileUri) } : { type };
  }
  const code = asRecord(part.executableCode);
  if (code) return { type: 'executable_code', text: asString(code.code) };
  const codeResult = asRecord(part.codeExecutionResult);
  if (codeResult) return { type: 'code_execution_result', text: asString(codeResult.output) };
  return undefined;
}

function mediaType(mimeType: string): string {
  if (mimeType.startsWith('image/')) return 'image';
  if (mimeType.startsWith('audio/')) return 'audio';
  if (mimeType.startsWith('video/')) return 'video';
  return 'file';
}

/**
 * Tools offered to the model: one JSON schema per function declaration; built-in tools (`googleSearch`,
 * `codeExecution`, …) as they are. genai's CallableTool objects (MCP) hold functions and are skipped.
 */
export function readGeminiTools(value: unknown): string[] | undefined {
  const schemas: unknown[] = [];
  for (const item of asArray(value)) {
    const tool = asRecord(item);
    if (!tool) continue;
    const declarations = tool.functionDeclarations;
    if (Array.isArray(declarations)) schemas.push(...declarations);
    else if (!Object.values(tool).some((v) => typeof v === 'function')) schemas.push(tool);
  }
  return toolSchemas(schemas);
}

/** `models/gemini-2.0-flash` → `gemini-2.0-flash`; tuned models (`tunedModels/…`) keep their full name. */
export function modelName(value: unknown): string | undefined {
  const name = asString(value);
  if (name === undefined || name === '') return undefined;
  return name.startsWith('models/') ? name.slice('models/'.length) : name;
}

/** The text of one embedding input: a string, a Part, or a Content (its text parts joined). */
export function embeddingText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const v = asRecord(value);
  if (!v) return undefined;
  if (typeof v.text === 'string') return v.text;
  const texts = asArray(v.parts).flatMap((p) => (typeof p === 'string' ? [p] : typeof asRecord(p)?.text === 'string' ? [asRecord(p)!.text as string] : []));
  return texts.length > 0 ? texts.join('') : undefined;
}

/** An embedding's `values`, if it is a list of numbers. */
export function embeddingVector(value: unknown): number[] | undefined {
  const values = asRecord(value)?.values;
  return Array.isArray(values) && values.every((n) => typeof n === 'number') ? (values as number[]) : undefined;
}
