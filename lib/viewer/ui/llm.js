/**
 * The LLM (and EMBEDDING) part of a span's detail: the conversation as messages, tool calls with their
 * arguments and results, the tools offered, tokens with their cache and reasoning parts, cost, latency
 * and the invocation parameters.
 */
import { first, firstNum, indexed, parseJson, pretty, text, under } from './attrs.js';
import { el, fmtCost, fmtDuration, fmtNumber } from './dom.js';
import { conversation, toolsOffered } from './messages.js';
import { facts, section } from './parts.js';

export function llmSections(span) {
  const a = span.attributes ?? {};
  const { input, output } = conversation(a);
  const sections = [section('Usage', usage(span, a))];
  if (input.length) sections.push(section('Input messages', el('div', { class: 'messages' }, input.map(message))));
  if (output.length) sections.push(section('Output', el('div', { class: 'messages' }, output.map(message))));
  const tools = toolsOffered(a);
  if (tools.length) sections.push(section(`Tools offered (${tools.length})`, el('div', { class: 'tools' }, tools.map(tool))));
  const params = parameters(a);
  if (params !== undefined) sections.push(section('Invocation parameters', el('pre', { class: 'code' }, params)));
  const embeddings = indexed(a, 'embedding.embeddings');
  if (embeddings.length) sections.push(section(`Embeddings (${embeddings.length})`, embeddings.map(embedding)));
  return sections;
}

function usage(span, a) {
  const prompt = firstNum(a, 'llm.token_count.prompt', 'gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.prompt_tokens');
  const completion = firstNum(a, 'llm.token_count.completion', 'gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.completion_tokens');
  const total = firstNum(a, 'llm.token_count.total') ?? (prompt !== undefined && completion !== undefined ? prompt + completion : undefined);
  const tokens = (n) => (n === undefined ? undefined : fmtNumber(n));
  return facts([
    ['Model', first(a, 'llm.model_name', 'gen_ai.response.model', 'llm.model', 'embedding.model_name')],
    ['Requested model', a['gen_ai.request.model'] !== first(a, 'llm.model_name', 'gen_ai.response.model') ? a['gen_ai.request.model'] : undefined],
    ['Provider', first(a, 'llm.provider', 'gen_ai.provider.name', 'gen_ai.system')],
    ['System', a['llm.system']],
    ['Prompt tokens', tokens(prompt)],
    ['  cache read', tokens(firstNum(a, 'llm.token_count.prompt_details.cache_read', 'gen_ai.usage.cache_read.input_tokens'))],
    ['  cache write', tokens(firstNum(a, 'llm.token_count.prompt_details.cache_write', 'gen_ai.usage.cache_creation.input_tokens', 'gen_ai.usage.cache_write.input_tokens'))],
    ['  cache input', tokens(firstNum(a, 'llm.token_count.prompt_details.cache_input'))],
    ['  audio', tokens(firstNum(a, 'llm.token_count.prompt_details.audio'))],
    ['Completion tokens', tokens(completion)],
    ['  reasoning', tokens(firstNum(a, 'llm.token_count.completion_details.reasoning', 'gen_ai.usage.reasoning.output_tokens'))],
    ['  audio ', tokens(firstNum(a, 'llm.token_count.completion_details.audio'))],
    ['Total tokens', tokens(total)],
    ['Cost', fmtCost(firstNum(a, 'llm.cost.total')) || undefined],
    ['  prompt', fmtCost(firstNum(a, 'llm.cost.prompt')) || undefined],
    ['  completion', fmtCost(firstNum(a, 'llm.cost.completion')) || undefined],
    ['  cache read ', fmtCost(firstNum(a, 'llm.cost.prompt_details.cache_read')) || undefined],
    ['  cache write ', fmtCost(firstNum(a, 'llm.cost.prompt_details.cache_write')) || undefined],
    ['  reasoning ', fmtCost(firstNum(a, 'llm.cost.completion_details.reasoning')) || undefined],
    ['Latency', fmtDuration(firstNum(a, 'llm.latency_ms') ?? span.durationMs)],
    ['First chunk after', fmtDuration((firstNum(a, 'gen_ai.response.time_to_first_chunk') ?? NaN) * 1000) || undefined],
    ['Finish reason', first(a, 'llm.finish_reason', 'gen_ai.response.finish_reasons')],
    ['Response id', a['gen_ai.response.id']],
  ]);
}

function parameters(a) {
  const oi = a['llm.invocation_parameters'];
  if (oi !== undefined) return pretty(oi);
  const genAi = under(a, 'gen_ai.request');
  delete genAi.model;
  if (a['llm.temperature'] !== undefined) genAi.temperature ??= a['llm.temperature'];
  return Object.keys(genAi).length ? JSON.stringify(genAi, null, 2) : undefined;
}

export function message(m) {
  const role = m.role || 'unknown';
  const safeRole = role.toLowerCase().replace(/[^a-z]/g, '');
  return el(
    'div',
    { class: `message role-${safeRole}` },
    el(
      'div',
      { class: 'message-head' },
      el('span', { class: 'role' }, role),
      m.name ? el('span', { class: 'muted' }, ` ${text(m.name)}`) : null,
      m.finishReason ? el('span', { class: 'muted' }, ` · ${text(m.finishReason)}`) : null,
    ),
    m.parts.map(part),
  );
}

function part(p) {
  switch (p.type) {
    case 'text':
      return el('div', { class: 'message-text' }, p.text);
    case 'reasoning':
      return el('details', { class: 'reasoning' }, el('summary', {}, 'reasoning'), el('div', { class: 'message-text' }, p.text));
    case 'image':
      // The URL is shown as text, never loaded: a span must not make the page fetch anything.
      return el('div', { class: 'message-image muted' }, `image: ${p.url.length > 120 ? `${p.url.slice(0, 120)}…` : p.url}`);
    case 'tool_call':
      return el(
        'div',
        { class: 'tool-call' },
        el('div', { class: 'tool-call-head' }, '→ tool call ', el('strong', {}, text(p.name ?? '?')), p.id ? el('span', { class: 'muted' }, ` ${text(p.id)}`) : null),
        p.arguments !== undefined ? el('pre', { class: 'code' }, pretty(p.arguments)) : null,
      );
    case 'tool_result':
      return el(
        'div',
        { class: 'tool-result' },
        el('div', { class: 'tool-call-head' }, '← tool result', p.id ? el('span', { class: 'muted' }, ` ${text(p.id)}`) : null),
        el('pre', { class: 'code' }, pretty(p.result)),
      );
    default:
      return el('pre', { class: 'code' }, pretty(p.value));
  }
}

function tool(t) {
  return el(
    'details',
    { class: 'tool' },
    el('summary', {}, el('strong', {}, t.name || '(unnamed)'), t.description ? el('span', { class: 'muted' }, ` — ${t.description}`) : null),
    el('pre', { class: 'code' }, pretty(t.schema)),
  );
}

function embedding(e) {
  const vector = parseJson(e['embedding.vector']) ?? e['embedding.vector'];
  return el(
    'div',
    { class: 'document' },
    e['embedding.text'] !== undefined ? el('div', { class: 'message-text' }, text(e['embedding.text'])) : null,
    Array.isArray(vector) ? el('div', { class: 'muted' }, `vector of ${vector.length} dimensions`) : null,
  );
}
