import type { RunDocument, RunRecord } from '../record/run-record';
import { GEN_AI, GEN_AI_OPERATION, GEN_AI_TOOL_TYPE_FUNCTION } from './genai-keys';

/**
 * The OpenTelemetry GenAI keys of a framework run (agent, tool and retrieval spans), beside the
 * OpenInference keys and fed by the same record. Loaded only when GenAI is chosen: it pulls in the
 * incubating semantic conventions (genai-keys.ts). It only says which key gets which value: render-run.ts
 * writes them through the sink (masking, JSON within the text cap) in its order of importance. Chains,
 * prompts, guardrails and evaluators have no GenAI operation, so they get no GenAI keys.
 */

/** Keys and the values they get, in order; `undefined` values are skipped, non-strings written as JSON. */
export type KeyedValues = ReadonlyArray<readonly [key: string, value: unknown]>;

const NONE: KeyedValues = [];

/** The GenAI operation of a run, or `undefined` for the kinds the conventions do not name. */
export function genAiRunOperation(record: RunRecord): string | undefined {
  switch (record.kind) {
    case 'AGENT':
      return GEN_AI_OPERATION.INVOKE_AGENT;
    case 'TOOL':
      return GEN_AI_OPERATION.EXECUTE_TOOL;
    case 'RETRIEVER':
      return GEN_AI_OPERATION.RETRIEVAL;
    default:
      return undefined;
  }
}

/**
 * The span name the GenAI conventions give: `invoke_agent {agent}`, `execute_tool {tool}`. Other runs
 * keep the run's name (retrieval's would be the data source id, which a framework run does not give).
 */
export function genAiRunSpanName(record: RunRecord): string {
  if (record.kind === 'AGENT') return `${GEN_AI_OPERATION.INVOKE_AGENT} ${agentNameOf(record)}`;
  if (record.kind === 'TOOL') return `${GEN_AI_OPERATION.EXECUTE_TOOL} ${toolNameOf(record)}`;
  return record.name;
}

/** What names the run: the operation, the agent or tool, the conversation (samplers see these at start). */
export function genAiRunEssentials(record: RunRecord): KeyedValues {
  const operation = genAiRunOperation(record);
  if (operation === undefined) return NONE;
  const named: KeyedValues =
    record.kind === 'AGENT' ? [[GEN_AI.AGENT_NAME, agentNameOf(record)], ...agentUsage(record)]
    : record.kind === 'TOOL'
      ? [[GEN_AI.TOOL_NAME, toolNameOf(record)], [GEN_AI.TOOL_CALL_ID, record.tool?.callId], [GEN_AI.TOOL_TYPE, GEN_AI_TOOL_TYPE_FUNCTION]]
      : NONE;
  return [[GEN_AI.OPERATION_NAME, operation], ...named, [GEN_AI.CONVERSATION_ID, record.sessionId]];
}

/**
 * Tool description, arguments and result; the retrieval query and the documents found (id and score, the
 * minimum the conventions ask of each document; the content stays in OpenInference's keys).
 */
export function genAiRunContent(record: RunRecord): KeyedValues {
  if (record.kind === 'TOOL') {
    return [
      [GEN_AI.TOOL_DESCRIPTION, record.tool?.description],
      [GEN_AI.TOOL_CALL_ARGUMENTS, record.input],
      // The conventions record a result only for a tool that succeeded.
      [GEN_AI.TOOL_CALL_RESULT, record.error ? undefined : record.output],
    ];
  }
  if (record.kind === 'RETRIEVER') {
    return [
      [GEN_AI.RETRIEVAL_QUERY_TEXT, typeof record.input === 'string' ? record.input : undefined],
      [GEN_AI.RETRIEVAL_DOCUMENTS, record.documents?.map(documentSummary)],
    ];
  }
  return NONE;
}

/** An agent run's model and the usage the framework reported for it (the conventions' invoke_agent keys). */
function agentUsage(record: RunRecord): KeyedValues {
  const usage = record.usage;
  return [
    [GEN_AI.REQUEST_MODEL, record.model],
    [GEN_AI.USAGE_INPUT_TOKENS, usage?.prompt],
    [GEN_AI.USAGE_OUTPUT_TOKENS, usage?.completion],
    [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS, usage?.cacheRead],
    [GEN_AI.USAGE_CACHE_CREATION_INPUT_TOKENS, usage?.cacheWrite],
  ];
}

function agentNameOf(record: RunRecord): string {
  return record.agentName ?? record.name;
}

function toolNameOf(record: RunRecord): string {
  return record.tool?.name ?? record.name;
}

function documentSummary(document: RunDocument | undefined): { id?: string; score?: number } {
  const summary: { id?: string; score?: number } = {};
  if (document?.id !== undefined) summary.id = document.id;
  if (document?.score !== undefined) summary.score = document.score;
  return summary;
}
