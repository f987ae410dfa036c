import { context, Context, diag, propagation, SpanKind } from '@opentelemetry/api';
import { isTracingSuppressed } from '../../compat/sdk-shared';
import type { CallRuntime } from '../../instrumentation/llm-call';
import type { AnyFunction, PatchHost } from '../../instrumentation/patching';
import { describeRequest, readResult } from './mcp-request';
import { runObserved } from '../observed-call';
import { McpSpan, RpcError } from './mcp-span';
import {
  describeTransport, isObject, learnFromResult, McpProtocol, McpRequest, requestIdText, sessionFacts, stringOf, transportSessionId,
} from './protocol';

/**
 * The sending side: `Protocol.prototype.request`, which every request of a `Client` (and every request a
 * `Server` sends its client: sampling, elicitation, roots) goes through once. Each request is one CLIENT
 * span under the app's active span; the SDK sends a copy of the request that carries the span's context
 * (`traceparent`, `tracestate`, `baggage`) in `params._meta`, so the app's own request and params objects
 * are never written. The app gets a promise that settles exactly as the SDK's does.
 */
export function clientRequestWrapper(host: PatchHost) {
  return (original: AnyFunction): AnyFunction =>
    function tracedRequest(this: McpProtocol, request: unknown, ...rest: unknown[]) {
      const call = startClientRequest(host.runtime, this, request);
      if (!call) return original.call(this, request, ...rest);
      const idBefore = requestCounter(this);
      const send = () => {
        const sent = original.call(this, call.outgoing, ...rest);
        call.noteRequestId(this, idBefore);
        return sent;
      };
      return runObserved(call.span.context, send, (result) => call.answered(result), (error) => call.failed(error));
    };
}

interface ClientCall {
  span: McpSpan;
  /** The request the SDK sends: the app's, or a copy carrying the trace context. */
  outgoing: unknown;
  /** The SDK takes the next id as it sends: that was this request's id if the counter moved by one. */
  noteRequestId(protocol: McpProtocol, idBefore: number | undefined): void;
  answered(result: unknown): void;
  failed(error: unknown): void;
}

function startClientRequest(runtime: CallRuntime, protocol: McpProtocol, request: unknown): ClientCall | undefined {
  try {
    const parent = context.active();
    if (isTracingSuppressed(parent) || !isObject(request)) return undefined;
    const method = stringOf((request as McpRequest).method);
    if (method === undefined) return undefined;
    const facts = sessionFacts(protocol);
    const view = describeRequest(method, request.params, facts);
    const transport = protocol.transport;
    view.part.transport = describeTransport(transport);
    const span = new McpSpan(runtime, view, SpanKind.CLIENT, parent);
    // Read when the answer is in: an HTTP client's session id arrives with the initialize response.
    const noteSession = () => {
      view.part.sessionId = transportSessionId(transport);
      // A client that resumed a session (no initialize of its own) has it from its HTTP transport.
      view.part.protocolVersion = facts.protocolVersion ?? (isObject(transport) ? stringOf(transport.protocolVersion) : undefined);
    };
    return {
      span,
      outgoing: withTraceContext(request, span.context),
      noteRequestId(sender, idBefore) {
        if (idBefore !== undefined && requestCounter(sender) === idBefore + 1) view.part.requestId = requestIdText(idBefore);
      },
      answered(result) {
        try {
          learnFromResult(facts, method, result);
          readResult(view, result);
          noteSession();
        } catch (err) {
          diag.debug('@infinium/otel: could not read an MCP result', err);
        }
        span.succeed();
      },
      failed(error) {
        try {
          noteSession();
        } catch (err) {
          diag.debug('@infinium/otel: could not read an MCP session', err);
        }
        span.fail(error, rpcErrorOf(error));
      },
    };
  } catch (err) {
    diag.debug('@infinium/otel: could not start an MCP client span', err);
    return undefined;
  }
}

/** The SDK's request id counter (the id its next request gets), if it can be read. */
function requestCounter(protocol: McpProtocol): number | undefined {
  try {
    const counter = protocol._requestMessageId;
    return typeof counter === 'number' ? counter : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A copy of the request whose `params._meta` carries the context's propagation fields (the global
 * propagator's: W3C `traceparent`, `tracestate` and `baggage` by default), over the app's own `_meta`
 * fields. Nothing to carry (no propagator), or params that are not an object: the request as it is.
 */
function withTraceContext(request: Record<string, unknown>, ctx: Context): unknown {
  const params = request.params;
  if (params !== undefined && !isObject(params)) return request;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  if (Object.keys(carrier).length === 0) return request;
  const meta = isObject(params?._meta) ? params._meta : undefined;
  return { ...request, params: { ...params, _meta: { ...meta, ...carrier } } };
}

/** The SDK's own codes: a request timed out (or its signal aborted it), the connection closed under it. */
const REQUEST_TIMEOUT = -32001;
const CONNECTION_CLOSED = -32000;
const CLOSED_MESSAGES = new Set(['Connection closed', 'Request was cancelled']);

/**
 * The JSON-RPC error a client got: the SDK's `McpError` has the response's code, and its message is
 * `MCP error <code>: <the response's message>`. Errors without a code are the SDK's own; so are a timeout
 * and a closed connection, which the SDK raises as an `McpError` with its own code but no response came.
 */
function rpcErrorOf(error: unknown): RpcError {
  try {
    const code = (error as { code?: unknown } | null)?.code;
    if (!(error instanceof Error) || !Number.isSafeInteger(code)) return {};
    const prefix = `MCP error ${code}: `;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    const local = code === REQUEST_TIMEOUT || (code === CONNECTION_CLOSED && CLOSED_MESSAGES.has(message));
    return { code: code as number, message, local };
  } catch {
    return {};
  }
}
