import type { Attributes } from '@opentelemetry/api';
import type { Conventions } from '../config/semconv';
import { REDACTED } from '../masking/mask';
import type { TraceConfig } from '../masking/trace-config';
import type { RunDocument, RunRecord } from '../record/run-record';
import { AttributeSink, type AttributeTarget } from './attribute-sink';
import { ATTR_ERROR_TYPE, COST_SOURCE_REPORTED, INFINIUM, OI } from './attributes';
import { jsonWithin } from './fit-json';
import { indexedKey } from './indexed-keys';
import { putValue, renderTokenCounts } from './render';
import { dbStartKeyCount, renderDbEnd, renderDbStart } from './render-db';
import type * as GenAiRun from './render-run-genai';

const DOCUMENTS = `${OI.RETRIEVAL_DOCUMENTS}.`;
const DOCUMENT_ID_KEY = indexedKey(DOCUMENTS, `.${OI.DOCUMENT_ID}`);
const DOCUMENT_CONTENT_KEY = indexedKey(DOCUMENTS, `.${OI.DOCUMENT_CONTENT}`);
const DOCUMENT_METADATA_KEY = indexedKey(DOCUMENTS, `.${OI.DOCUMENT_METADATA}`);
const DOCUMENT_SCORE_KEY = indexedKey(DOCUMENTS, `.${OI.DOCUMENT_SCORE}`);

/**
 * The renderer of a framework run (chain, agent, tool, retriever, prompt, guardrail): a `RunRecord` becomes
 * OpenInference attributes, and the GenAI ones beside them (render-run-genai.ts) when chosen, every value
 * passed through the one masking function (AttributeSink). With a `target` (the run's span) the attributes
 * go straight onto it and the map returned is empty.
 *
 * The order is the order of importance, as in render.ts (the SDK keeps the first 128 keys): what names the
 * run (kind, tool, agent, graph node, session, user, error), then its description, tags and metadata, then
 * its content (output, input, template), then the documents, as many whole documents as the count limit takes.
 */
export function renderRunRecord(record: RunRecord, config: TraceConfig, conventions: Conventions, target?: AttributeTarget): Attributes {
  const out = new AttributeSink(config, target);
  const openInference = conventions.openInference;
  const genAi = conventions.genAi ? genAiRunRenderer() : undefined;
  if (openInference) renderEssentials(out, record);
  // The same key in both conventions; a database call's outcome in its own (render-db.ts, named at start).
  if (record.error) out.put(ATTR_ERROR_TYPE, record.error.type);
  if (record.db) renderDbEnd(out, record.db);
  // Infinium's own keys, in every convention: the GenAI ones have no guardrail, handoff or reported cost.
  renderInfinium(out, record);
  if (genAi) putAll(out, genAi.genAiRunEssentials(record));
  if (openInference) renderDescription(out, record);
  if (record.modelUsage && record.modelUsage.length > 0) putText(out, INFINIUM.MODEL_USAGE, record.modelUsage);
  if (openInference) renderContent(out, record);
  if (genAi) putAll(out, genAi.genAiRunContent(record));
  // The database keys the span started with (runStartAttributes) are not put again: they keep their room.
  if (openInference && record.documents) renderDocuments(out, record.documents, record.db ? dbStartKeyCount(record.db) : 0);
  return out.attributes;
}

/**
 * The attributes a run's span starts with, so that a sampler or a processor's `onStart` sees what kind of
 * run it is: the kind and the names (OpenInference), the operation and names (GenAI).
 */
export function runStartAttributes(record: RunRecord, config: TraceConfig, conventions: Conventions): Attributes {
  const out = new AttributeSink(config);
  if (conventions.openInference) {
    out.put(OI.OPENINFERENCE_SPAN_KIND, record.kind);
    renderNames(out, record);
  }
  if (conventions.genAi) putAll(out, genAiRunRenderer().genAiRunEssentials(record));
  if (record.db) renderDbStart(out, record.db);
  return out.attributes;
}

/** The run's name; with GenAI alone, the GenAI form (`invoke_agent {agent}`, `execute_tool {tool}`). */
export function runSpanName(record: RunRecord, conventions: Conventions): string {
  if (conventions.openInference || !conventions.genAi) return record.name;
  return genAiRunRenderer().genAiRunSpanName(record);
}

function renderEssentials(out: AttributeSink, record: RunRecord): void {
  out.put(OI.OPENINFERENCE_SPAN_KIND, record.kind);
  renderNames(out, record);
  const node = record.graphNode;
  if (node) {
    out.put(OI.GRAPH_NODE_ID, node.id);
    out.put(OI.GRAPH_NODE_NAME, node.name);
    out.put(OI.GRAPH_NODE_PARENT_ID, node.parentId);
  }
  out.put(OI.SESSION_ID, record.sessionId);
  out.put(OI.USER_ID, record.userId);
  out.put(OI.PROMPT_TEMPLATE_VERSION, record.promptTemplate?.version);
  out.put(OI.LLM_MODEL_NAME, record.model);
  // Tokens a framework reports for model calls made out of our sight.
  if (record.usage) renderTokenCounts(out, record.usage, false);
}

/**
 * A guardrail's verdict, a handoff's two agents, and the cost a framework reports for model calls made out of
 * our sight (in OpenInference's cost key, as a priced call's cost is in every convention, marked as reported).
 */
function renderInfinium(out: AttributeSink, record: RunRecord): void {
  out.put(INFINIUM.GUARDRAIL_TRIGGERED, record.guardrail?.triggered);
  out.put(INFINIUM.HANDOFF_FROM_AGENT, record.handoff?.fromAgent);
  out.put(INFINIUM.HANDOFF_TO_AGENT, record.handoff?.toAgent);
  const cost = record.reportedCostUsd;
  if (typeof cost === 'number' && Number.isFinite(cost) && cost >= 0) {
    out.put(OI.LLM_COST_TOTAL, cost);
    out.put(INFINIUM.COST_SOURCE, COST_SOURCE_REPORTED);
  }
}

/** A tool run is named by its tool: `tool.name` falls back to the run's name. */
function renderNames(out: AttributeSink, record: RunRecord): void {
  out.put(OI.TOOL_NAME, record.tool?.name ?? (record.kind === 'TOOL' ? record.name : undefined));
  out.put(OI.TOOL_CALL_ID, record.tool?.callId);
  out.put(OI.AGENT_NAME, record.agentName);
}

function renderDescription(out: AttributeSink, record: RunRecord): void {
  out.put(OI.TOOL_DESCRIPTION, record.tool?.description);
  const tags = record.tags?.filter((tag) => typeof tag === 'string');
  if (tags && tags.length > 0) out.put(OI.TAG_TAGS, tags);
  if (record.metadata && Object.keys(record.metadata).length > 0) putText(out, OI.METADATA, record.metadata);
}

function renderContent(out: AttributeSink, record: RunRecord): void {
  putContentValue(out, OI.OUTPUT_VALUE, OI.OUTPUT_MIME_TYPE, record.output);
  putContentValue(out, OI.INPUT_VALUE, OI.INPUT_MIME_TYPE, record.input);
  const template = record.promptTemplate;
  if (!template) return;
  out.put(OI.PROMPT_TEMPLATE_TEMPLATE, template.template);
  putText(out, OI.PROMPT_TEMPLATE_VARIABLES, template.variables);
}

/** `input.value`/`output.value` as render.ts writes them; hidden, only the redacted value (no JSON built). */
function putContentValue(out: AttributeSink, valueKey: string, mimeKey: string, value: unknown): void {
  if (value === undefined) return;
  if (out.hides(valueKey)) return out.put(valueKey, REDACTED);
  putValue(out, valueKey, mimeKey, value);
}

/** `onSpan`: keys already on the span that this rendering does not put again. */
function renderDocuments(out: AttributeSink, documents: readonly (RunDocument | undefined)[], onSpan: number): void {
  const limit = out.config.attributeCountLimit - onSpan;
  for (let i = 0; i < documents.length; i++) {
    const document = documents[i];
    if (!document) continue;
    // Whole documents only: past its count limit the SDK drops every new key, which would keep a
    // document's id without its content.
    if (out.count + documentKeyCount(document) > limit) return;
    out.put(DOCUMENT_ID_KEY(i), document.id);
    out.put(DOCUMENT_CONTENT_KEY(i), document.content);
    putText(out, DOCUMENT_METADATA_KEY(i), document.metadata);
    out.put(DOCUMENT_SCORE_KEY(i), document.score);
  }
}

function documentKeyCount(document: RunDocument): number {
  return +(document.id !== undefined) + +(document.content !== undefined) + +(document.metadata !== undefined) + +(document.score !== undefined);
}

function putAll(out: AttributeSink, values: GenAiRun.KeyedValues): void {
  for (const [key, value] of values) putText(out, key, value);
}

/**
 * A string, number or boolean as it is; anything else as JSON made to fit the text cap (and what is left of
 * the span's budget), not built when the masking would replace it anyway.
 */
function putText(out: AttributeSink, key: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return out.put(key, value);
  if (out.hides(key)) return out.put(key, REDACTED);
  out.put(key, jsonWithin(value, Math.min(out.config.maxAttributeLength, out.textBudget)));
}

/**
 * The GenAI part pulls in @opentelemetry/semantic-conventions' incubating entry (tens of ms to load), so it
 * is loaded the first time GenAI attributes are wanted, never in the default configuration.
 */
let genAiLoaded: typeof GenAiRun | undefined;
function genAiRunRenderer(): typeof GenAiRun {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (genAiLoaded ??= require('./render-run-genai') as typeof GenAiRun);
}
