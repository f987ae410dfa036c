/**
 * Attribute keys. OpenInference keys are @arizeai/openinference-semantic-conventions' and the standard ones
 * @opentelemetry/semantic-conventions', spelled out here as values (openinference-keys.ts): loading either
 * package's entry at start-up for a few strings cost more than the rest of this module. Each is asserted
 * equal to the package's constant (test/semconv/attribute-constants.test.ts). Infinium's own vocabulary is
 * below.
 */
import { MIME_TYPES, OPENINFERENCE_SPAN_KINDS, SEMANTIC_CONVENTIONS } from './openinference-keys';

// Plain values, never re-exports: compiled to CommonJS, a re-export is a getter, which every `OI.X` read on
// the hot path would pay.
export const OI = SEMANTIC_CONVENTIONS;
export const OpenInferenceSpanKind = OPENINFERENCE_SPAN_KINDS;
export type OpenInferenceSpanKind = (typeof OPENINFERENCE_SPAN_KINDS)[keyof typeof OPENINFERENCE_SPAN_KINDS];
export const MimeType = MIME_TYPES;
export type MimeType = (typeof MIME_TYPES)[keyof typeof MIME_TYPES];
/** `error.type`, stable in @opentelemetry/semantic-conventions (`ATTR_ERROR_TYPE`). */
export const ATTR_ERROR_TYPE = 'error.type';

/** Infinium's per-call keys (from the Infinium OTel exporter document). `llm.provider` is shared with OpenInference. */
export const INFINIUM = {
  MODEL: 'llm.model',
  PROMPT_TOKENS: 'llm.prompt_tokens',
  COMPLETION_TOKENS: 'llm.completion_tokens',
  TEMPERATURE: 'llm.temperature',
  LATENCY_MS: 'llm.latency_ms',
  /** Root-span roll-up. */
  SERVICE: 'infinium.service',
  DURATION_S: 'infinium.duration_s',
  LLM_CALL_COUNT: 'infinium.llm_call_count',
  PROMPT_FETCH_COUNT: 'infinium.prompt_fetch_count',
  /** The sum of `llm.cost.total` over the trace's priced LLM calls, and how many calls had no price. */
  COST_USD: 'infinium.cost_usd',
  UNPRICED_LLM_CALL_COUNT: 'infinium.unpriced_llm_call_count',
  /** On an LLM span: input messages left out of `llm.input_messages.*` (message cap, attribute limit, size). */
  INPUT_MESSAGES_OMITTED: 'infinium.input_messages.omitted',
  /** On an LLM span: what the response reader left out past its caps (lib/config/record-limits.ts). */
  OUTPUT_MESSAGES_OMITTED: 'infinium.output_messages.omitted',
  OUTPUT_PARTS_OMITTED: 'infinium.output_parts.omitted',
  TOOL_CALLS_OMITTED: 'infinium.tool_calls.omitted',
  /** Prompt-fetch span event and its attributes. */
  PROMPT_FETCH_EVENT: 'infinium.prompt_fetch',
  PROMPT_ID: 'prompt.id',
  PROMPT_NAME: 'prompt.name',
  PROMPT_VERSION: 'prompt.version',
  /** Framework runs: a guardrail's verdict, an agent handoff, per-model usage and where a run's cost came from. */
  GUARDRAIL_TRIGGERED: 'infinium.guardrail.triggered',
  HANDOFF_FROM_AGENT: 'infinium.handoff.from_agent',
  HANDOFF_TO_AGENT: 'infinium.handoff.to_agent',
  MODEL_USAGE: 'infinium.model_usage',
  /** `reported`: `llm.cost.total` is the framework's own figure for calls we did not see, not our price. */
  COST_SOURCE: 'infinium.cost.source',
} as const;

/** `infinium.cost.source` of a run whose cost the framework reported. */
export const COST_SOURCE_REPORTED = 'reported';

