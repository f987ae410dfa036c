/**
 * An LLM span's conversation in one neutral shape, read from OpenInference's indexed keys
 * (`llm.input_messages.<i>.message.*`) or, for spans that only speak the GenAI conventions, from the
 * JSON of `gen_ai.system_instructions`, `gen_ai.input.messages` and `gen_ai.output.messages`.
 * A message is `{ role, name, toolCallId, finishReason, parts }`, a part one of
 * `{ type: 'text', text }`, `{ type: 'image', url }`, `{ type: 'tool_call', id, name, arguments }`,
 * `{ type: 'tool_result', id, result }`, `{ type: 'reasoning', text }`, `{ type: 'other', value }`.
 */
import { first, indexed, parseJson, text } from './attrs.js';

export function conversation(attrs) {
  const input = oiMessages(attrs, 'llm.input_messages');
  const output = oiMessages(attrs, 'llm.output_messages');
  if (input.length || output.length) return { input, output };
  const system = genAiSystem(attrs['gen_ai.system_instructions']);
  return {
    input: [...system, ...genAiMessages(attrs['gen_ai.input.messages'], 'user')],
    output: genAiMessages(attrs['gen_ai.output.messages'], 'assistant'),
  };
}

function oiMessages(attrs, prefix) {
  return indexed(attrs, prefix).map((m) => {
    const parts = [];
    const content = first(m, 'message.content');
    if (content !== undefined) parts.push({ type: 'text', text: text(content) });
    for (const c of indexed(m, 'message.contents')) {
      const type = c['message_content.type'];
      const url = c['message_content.image.image.url'];
      if (url !== undefined) parts.push({ type: 'image', url: text(url) });
      else if (c['message_content.text'] !== undefined) parts.push({ type: 'text', text: text(c['message_content.text']) });
      else parts.push({ type: 'other', value: { type, ...c } });
    }
    for (const call of indexed(m, 'message.tool_calls')) {
      parts.push({
        type: 'tool_call',
        id: call['tool_call.id'],
        name: call['tool_call.function.name'],
        arguments: call['tool_call.function.arguments'],
      });
    }
    if (m['message.function_call_name'] !== undefined) {
      parts.push({ type: 'tool_call', name: m['message.function_call_name'], arguments: m['message.function_call_arguments_json'] });
    }
    const role = text(first(m, 'message.role') ?? '');
    const toolCallId = m['message.tool_call_id'];
    if (role === 'tool' && parts.length === 1 && parts[0].type === 'text') {
      return { role, toolCallId, name: m['message.name'], parts: [{ type: 'tool_result', id: toolCallId, result: parts[0].text }] };
    }
    return { role, toolCallId, name: m['message.name'], parts };
  });
}

function genAiSystem(value) {
  const parsed = parseJson(value);
  if (parsed === undefined) return value === undefined ? [] : [{ role: 'system', parts: [{ type: 'text', text: text(value) }] }];
  const parts = (Array.isArray(parsed) ? parsed : [parsed]).map(genAiPart);
  return parts.length ? [{ role: 'system', parts }] : [];
}

function genAiMessages(value, defaultRole) {
  if (value === undefined) return [];
  const parsed = parseJson(value);
  if (!Array.isArray(parsed)) return [{ role: defaultRole, parts: [{ type: 'text', text: text(value) }] }];
  return parsed.map((m) => {
    if (!m || typeof m !== 'object') return { role: defaultRole, parts: [{ type: 'text', text: text(m) }] };
    const parts = Array.isArray(m.parts) ? m.parts.map(genAiPart) : m.content !== undefined ? [{ type: 'text', text: text(m.content) }] : [];
    const toolResult = parts.find((p) => p.type === 'tool_result');
    return { role: text(m.role ?? defaultRole), name: m.name, finishReason: m.finish_reason, toolCallId: toolResult?.id, parts };
  });
}

function genAiPart(part) {
  if (!part || typeof part !== 'object') return { type: 'text', text: text(part) };
  switch (part.type) {
    case 'text':
      return { type: 'text', text: text(part.content) };
    case 'reasoning':
      return { type: 'reasoning', text: text(part.content) };
    case 'tool_call':
      return { type: 'tool_call', id: part.id, name: part.name, arguments: part.arguments };
    case 'tool_call_response':
      return { type: 'tool_result', id: part.id, result: part.response ?? part.result };
    case 'uri':
      return { type: 'image', url: text(part.uri) };
    case 'blob':
      return { type: 'image', url: `data:${text(part.mime_type ?? 'image/*')};base64,${text(part.content)}` };
    default:
      return { type: 'other', value: part };
  }
}

/** The tools offered to the model: OpenInference's `llm.tools.<i>.tool.json_schema`, or GenAI's definitions. */
export function toolsOffered(attrs) {
  const schemas = indexed(attrs, 'llm.tools').map((t) => t['tool.json_schema'] ?? t['tool.parameters'] ?? t);
  const list = schemas.length ? schemas : [].concat(parseJson(attrs['gen_ai.tool.definitions']) ?? []);
  return list.map((raw) => {
    const schema = parseJson(raw) ?? raw;
    const fn = schema && typeof schema === 'object' ? (schema.function ?? schema) : {};
    return { name: text(fn.name ?? ''), description: text(fn.description ?? ''), schema };
  });
}
