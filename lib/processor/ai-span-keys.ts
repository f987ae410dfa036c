import type { Attributes } from '@opentelemetry/api';
import type { CallKind } from '../record/call-record';
import type { OpenInferenceKind } from '../semconv/genai-operation-kinds';

/** The OTel GenAI operation key: another library's model call, tool or agent span (`@ai-sdk/otel`, OpenLLMetry, …). */
export const GEN_AI_OPERATION = 'gen_ai.operation.name';
/** The Vercel AI SDK 5/6 operation key (`ai.generateText`, `ai.streamText.doStream`, …). */
export const AI_OPERATION_ID = 'ai.operationId';

/**
 * Whether a span is another library's AI span: only those need the mappers (ai-spans.ts), so only they load
 * them. The keys live here, apart from the mappers, for that check.
 */
export function isAiSpan(attributes: Attributes): boolean {
  return attributes[GEN_AI_OPERATION] !== undefined || attributes[AI_OPERATION_ID] !== undefined;
}

export function isCallKind(kind: OpenInferenceKind | undefined): kind is CallKind {
  return kind === 'LLM' || kind === 'EMBEDDING';
}
