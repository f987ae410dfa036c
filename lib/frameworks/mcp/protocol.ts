import type { McpTransportFacts } from '../../semconv/render-mcp';

/**
 * What we read of `@modelcontextprotocol/sdk`'s `Protocol` (the base of its `Client` and `Server`) and its
 * transports, duck-typed: the SDK is an optional peer, and every read is guarded by its caller.
 */
export interface McpProtocol {
  readonly transport?: unknown;
  /** The id the next request gets (`Protocol.request` takes it and counts up). */
  _requestMessageId?: unknown;
  /** Method name to handler: `_onrequest` looks the request's handler up here. */
  _requestHandlers?: unknown;
  fallbackRequestHandler?: unknown;
  /** Throws when a task-augmented request (`params.task`) of this method is not supported (1.2x+). */
  assertTaskHandlerCapability?: unknown;
}

/** A JSON-RPC request as the SDK sends and receives it. */
export interface McpRequest {
  method?: unknown;
  params?: unknown;
  id?: unknown;
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A JSON-RPC id as the conventions record it: a string; none for `null` or no id. */
export function requestIdText(id: unknown): string | undefined {
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/** What one client or server learned of its peer from the requests it traced. */
export interface SessionFacts {
  /** From the `initialize` result. */
  protocolVersion?: string;
  /** From `tools/list` results: OpenInference `tool.description` of a later `tools/call`. */
  toolDescriptions?: Map<string, string>;
}

const factsByProtocol = new WeakMap<object, SessionFacts>();

export function sessionFacts(protocol: object): SessionFacts {
  let facts = factsByProtocol.get(protocol);
  if (!facts) factsByProtocol.set(protocol, (facts = {}));
  return facts;
}

/** Remembers what a request's result says of the session: its protocol version, its tools' descriptions. */
export function learnFromResult(facts: SessionFacts, method: string, result: unknown): void {
  if (!isObject(result)) return;
  if (method === 'initialize') {
    const version = stringOf(result.protocolVersion);
    if (version !== undefined) facts.protocolVersion = version;
  } else if (method === 'tools/list' && Array.isArray(result.tools)) {
    const descriptions = (facts.toolDescriptions ??= new Map());
    for (const tool of result.tools) {
      if (!isObject(tool)) continue;
      const name = stringOf(tool.name);
      const description = stringOf(tool.description);
      if (name !== undefined && description !== undefined) descriptions.set(name, description);
    }
  }
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 };

/**
 * How a transport carries the messages: stdio is a `pipe`; Streamable HTTP, SSE and WebSocket are `tcp`,
 * and a client's transport knows the server's URL. An in-process transport (`InMemoryTransport`) or one we
 * do not know gives nothing.
 */
export function describeTransport(transport: unknown): McpTransportFacts | undefined {
  if (!isObject(transport)) return undefined;
  const className = stringOf((transport.constructor as { name?: unknown } | undefined)?.name) ?? '';
  if (/stdio/i.test(className)) return { network: 'pipe' };
  const url = transport._url;
  if (url instanceof URL) {
    const websocket = url.protocol === 'ws:' || url.protocol === 'wss:';
    return {
      network: 'tcp',
      protocolName: websocket ? 'websocket' : 'http',
      address: url.hostname,
      port: url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port),
    };
  }
  if (/websocket/i.test(className)) return { network: 'tcp', protocolName: 'websocket' };
  if (/http|sse/i.test(className)) return { network: 'tcp', protocolName: 'http' };
  return undefined;
}

/** The transport's session id (Streamable HTTP's `mcp-session-id`), if it has one. */
export function transportSessionId(transport: unknown): string | undefined {
  return isObject(transport) ? stringOf(transport.sessionId) : undefined;
}
