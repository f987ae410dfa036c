import {
  ATTR_NETWORK_PROTOCOL_NAME, ATTR_NETWORK_TRANSPORT, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions';
import type { AttributeSink } from './attribute-sink';

/**
 * The keys of the OpenTelemetry GenAI MCP conventions (semantic-conventions `docs/gen-ai/mcp.md`) that are
 * MCP's own: what names the request, the session and the transport. They are written on every MCP span,
 * whatever conventions are chosen: they are the MCP span's own vocabulary, as `http.*` is an HTTP span's.
 * The content of a request (tool arguments and results, resource contents, prompt messages) is the
 * request's `RunRecord`, rendered by render-run.ts in the chosen conventions.
 *
 * The incubating keys are spelled here (test/frameworks/mcp/unit/masking.test.ts checks them against
 * `@opentelemetry/semantic-conventions/incubating`): that entry costs tens of ms to load.
 */
export const MCP_KEYS = {
  METHOD_NAME: 'mcp.method.name',
  SESSION_ID: 'mcp.session.id',
  PROTOCOL_VERSION: 'mcp.protocol.version',
  RESOURCE_URI: 'mcp.resource.uri',
  JSONRPC_REQUEST_ID: 'jsonrpc.request.id',
  RPC_RESPONSE_STATUS_CODE: 'rpc.response.status_code',
  GEN_AI_OPERATION_NAME: 'gen_ai.operation.name',
  GEN_AI_TOOL_NAME: 'gen_ai.tool.name',
  GEN_AI_PROMPT_NAME: 'gen_ai.prompt.name',
  NETWORK_TRANSPORT: ATTR_NETWORK_TRANSPORT,
  NETWORK_PROTOCOL_NAME: ATTR_NETWORK_PROTOCOL_NAME,
  SERVER_ADDRESS: ATTR_SERVER_ADDRESS,
  SERVER_PORT: ATTR_SERVER_PORT,
} as const;

/** `gen_ai.operation.name` of `tools/call`, the one MCP method the conventions give an operation. */
export const MCP_EXECUTE_TOOL = 'execute_tool';
export const MCP_TOOLS_CALL = 'tools/call';
/** `error.type` of a tool result with `isError: true`. */
export const MCP_TOOL_ERROR = 'tool_error';

/** How the MCP messages travel, as the conventions name it. */
export interface McpTransportFacts {
  /** `pipe` (stdio), `tcp` (HTTP, SSE, WebSocket); none in-process. */
  network?: string;
  /** `http`, `websocket`. */
  protocolName?: string;
  /** The server's host and port, as the client reaches it. */
  address?: string;
  port?: number;
}

/** The MCP part of one request's span, beside its RunRecord. */
export interface McpPart {
  method: string;
  toolName?: string;
  promptName?: string;
  resourceUri?: string;
  /** The JSON-RPC id, as a string. */
  requestId?: string;
  sessionId?: string;
  protocolVersion?: string;
  transport?: McpTransportFacts;
  /** The JSON-RPC error code of a failed request. */
  rpcStatusCode?: string;
}

/** `{mcp.method.name} {target}`: the tool or prompt named; never the resource URI (too many names). */
export function mcpSpanName(part: McpPart): string {
  const target = part.toolName ?? part.promptName;
  return target === undefined ? part.method : `${part.method} ${target}`;
}

/** What names the request: written when its span starts, so that samplers and `onStart` see them. */
export function renderMcpStart(out: AttributeSink, part: McpPart): void {
  out.put(MCP_KEYS.METHOD_NAME, part.method);
  if (part.method === MCP_TOOLS_CALL) out.put(MCP_KEYS.GEN_AI_OPERATION_NAME, MCP_EXECUTE_TOOL);
  out.put(MCP_KEYS.GEN_AI_TOOL_NAME, part.toolName);
  out.put(MCP_KEYS.GEN_AI_PROMPT_NAME, part.promptName);
  out.put(MCP_KEYS.RESOURCE_URI, part.resourceUri);
  const transport = part.transport;
  if (!transport) return;
  out.put(MCP_KEYS.NETWORK_TRANSPORT, transport.network);
  out.put(MCP_KEYS.NETWORK_PROTOCOL_NAME, transport.protocolName);
  out.put(MCP_KEYS.SERVER_ADDRESS, transport.address);
  out.put(MCP_KEYS.SERVER_PORT, transport.port);
}

/**
 * What is known once the request is answered: the JSON-RPC id (a client's is given when the SDK sends the
 * request), the session (an HTTP client's arrives with the initialize response), the protocol version and
 * the error code.
 */
export function renderMcpEnd(out: AttributeSink, part: McpPart): void {
  out.put(MCP_KEYS.JSONRPC_REQUEST_ID, part.requestId);
  out.put(MCP_KEYS.SESSION_ID, part.sessionId);
  out.put(MCP_KEYS.PROTOCOL_VERSION, part.protocolVersion);
  out.put(MCP_KEYS.RPC_RESPONSE_STATUS_CODE, part.rpcStatusCode);
}
