/**
 * A span's detail: a header, then what its kind calls for (LLM: messages, usage, tools; RETRIEVER and
 * RERANKER: documents; TOOL: arguments and result; others: input and output), its errors with their
 * exception events, its other events, and every raw attribute on demand.
 */
import { first, indexed, num, parseJson, text } from './attrs.js';
import { el, fmtCost, fmtDuration, fmtTime, kindBadge, replace, statusBadge } from './dom.js';
import { llmSections } from './llm.js';
import { facts, section, valueBlock } from './parts.js';

export function renderDetail(container, span) {
  if (!span) return replace(container, el('p', { class: 'muted' }, 'Select a span.'));
  const a = span.attributes ?? {};
  const header = el(
    'header',
    { class: 'detail-head' },
    el('h2', {}, kindBadge(span.oiKind), ' ', el('span', { class: 'span-name' }, span.name ?? ''), ' ', statusBadge(span.status?.code)),
    facts([
      ['Duration', fmtDuration(span.durationMs)],
      ['Start', fmtTime(span.startMs)],
      ['Service', span.service],
      ['Span kind', span.spanKind],
      ['Span id', span.spanId],
      ['Parent', span.parentSpanId ?? '(root)'],
      ['Scope', span.scope?.name ? `${span.scope.name}${span.scope.version ? ` ${span.scope.version}` : ''}` : undefined],
    ]),
  );
  container.scrollTop = 0; // before the new content, while the layout is still clean (no forced reflow)
  replace(container, header, errorSection(span), kindSections(span, a), infiniumSection(a), eventsSection(span), rawSection(span));
}

function kindSections(span, a) {
  const kind = span.oiKind;
  if (kind === 'LLM' || kind === 'EMBEDDING') return [...llmSections(span), ioSections(a, true)];
  if (kind === 'RETRIEVER' || kind === 'RERANKER') return retrievalSections(a);
  if (kind === 'TOOL') return toolSections(span, a);
  return ioSections(a, false);
}

function ioSections(a, onlyWithoutMessages) {
  if (onlyWithoutMessages && (first(a, 'llm.input_messages.0.message.role', 'gen_ai.input.messages') !== undefined)) return [];
  return [
    a['input.value'] !== undefined ? section('Input', valueBlock(a['input.value'])) : null,
    a['output.value'] !== undefined ? section('Output', valueBlock(a['output.value'])) : null,
  ];
}

function toolSections(span, a) {
  const args = first(a, 'input.value', 'gen_ai.tool.call.arguments', 'tool.parameters');
  const result = first(a, 'output.value', 'gen_ai.tool.call.result');
  return [
    section(
      'Tool',
      facts([
        ['Name', first(a, 'tool.name', 'gen_ai.tool.name') ?? span.name],
        ['Description', first(a, 'tool.description', 'gen_ai.tool.description')],
        ['Call id', first(a, 'tool.id', 'gen_ai.tool.call.id')],
      ]),
    ),
    section('Arguments', args !== undefined ? valueBlock(args) : el('p', { class: 'muted' }, 'none recorded')),
    section('Result', result !== undefined ? valueBlock(result) : el('p', { class: 'muted' }, 'none recorded')),
  ];
}

function retrievalSections(a) {
  const query = first(a, 'reranker.query', 'input.value');
  const lists = [
    ['Documents', indexed(a, 'retrieval.documents')],
    ['Input documents', indexed(a, 'reranker.input_documents')],
    ['Output documents', indexed(a, 'reranker.output_documents')],
  ].filter(([, docs]) => docs.length);
  return [
    query !== undefined ? section('Query', valueBlock(query)) : null,
    a['reranker.model_name'] !== undefined ? section('Reranker', facts([['Model', a['reranker.model_name']], ['Top k', a['reranker.top_k']]])) : null,
    lists.map(([title, docs]) => section(`${title} (${docs.length})`, el('ol', { class: 'documents' }, docs.map(documentItem)))),
    lists.length ? null : ioSections(a, false),
  ];
}

function documentItem(d) {
  const metadata = d['document.metadata'];
  const parsed = parseJson(metadata);
  return el(
    'li',
    { class: 'document' },
    el(
      'div',
      { class: 'document-head' },
      d['document.id'] !== undefined ? el('span', { class: 'doc-id' }, text(d['document.id'])) : null,
      d['document.score'] !== undefined ? el('span', { class: 'score' }, `score ${text(d['document.score'])}`) : null,
    ),
    d['document.content'] !== undefined ? el('div', { class: 'message-text' }, text(d['document.content'])) : null,
    metadata === undefined
      ? null
      : parsed && typeof parsed === 'object' && !Array.isArray(parsed)
        ? facts(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : v]))
        : el('pre', { class: 'code' }, text(metadata)),
  );
}

/** What Infinium's processor puts on a trace's root: the turn's totals. */
function infiniumSection(a) {
  if (a['infinium.llm_call_count'] === undefined && a['infinium.cost_usd'] === undefined) return null;
  return section(
    'Turn totals',
    facts([
      ['LLM calls', a['infinium.llm_call_count']],
      ['Cost', fmtCost(num(a['infinium.cost_usd'])) || undefined],
      ['Unpriced calls', a['infinium.unpriced_llm_call_count']],
      ['Prompt fetches', a['infinium.prompt_fetch_count']],
      ['Duration', a['infinium.duration_s'] !== undefined ? `${text(a['infinium.duration_s'])} s` : undefined],
    ]),
  );
}

function errorSection(span) {
  const exceptions = (span.events ?? []).filter((e) => e?.name === 'exception');
  const a = span.attributes ?? {};
  if (span.status?.code !== 'ERROR' && exceptions.length === 0) return null;
  return el(
    'section',
    { class: 'detail-section error-box', role: 'alert' },
    el('h3', {}, 'Error'),
    span.status?.message ? el('div', { class: 'message-text' }, span.status.message) : null,
    facts([['Error type', a['error.type']]]),
    exceptions.map((e) =>
      el(
        'div',
        { class: 'exception' },
        el('strong', {}, text(e.attributes?.['exception.type'] ?? 'exception')),
        ': ',
        text(e.attributes?.['exception.message'] ?? ''),
        e.attributes?.['exception.stacktrace'] ? el('pre', { class: 'code stack' }, text(e.attributes['exception.stacktrace'])) : null,
      ),
    ),
  );
}

function eventsSection(span) {
  const events = (span.events ?? []).filter((e) => e?.name !== 'exception');
  if (!events.length) return null;
  return section(
    `Events (${events.length})`,
    events.map((e) =>
      el(
        'div',
        { class: 'event' },
        el('strong', {}, text(e.name)),
        ' ',
        el('span', { class: 'muted' }, `+${fmtDuration((e.timeMs ?? span.startMs) - span.startMs)}`),
        facts(Object.entries(e.attributes ?? {})),
      ),
    ),
  );
}

function rawSection(span) {
  const groups = [
    ['Attributes', span.attributes],
    ['Resource', span.resource],
  ];
  return groups.map(([title, attrs]) => {
    const keys = Object.keys(attrs ?? {}).sort();
    return el(
      'details',
      { class: 'raw' },
      el('summary', {}, `${title} (${keys.length})`),
      el(
        'table',
        { class: 'raw-table' },
        el('tbody', {}, keys.map((key) => el('tr', {}, el('th', {}, key), el('td', {}, el('pre', { class: 'raw-value' }, text(attrs[key])))))),
      ),
    );
  });
}
