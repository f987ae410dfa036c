import { context, Context, diag, Link, propagation, SpanKind, trace } from '@opentelemetry/api';
import { isTracingSuppressed } from '../../compat/sdk-shared';
import type { CallRuntime } from '../../instrumentation/llm-call';
import { outsideRunScope } from '../../instrumentation/run-scope';
import type { AnyFunction, PatchHost } from '../../instrumentation/patching';
import type { McpPart } from '../../semconv/render-mcp';
import { describeRequest, readResult } from './mcp-request';
import { runObserved } from '../observed-call';
import { McpSpan } from './mcp-span';
import {
  describeTransport, isObject, learnFromResult, McpProtocol, McpRequest, requestIdText, sessionFacts, SessionFacts, stringOf,
  transportSessionId,
} from './protocol';

/** JSON-RPC codes the SDK answers with itself. */
const METHOD_NOT_FOUND = { code: -32601, message: 'Method not found' };
const INTERNAL_ERROR = -32603;

/**
 * A request tied to an experimental task may never reach its handler (its task is looked up first), and
 * its span would then never end: such requests are not traced on the handling side.
 */
const RELATED_TASK_META_KEY = 'io.modelcontextprotocol/related-task';

/**
 * The handling side: `Protocol.prototype._onrequest`, which every request a `Server` (or a `Client`, for
 * the server's own requests) receives goes through once. Each is one SERVER span. Its parent is the
 * sender's span, from the trace context in `params._meta`; the context the request arrived in (an HTTP
 * server span) is linked, as the MCP conventions ask. The handler runs inside the span, so whatever it
 * starts (an LLM call) is its child.
 *
 * `_onrequest` looks the handler up and runs it a tick later: for the duration of that synchronous call
 * the handler's entry is our observer of it (restored right after), which is how the span learns the
 * handler's result or error, exactly as the SDK turns them into the response.
 */
export function serverRequestWrapper(host: PatchHost) {
  return (original: AnyFunction): AnyFunction =>
    function tracedOnRequest(this: McpProtocol, request: unknown, ...rest: unknown[]) {
      const handling = startServerRequest(host.runtime, this, request, rest[0]);
      if (!handling) return original.call(this, request, ...rest);
      try {
        return context.with(handling.span.context, () => original.call(this, request, ...rest));
      } catch (error) {
        handling.span.fail(error, {});
        throw error;
      } finally {
        handling.restore();
      }
    };
}

interface Handling {
  span: McpSpan;
  /** Puts the handler's own entry back. */
  restore(): void;
}

function startServerRequest(runtime: CallRuntime, protocol: McpProtocol, request: unknown, extra: unknown): Handling | undefined {
  try {
    // A framework run's scope the request arrived in (an in-process client called from a LangChain tool)
    // belongs to the sending side: the handler's own model calls must not claim its offers.
    const ambient = outsideRunScope(context.active());
    if (isTracingSuppressed(ambient) || !isObject(request)) return undefined;
    const method = stringOf((request as McpRequest).method);
    const handlers = protocol._requestHandlers;
    if (method === undefined || !(handlers instanceof Map)) return undefined;
    const params = isObject(request.params) ? request.params : undefined;
    const meta = isObject(params?._meta) ? params._meta : undefined;
    if (meta && RELATED_TASK_META_KEY in meta) return undefined;

    const facts = sessionFacts(protocol);
    const view = describeRequest(method, params, facts);
    view.part.requestId = requestIdText(request.id);
    view.part.transport = describeTransport(protocol.transport);
    noteSession(view.part, facts, protocol, extra);
    const { parent, links } = parentOf(ambient, meta);
    const span = new McpSpan(runtime, view, SpanKind.SERVER, parent, links);

    const handler: unknown = handlers.get(method);
    const fallback = protocol.fallbackRequestHandler;
    const target = typeof handler === 'function' ? handler : typeof fallback === 'function' ? fallback : undefined;
    if (!target) {
      span.fail(undefined, METHOD_NOT_FOUND);
      return { span, restore: () => {} };
    }
    const refusal = taskRefusal(protocol, method, params);
    if (refusal !== undefined) {
      span.fail(refusal, handlerError(refusal));
      return { span, restore: () => {} };
    }
    const observer = observedHandler(target as AnyFunction, span, facts);
    if (target === handler) {
      handlers.set(method, observer);
      return { span, restore: () => handlers.get(method) === observer && handlers.set(method, handler) };
    }
    protocol.fallbackRequestHandler = observer;
    return { span, restore: () => protocol.fallbackRequestHandler === observer && (protocol.fallbackRequestHandler = fallback) };
  } catch (err) {
    diag.debug('@infinium/otel: could not start an MCP server span', err);
    return undefined;
  }
}

/**
 * A request that asks to run as a task (`params.task`) is checked against the receiver's task capability
 * before its handler is looked at, and answered with that check's error: the handler never runs, so the
 * span would never end. The same check, made here (it only reads the capabilities), tells the span so.
 */
function taskRefusal(protocol: McpProtocol, method: string, params: Record<string, unknown> | undefined): unknown {
  const task = params?.task;
  if (!isObject(task) || (task.ttl !== undefined && typeof task.ttl !== 'number')) return undefined;
  const check = protocol.assertTaskHandlerCapability;
  if (typeof check !== 'function') return undefined;
  try {
    check.call(protocol, method);
    return undefined;
  } catch (error) {
    return error;
  }
}

/**
 * The sender's context from `_meta` as the parent; the context the request arrived in is linked when it
 * is another span (an HTTP server span). With no trace context in `_meta`, the arrival context is the parent.
 */
function parentOf(ambient: Context, meta: Record<string, unknown> | undefined): { parent: Context; links?: Link[] } {
  if (!meta) return { parent: ambient };
  const parent = propagation.extract(ambient, meta);
  const remote = trace.getSpanContext(parent);
  const arrival = trace.getSpanContext(ambient);
  if (!remote || !arrival || !trace.isSpanContextValid(arrival) || remote.spanId === arrival.spanId) return { parent };
  return { parent, links: [{ context: arrival }] };
}

/** The session id and protocol version as the handler sees them (a stateless HTTP server knows the version from its header). */
function noteSession(part: McpPart, facts: SessionFacts, protocol: McpProtocol, extra: unknown): void {
  const info = isObject(extra) ? extra : undefined;
  part.sessionId = stringOf(info?.sessionId) ?? transportSessionId(protocol.transport);
  const headers = isObject(info?.requestInfo) && isObject(info.requestInfo.headers) ? info.requestInfo.headers : undefined;
  part.protocolVersion = facts.protocolVersion ?? stringOf(headers?.['mcp-protocol-version']);
}

/**
 * The handler as the SDK calls it, run inside the span: the SDK gets its result (or a promise that settles
 * as the handler's does) and its error as they are, and answers the request with them as it would.
 */
function observedHandler(handler: AnyFunction, span: McpSpan, facts: SessionFacts): AnyFunction {
  const { record, part } = span.view;
  const fail = (error: unknown) => span.fail(error, handlerError(error));
  const succeed = (result: unknown) => {
    try {
      learnFromResult(facts, part.method, result);
      readResult(span.view, result);
      if (part.method === 'initialize') part.protocolVersion = facts.protocolVersion;
      // A tool's description is known once the server listed its tools.
      if (record.tool && record.tool.description === undefined && part.toolName !== undefined) {
        record.tool.description = facts.toolDescriptions?.get(part.toolName);
      }
    } catch (err) {
      diag.debug('@infinium/otel: could not read an MCP result', err);
    }
    span.succeed();
  };
  return function observed(this: unknown, ...args: unknown[]) {
    endWhenAborted(span, args[1]);
    return runObserved(span.context, () => handler.apply(this, args), succeed, fail);
  };
}

/**
 * The handler's `extra.signal` aborts when the sender cancels the request (`notifications/cancelled`) or the
 * connection closes; the SDK then answers nothing, and a handler that ignores the signal may run on, or never
 * settle. The span is abandoned at that moment.
 */
function endWhenAborted(span: McpSpan, extra: unknown): void {
  try {
    const signal = isObject(extra) ? extra.signal : undefined;
    if (!(signal instanceof AbortSignal)) return;
    if (signal.aborted) span.abandon();
    else signal.addEventListener('abort', () => span.abandon(), { once: true });
  } catch (err) {
    diag.debug('@infinium/otel: could not watch an MCP request for cancellation', err);
  }
}

/** The JSON-RPC error the SDK answers a handler's error with: its code if it has one, else internal error. */
function handlerError(error: unknown): { code: number; message?: string } {
  try {
    const code = (error as { code?: unknown } | null)?.code;
    const message = (error as { message?: unknown } | null)?.message;
    return { code: Number.isSafeInteger(code) ? (code as number) : INTERNAL_ERROR, message: typeof message === 'string' ? message : 'Internal error' };
  } catch {
    return { code: INTERNAL_ERROR };
  }
}
