import type { RunDocument, RunRecord } from '../../record/run-record';
import { MCP_TOOL_ERROR, MCP_TOOLS_CALL, type McpPart } from '../../semconv/render-mcp';
import { isObject, JsonObject, SessionFacts, stringOf } from './protocol';

/**
 * The one place that knows MCP's request and result shapes: a request becomes the neutral `RunRecord`
 * (what OpenInference and the GenAI run keys render: render-run.ts) and the MCP part (render-mcp.ts).
 * - `tools/call`: a TOOL run, the arguments its input and the `CallToolResult` its output;
 * - `resources/read`: a RETRIEVER run, each content returned one document;
 * - `prompts/get`: a PROMPT run, its arguments the template's variables and the messages its output;
 * - any other request: a CHAIN run, its params (without `_meta`) in, its result out.
 */
export interface McpRequestView {
  readonly record: RunRecord;
  readonly part: McpPart;
}

export function describeRequest(method: string, params: unknown, facts: SessionFacts | undefined): McpRequestView {
  const p = isObject(params) ? params : undefined;
  const part: McpPart = { method };
  const startedAt = performance.now();
  switch (method) {
    case MCP_TOOLS_CALL: {
      const name = stringOf(p?.name);
      part.toolName = name;
      const description = name === undefined ? undefined : facts?.toolDescriptions?.get(name);
      return { part, record: { kind: 'TOOL', name: name ?? method, input: p?.arguments, tool: { name, description }, startedAt } };
    }
    case 'prompts/get': {
      const name = stringOf(p?.name);
      part.promptName = name;
      const args = isObject(p?.arguments) ? p.arguments : undefined;
      return { part, record: { kind: 'PROMPT', name: name ?? method, input: args, promptTemplate: args && { variables: args }, startedAt } };
    }
    case 'resources/read':
      part.resourceUri = stringOf(p?.uri);
      return { part, record: { kind: 'RETRIEVER', name: method, input: part.resourceUri, startedAt } };
    case 'resources/subscribe':
    case 'resources/unsubscribe':
      part.resourceUri = stringOf(p?.uri);
      return { part, record: { kind: 'CHAIN', name: method, input: withoutMeta(p), startedAt } };
    default:
      return { part, record: { kind: 'CHAIN', name: method, input: withoutMeta(p), startedAt } };
  }
}

/** Puts a successful response's result on the record: a tool result with `isError: true` is the tool's error. */
export function readResult(view: McpRequestView, result: unknown): void {
  const { record, part } = view;
  const r = isObject(result) ? result : undefined;
  switch (part.method) {
    case MCP_TOOLS_CALL:
      record.output = result;
      if (r?.isError === true) record.error = { type: MCP_TOOL_ERROR };
      return;
    case 'resources/read':
      record.documents = Array.isArray(r?.contents) ? r.contents.filter(isObject).map(resourceDocument) : [];
      return;
    case 'prompts/get':
      record.output = r?.messages ?? result;
      return;
    default:
      record.output = result;
  }
}

/** A resource's content as a retrieved document: its URI the id, its text the content (a blob is named by its mime type only). */
function resourceDocument(content: JsonObject): RunDocument {
  const document: RunDocument = { id: stringOf(content.uri), content: stringOf(content.text) };
  const mimeType = stringOf(content.mimeType);
  if (mimeType !== undefined) document.metadata = { mimeType };
  return document;
}

/** A request's params as the app gave them: `_meta` is the protocol's (trace context, progress token). */
function withoutMeta(params: JsonObject | undefined): JsonObject | undefined {
  if (!params || !('_meta' in params)) return params;
  const { _meta: _ignored, ...rest } = params;
  return Object.keys(rest).length > 0 ? rest : undefined;
}
