import { asArray, asRecord, asString, type Json } from '../../record/read';
import type { RunModelUsage } from '../../record/run-record';
import type { Usage } from '../../record/usage';
import { modelUsageList, resultUsage } from './usage';

/**
 * Pure readers of the SDK's message stream (`SDKMessage`): what a message says about the run, its tool
 * calls and its outcome. Every reader takes `unknown` and returns `undefined` or `[]` for a shape it does not
 * know: a new message type of a later release is skipped, never thrown on.
 */

/** One tool call the model asked for: an assistant message's `tool_use` block. */
export interface ToolUse {
  id: string;
  name: string;
  input: unknown;
}

/** What a tool returned: a user message's `tool_result` block. */
export interface ToolResult {
  toolUseId: string;
  /** The result's content: a string, or a list of content blocks. */
  content: unknown;
  isError: boolean;
}

/** The run's end as the `result` message says it. */
export interface RunOutcome {
  /** The final answer's text (a successful result). */
  output?: string;
  /** Set when the run failed: the result's subtype (`error_max_turns`, …) and what it says went wrong. */
  failure?: { type: string; message?: string };
  usage?: Usage;
  modelUsage?: RunModelUsage[];
  costUsd?: number;
}

/** The tools that start a subagent: `Task`, renamed `Agent` in later CLIs. Their input names it (`subagent_type`). */
const SUBAGENT_TOOLS: ReadonlySet<string> = new Set(['Task', 'Agent']);

/** The name of a result that failed though its subtype says success (`is_error`: the turn ended on an API error). */
export const RESULT_ERROR_TYPE = 'result_error';

export function messageType(message: unknown): string | undefined {
  return asString(asRecord(message)?.type);
}

/** The tool call a message belongs to: set on every message of a subagent (and on a tool's nested calls). */
export function parentToolUseId(message: unknown): string | undefined {
  return asString(asRecord(message)?.parent_tool_use_id) || undefined;
}

/** `system`/`init`: the CLI's session id and the main model. */
export function sessionInit(message: unknown): { sessionId?: string; model?: string } | undefined {
  const m = systemMessage(message, 'init');
  return m && { sessionId: asString(m.session_id), model: asString(m.model) };
}

/** A subagent task's start (`system`/`task_started`): the tool call that started it, and whether it runs in the background. */
export function taskStarted(message: unknown): { toolUseId: string; background: boolean } | undefined {
  const m = systemMessage(message, 'task_started');
  const toolUseId = asString(m?.tool_use_id);
  return toolUseId ? { toolUseId, background: m?.is_backgrounded === true } : undefined;
}

/** A task's end (`system`/`task_notification`): its tool call, `completed` / `failed` / `stopped`, and its summary. */
export function taskEnded(message: unknown): { toolUseId: string; status?: string; summary?: string } | undefined {
  const m = systemMessage(message, 'task_notification');
  const toolUseId = asString(m?.tool_use_id);
  return toolUseId ? { toolUseId, status: asString(m?.status), summary: asString(m?.summary) } : undefined;
}

/** The `tool_use` blocks of an assistant message, each with its id and name. */
export function toolUses(message: unknown): ToolUse[] {
  const uses: ToolUse[] = [];
  for (const b of blocksOf(message, 'assistant', 'tool_use')) {
    const id = asString(b.id);
    const name = asString(b.name);
    if (id && name) uses.push({ id, name, input: b.input });
  }
  return uses;
}

/** The `tool_result` blocks of a user message. */
export function toolResults(message: unknown): ToolResult[] {
  const results: ToolResult[] = [];
  for (const b of blocksOf(message, 'user', 'tool_result')) {
    const toolUseId = asString(b.tool_use_id);
    if (toolUseId) results.push({ toolUseId, content: b.content, isError: b.is_error === true });
  }
  return results;
}

/** The subagent a tool call starts (`Task`/`Agent`): its type (the agent's name) and the prompt it was given. */
export function subagentOf(use: ToolUse): { name: string; prompt?: string } | undefined {
  if (!SUBAGENT_TOOLS.has(use.name)) return undefined;
  const input = asRecord(use.input);
  return { name: asString(input?.subagent_type) || use.name, prompt: asString(input?.prompt) };
}

/**
 * A tool result's content as the span shows it: a string as it is, a list of text blocks as their text (one
 * per line), anything else (images among them) as it is, which the renderer writes as JSON.
 */
export function toolOutput(content: unknown): unknown {
  if (typeof content === 'string' || !Array.isArray(content)) return content;
  const texts = content.map((block) => (asRecord(block)?.type === 'text' ? asString(asRecord(block)?.text) : undefined));
  return texts.every((text) => text !== undefined) ? texts.join('\n') : content;
}

/** A `result` message's outcome, or undefined for any other message. */
export function runOutcome(message: unknown): RunOutcome | undefined {
  const m = asRecord(message);
  if (!m || m.type !== 'result') return undefined;
  const modelUsage = modelUsageList(m.modelUsage);
  const cost = m.total_cost_usd;
  return {
    output: asString(m.result),
    failure: failureOf(m),
    usage: resultUsage(modelUsage, m.usage),
    modelUsage: modelUsage.length > 0 ? modelUsage : undefined,
    costUsd: typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? cost : undefined,
  };
}

/** An error subtype (`error_max_turns`, `error_during_execution`, …) or `is_error`: the run failed. */
function failureOf(m: Json): RunOutcome['failure'] {
  const subtype = asString(m.subtype);
  if (subtype === 'success' && m.is_error !== true) return undefined;
  if (subtype === undefined && m.is_error !== true) return undefined;
  const errors = asArray(m.errors).filter((e): e is string => typeof e === 'string');
  const message = errors.length > 0 ? errors.join('\n') : asString(m.result);
  return { type: subtype && subtype !== 'success' ? subtype : RESULT_ERROR_TYPE, message };
}

function systemMessage(message: unknown, subtype: string): Json | undefined {
  const m = asRecord(message);
  return m?.type === 'system' && m.subtype === subtype ? m : undefined;
}

/** The content blocks of one `type` in a message of one role (`assistant`, `user`). */
function blocksOf(message: unknown, role: string, type: string): Json[] {
  const m = asRecord(message);
  if (m?.type !== role) return [];
  return asArray(asRecord(m.message)?.content)
    .map((block) => asRecord(block))
    .filter((block): block is Json => block?.type === type);
}
