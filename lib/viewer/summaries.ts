import { genAiSpanKind } from '../semconv/genai-operation-kinds';
import type { AttrValue, Attrs, ReceivedSpan } from './model';

/**
 * What the trace list shows, read from a span's attributes in the three vocabularies the viewer reads:
 * OpenInference (`openinference.span.kind`, `llm.token_count.*`, `llm.cost.total`), the OTel GenAI
 * conventions (`gen_ai.operation.name`, `gen_ai.usage.*`) and Infinium's (`llm.prompt_tokens`, ...).
 */

/** How a span counts as a model call: 1 declared LLM (OpenInference), 2 inferred (GenAI or Infinium keys only). */
export const LLM_DECLARED = 1;
export const LLM_INFERRED = 2;

export interface SpanFacts {
  oiKind: string | null;
  llm: 0 | 1 | 2;
  promptTokens: number | null;
  completionTokens: number | null;
  totalTokens: number | null;
  /** `llm.cost.total` of an LLM span, or the cost a framework run reports for calls made out of sight. */
  costUsd: number | null;
  model: string | null;
}

function firstNumber(attributes: Attrs, keys: readonly string[]): number | null {
  for (const key of keys) {
    const value: AttrValue | undefined = attributes[key];
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (Number.isFinite(n) && n >= 0) return n;
  }
  return null;
}

function firstString(attributes: Attrs, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = attributes[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

const PROMPT_KEYS = ['llm.token_count.prompt', 'gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.prompt_tokens'];
const COMPLETION_KEYS = ['llm.token_count.completion', 'gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.completion_tokens'];
const TOTAL_KEYS = ['llm.token_count.total', 'gen_ai.usage.total_tokens'];
const MODEL_KEYS = ['llm.model_name', 'gen_ai.response.model', 'gen_ai.request.model', 'llm.model'];

export function oiKindOf(attributes: Attrs): string | null {
  const declared = attributes['openinference.span.kind'];
  if (typeof declared === 'string' && declared !== '') return declared.toUpperCase();
  // A GenAI-only span: the kind its operation stands for (the span processor's table).
  const operation = genAiSpanKind(attributes['gen_ai.operation.name']);
  if (operation) return operation;
  // Infinium's own exporter marks a model call with its keys only.
  if (attributes['llm.prompt_tokens'] !== undefined || attributes['llm.model'] !== undefined) return 'LLM';
  return null;
}

export function spanFacts(span: ReceivedSpan): SpanFacts {
  const a = span.attributes;
  const oiKind = oiKindOf(a);
  const declared = typeof a['openinference.span.kind'] === 'string';
  const llm = oiKind !== 'LLM' ? 0 : declared ? LLM_DECLARED : LLM_INFERRED;
  const reportedCost = a['infinium.cost.source'] === 'reported';
  if (llm === 0 && !reportedCost) return { oiKind, llm, promptTokens: null, completionTokens: null, totalTokens: null, costUsd: null, model: null };
  const promptTokens = firstNumber(a, PROMPT_KEYS);
  const completionTokens = firstNumber(a, COMPLETION_KEYS);
  const total = firstNumber(a, TOTAL_KEYS);
  return {
    oiKind,
    llm,
    promptTokens: llm ? promptTokens : null,
    completionTokens: llm ? completionTokens : null,
    totalTokens: !llm ? null : total ?? (promptTokens === null && completionTokens === null ? null : (promptTokens ?? 0) + (completionTokens ?? 0)),
    costUsd: firstNumber(a, ['llm.cost.total']),
    model: llm ? firstString(a, MODEL_KEYS) : null,
  };
}

/** A model call's figures, as a span's facts or as the store's columns give them back. */
export type CallFigures = Pick<SpanFacts, 'llm' | 'promptTokens' | 'completionTokens' | 'totalTokens' | 'costUsd' | 'model'>;

/** The figures of a stored span row (the `spans` table's columns). */
export function callFiguresOfRow(row: Record<string, unknown>): CallFigures {
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  return {
    llm: Number(row.llm) as 0 | 1 | 2,
    promptTokens: num(row.prompt_tokens),
    completionTokens: num(row.completion_tokens),
    totalTokens: num(row.total_tokens),
    costUsd: num(row.cost),
    model: typeof row.model === 'string' ? row.model : null,
  };
}
