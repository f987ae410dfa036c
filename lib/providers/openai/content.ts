import type { CallRecord, Message, MessagePart } from '../../record/call-record';
import { keptParts } from '../../record/bounded';
import { asRecord, asString } from '../../record/read';

/**
 * Message content as the OpenAI APIs send it: a plain string stays `content`; a list of parts becomes
 * `parts`. Chat Completions (`text`, `image_url`) and Responses (`input_text`, `output_text`, `refusal`,
 * `input_image`, `input_file`) part types are both understood, so one reader serves both APIs. Mistral's
 * content chunks have the same list shape with their own part types: it passes its own `readTypedPart`.
 * `output`: the record of a response being read, whose parts are capped (`keptParts`).
 */
export function readOpenAIContent(message: Message, content: unknown, readTypedPart: PartReader = readPart, output?: CallRecord): void {
  if (typeof content === 'string') {
    message.content = content;
    return;
  }
  if (!Array.isArray(content)) return;
  const parts: MessagePart[] = [];
  for (const value of output ? keptParts(content, output) : content) {
    const part = asRecord(value);
    const type = asString(part?.type);
    if (!part || !type) continue;
    parts.push(readTypedPart(type, part));
  }
  message.parts = parts;
}

/** Reads one content part of a known `type` (APIs with OpenAI's content-list shape pass their own). */
export type PartReader = (type: string, part: Record<string, unknown>) => MessagePart;

function readPart(type: string, part: Record<string, unknown>): MessagePart {
  switch (type) {
    case 'text':
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: asString(part.text) };
    case 'refusal':
      return { type: 'text', text: asString(part.refusal) };
    case 'image_url': // Chat: { image_url: { url } }
      return { type: 'image', imageUrl: asString(asRecord(part.image_url)?.url) };
    case 'input_image': // Responses: { image_url: string }
      return { type: 'image', imageUrl: asString(part.image_url) };
    case 'input_file':
    case 'file':
      return { type: 'file' };
    case 'input_audio':
      return { type: 'audio' };
    default:
      return { type };
  }
}
