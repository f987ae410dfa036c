import type { RunRecord } from '../../record/run-record';
import { parseJson } from '../../record/json';
import { asArray, asRecord, asString } from '../../record/read';
import type { SdkSpanData, SdkSpanError } from './sdk-shapes';

/**
 * The SDK's span data as our neutral `RunRecord`s, one pure function per span type. A type not listed here
 * is not rendered (turn, transcription, speech, speech_group), and its children hang on the nearest
 * rendered ancestor; response and generation are model requests (model-call.ts).
 */

/** The span types that are model requests: our SDK span of the same request claims them, else model-call.ts renders them. */
export const MODEL_SPAN_TYPES: ReadonlySet<string> = new Set(['response', 'generation']);

/** The record a span starts with, or undefined when the span is not rendered as a run. */
export function getStartRecord(type: string | undefined, data: SdkSpanData, startedAt: number): RunRecord | undefined {
  switch (type) {
    case 'task':
      return { kind: 'CHAIN', name: asString(data.name) ?? 'task', startedAt };
    case 'agent': {
      const name = asString(data.name) ?? 'agent';
      return { kind: 'AGENT', name, agentName: name, startedAt };
    }
    case 'function': {
      const name = asString(data.name) ?? 'function';
      return { kind: 'TOOL', name, tool: { name }, startedAt };
    }
    case 'handoff':
      return { kind: 'TOOL', name: getHandoffName(data), tool: { name: 'handoff' }, handoff: getHandoff(data), startedAt };
    case 'guardrail':
      return { kind: 'GUARDRAIL', name: asString(data.name) ?? 'guardrail', startedAt };
    case 'custom':
      return { kind: 'CHAIN', name: asString(data.name) ?? 'custom', startedAt };
    case 'mcp_tools':
      return { kind: 'CHAIN', name: getMcpToolsName(data), startedAt };
    default:
      return undefined;
  }
}

/**
 * What the span's data holds when it ends, copied onto its record: the SDK fills a span's data while it
 * runs (a tool's output, the agent a handoff went to, whether a guardrail tripped).
 */
export function completeRecord(record: RunRecord, type: string | undefined, data: SdkSpanData): void {
  switch (type) {
    case 'function':
      record.input = getToolArguments(data.input) ?? record.input;
      record.output = nonEmpty(data.output) ?? record.output;
      if (typeof data.mcp_data === 'string') record.metadata = { mcp_data: parseJson(data.mcp_data) };
      return;
    case 'handoff':
      record.name = getHandoffName(data);
      record.handoff = getHandoff(data);
      return;
    case 'guardrail':
      record.guardrail = { triggered: data.triggered === true };
      return;
    case 'custom':
      if (asRecord(data.data)) record.metadata = asRecord(data.data);
      return;
    case 'mcp_tools':
      if (Array.isArray(data.result)) record.output = data.result;
      return;
    default:
      return;
  }
}

/**
 * A function call's arguments: the model's JSON text, parsed when it is an object or an array, so that
 * `input.value` is marked JSON (as LangChain's tool arguments are); any other text as it is, none when empty.
 */
export function getToolArguments(input: unknown): unknown {
  const parsed = parseJson(input);
  return parsed !== null && typeof parsed === 'object' ? parsed : nonEmpty(input);
}

/**
 * A function span's text, if it has one: the SDK starts its input and output as `''`, and leaves them so
 * when the run keeps content out of its traces (`traceIncludeSensitiveData: false`).
 */
function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `handoff to French agent`; `handoff` while the target is not known yet (the SDK names it when the handoff runs). */
export function getHandoffName(data: SdkSpanData): string {
  const to = asString(data.to_agent);
  return to ? `handoff to ${to}` : 'handoff';
}

export function getHandoff(data: SdkSpanData): { fromAgent?: string; toAgent?: string } {
  return { fromAgent: asString(data.from_agent), toAgent: asString(data.to_agent) };
}

export function getMcpToolsName(data: SdkSpanData): string {
  const server = asString(data.server);
  return server ? `mcp_tools ${server}` : 'mcp_tools';
}

/**
 * The error a failed span is rendered with. The SDK keeps its own words (`Error running tool`, `Error in
 * agent run`) and, in `data.error`, the error's text (or its redaction notice, as the app set tracing); the
 * error thrown itself stays with the app, untouched.
 */
export function getSpanFailure(error: SdkSpanError): Error {
  const message = asString(error.message) ?? 'Error';
  const detail = asString(error.data?.error);
  return new Error(detail ? `${message}: ${detail}` : message);
}

/**
 * An agent's input as the app gave it: one user message's text as that text, else the SDK's input items
 * (rendered as JSON).
 */
export function getAgentInput(items: unknown): unknown {
  const list = asArray(items);
  if (list.length === 1) {
    const only = asRecord(list[0]);
    if (only && only.role === 'user' && typeof only.content === 'string') return only.content;
  }
  return items;
}

/**
 * An agent's final output: with an output type (a schema, not `'text'`) the SDK hands `agent_end` the
 * model's JSON text, which the app receives parsed; the span shows the same object (as JSON).
 */
export function getAgentOutput(agent: unknown, output: unknown): unknown {
  const outputType = asRecord(agent)?.outputType;
  if (typeof output !== 'string' || outputType === undefined || outputType === 'text') return output;
  return parseJson(output) ?? output;
}
