import type { GraphNode, RunDocument, RunKind, RunRecord } from '../../record/run-record';
import { asArray, asNumber, asRecord, asString } from '../../record/read';
import { lcView, messageOf } from './llm-messages';
import { promptTemplateOf } from './run-prompt';
import { appMetadata, appTags, identityOf, isGraphStep, runValue } from './run-values';

/**
 * LangChain callback arguments as neutral `RunRecord`s: the kind (CHAIN, AGENT, TOOL, RETRIEVER, PROMPT),
 * the name, the input and output, the tool, the documents, the prompt template, the graph node, and the
 * session, user, metadata and tags. Only this folder knows LangChain's shapes.
 */

/** What a run takes from its parent run: the session and user when its own metadata has none, the graph it is in. */
export interface RunParent {
  sessionId?: string;
  userId?: string;
  /** The `graph.node.id` of the nearest graph or graph node above (a node's `graph.node.parent_id`). */
  graphId?: string;
  /** True when the parent run is a graph (its children named after a node are that node's runs). */
  isGraph?: boolean;
}

/** The common part of every run's record. */
function baseRecord(kind: RunKind, name: string, tags: unknown, metadata: unknown, parent: RunParent | undefined): RunRecord {
  const identity = identityOf(metadata);
  return {
    kind,
    name,
    startedAt: performance.now(),
    sessionId: identity.sessionId ?? parent?.sessionId,
    userId: identity.userId ?? parent?.userId,
    metadata: appMetadata(metadata),
    tags: appTags(tags),
  };
}

/** A run's name: the name it was given (`runName`), else the serialized runnable's name or class. */
function runNameOf(serialized: unknown, runName: unknown, fallback: string): string {
  const given = asString(runName);
  if (given) return given;
  const view = lcView(serialized);
  return asString(asRecord(serialized)?.name) || view?.className || fallback;
}

/** Compiled LangGraph graphs (and the classic AgentExecutor): an agent's run. */
const AGENT_CLASSES: ReadonlySet<string> = new Set(['CompiledStateGraph', 'CompiledGraph', 'CompiledMessageGraph', 'Pregel', 'AgentExecutor']);

function isAgentRunnable(serialized: unknown, metadata: unknown): boolean {
  const className = lcView(serialized)?.className;
  if (className !== undefined && AGENT_CLASSES.has(className)) return true;
  const id = asArray(asRecord(serialized)?.id);
  return id[0] === 'langgraph' && id.includes('pregel') && asRecord(metadata)?.ls_integration === 'langgraph';
}

/** The tag LangChain and LangGraph put on their bookkeeping runs, which LangSmith hides. */
const HIDDEN_TAG = 'langsmith:hidden';

/**
 * A chain run that gets no span, as LangSmith hides it: tagged `langsmith:hidden`. What LangGraph tags so
 * (seen on a createReactAgent turn, 1.7 and 0.4): its `__start__` node (a pass-through; on 0.4 its only
 * children are its ChannelWrites) and, on 0.4, its `ChannelWrite<…>` writers (leaves; 1.x writes without
 * a run); its sources also tag an entrypoint's and a task's writers. Never a node that runs the app's code,
 * never a subgraph. Config tags are inherited, so an app's own tag on a graph would hide all below it: a
 * graph run (AGENT) stays visible even so (its nodes name it as their `graph.node.parent_id`). Only chain
 * runs are hidden: a tool, a retriever or a model call is the app's work (and the LLM span, the request's).
 */
export function isHiddenChain(serialized: unknown, tags: unknown, metadata: unknown, runType: unknown): boolean {
  if (!Array.isArray(tags) || !tags.includes(HIDDEN_TAG)) return false;
  return runType === 'prompt' || runType === 'parser' || !isAgentRunnable(serialized, metadata);
}

export function chainRecord(
  runId: string,
  serialized: unknown,
  inputs: unknown,
  runType: unknown,
  runName: unknown,
  tags: unknown,
  metadata: unknown,
  parent: RunParent | undefined,
  extra?: unknown,
): RunRecord {
  const name = runNameOf(serialized, runName, 'chain');
  const agent = runType !== 'prompt' && runType !== 'parser' && isAgentRunnable(serialized, metadata);
  const kind: RunKind = runType === 'prompt' ? 'PROMPT' : agent ? 'AGENT' : 'CHAIN';
  const record = baseRecord(kind, name, tags, metadata, parent);
  // `.stream()` (core 1.x): the inputs are a placeholder until the run's end brings them (`noteDeferredInputs`).
  const deferred = asRecord(extra)?.lc_defers_inputs === true;
  if (!deferred) record.input = runValue(inputs, 'input');
  if (kind === 'PROMPT') record.promptTemplate = promptTemplateOf(serialized, deferred ? undefined : inputs);
  if (agent) record.agentName = name;
  record.graphNode = graphNodeOf(runId, name, agent, tags, metadata, parent);
  return record;
}

/**
 * A LangGraph node's run (named after `metadata.langgraph_node`, tagged `graph:step:N` or right under a
 * graph): its checkpoint namespace is its id, unique per task. A graph that is no node (the agent itself)
 * is the root of its nodes, with its run id as its id.
 */
function graphNodeOf(runId: string, name: string, agent: boolean, tags: unknown, metadata: unknown, parent: RunParent | undefined): GraphNode | undefined {
  const m = asRecord(metadata);
  const node = asString(m?.langgraph_node);
  if (node !== undefined && node === name && (isGraphStep(tags) || parent?.isGraph)) {
    const id = asString(m?.langgraph_checkpoint_ns) ?? asString(m?.checkpoint_ns) ?? `${node}:${String(m?.langgraph_step ?? '')}`;
    return { id, name: node, parentId: parent?.graphId };
  }
  return agent ? { id: runId, name, parentId: parent?.graphId } : undefined;
}

export function toolRecord(
  serialized: unknown,
  input: unknown,
  runName: unknown,
  toolCallId: unknown,
  tags: unknown,
  metadata: unknown,
  parent: RunParent | undefined,
): RunRecord {
  const s = asRecord(serialized);
  const name = asString(s?.name) || asString(runName) || lcView(serialized)?.className || 'tool';
  const record = baseRecord('TOOL', name, tags, metadata, parent);
  record.tool = { name, description: asString(s?.description), callId: asString(toolCallId) };
  // Core 1.x hands the arguments as a JSON string, core 0.3 the app's string or object.
  record.input = typeof input === 'string' ? jsonArguments(input) : runValue(input, 'input');
  return record;
}

/**
 * Arguments as LangChain serialized them (a JSON object or array) parsed, so that `input.value` is marked
 * JSON; any other string (a plain tool's text input) stays as it is.
 */
function jsonArguments(text: string): unknown {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * A tool's return: a ToolMessage (LangGraph's ToolNode, a tool called with a tool call) gives its content,
 * and the call id when the start gave none; a ToolMessage with `status: 'error'` is a failed call (its
 * text is returned). Anything else is the output as it is.
 */
export function noteToolOutput(record: RunRecord, output: unknown): string | undefined {
  const view = lcView(output);
  if (view?.className === 'ToolMessage' || view?.className === 'ToolMessageChunk' || (view && asString(view.fields.tool_call_id) !== undefined)) {
    const message = messageOf(output);
    const content = message?.content ?? (message?.parts ? message.parts : view.fields.content);
    record.output = content;
    if (record.tool && record.tool.callId === undefined) record.tool.callId = asString(view.fields.tool_call_id);
    if (view.fields.status === 'error') return typeof content === 'string' ? content : 'tool error';
    return undefined;
  }
  record.output = runValue(output, 'output');
  return undefined;
}

export function retrieverRecord(serialized: unknown, query: unknown, runName: unknown, tags: unknown, metadata: unknown, parent: RunParent | undefined): RunRecord {
  const record = baseRecord('RETRIEVER', runNameOf(serialized, runName, 'retriever'), tags, metadata, parent);
  record.input = query;
  return record;
}

/** Exactly the documents returned: id, content, metadata, and the score where the retriever gave one. */
export function documentsOf(documents: unknown): RunDocument[] {
  const out: RunDocument[] = [];
  for (const item of asArray(documents)) {
    const fields = lcView(item)?.fields;
    if (!fields) continue;
    const metadata = asRecord(fields.metadata);
    const document: RunDocument = { content: asString(fields.pageContent) };
    const id = fields.id;
    if (typeof id === 'string' || typeof id === 'number') document.id = String(id);
    if (metadata && Object.keys(metadata).length > 0) document.metadata = metadata;
    const score = asNumber(fields.score) ?? asNumber(metadata?.score) ?? asNumber(metadata?.relevance_score);
    if (score !== undefined) document.score = score;
    out.push(document);
  }
  return out;
}

/** In `.stream()` a run's inputs arrive with its end (`{ inputs }`): they replace the placeholder of its start. */
export function noteDeferredInputs(record: RunRecord, kwargs: unknown): void {
  const inputs = asRecord(kwargs)?.inputs;
  if (inputs === undefined) return;
  record.input = runValue(inputs, 'input');
  if (record.promptTemplate) record.promptTemplate.variables = asRecord(inputs);
}

/**
 * LangGraph's control flow, thrown through the runs above it (`is_bubble_up`): an interrupt waiting for a
 * human's answer, a `Command` to the parent graph. Such a run is paused or handed on, not failed.
 */
export function isControlFlow(error: unknown): boolean {
  try {
    return asRecord(error)?.is_bubble_up === true;
  } catch {
    // An error that cannot be read is the app's, not LangGraph's.
    return false;
  }
}
