import { Attributes, Context, diag, Link, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { DEFAULT_CONVENTIONS } from '../../config/semconv';
import { type CallRuntime, errorType } from '../../instrumentation/llm-call';
import { errorMessageText, recordFailure } from '../../masking/error-text';
import { AttributeSink } from '../../semconv/attribute-sink';
import { MCP_KEYS, MCP_TOOLS_CALL, mcpSpanName, renderMcpEnd, renderMcpStart } from '../../semconv/render-mcp';
import { renderRunRecord, runStartAttributes } from '../../semconv/render-run';
import { RUN_ABANDONED_EVENT } from '../run-span';
import type { McpRequestView } from './mcp-request';

/** A JSON-RPC error as the response carries it. */
export interface RpcError {
  code?: number;
  message?: string;
  /** Raised by the SDK itself (a timeout, a closed connection): no response carried the code. */
  local?: boolean;
}

/**
 * One MCP request's span, on the sending side (CLIENT) or the handling side (SERVER), and the rule that it
 * ends exactly once. Its attributes are the MCP part (render-mcp.ts) and the request's run record rendered
 * in the chosen conventions (render-run.ts), both through the one masking (AttributeSink). Status: UNSET when
 * answered, as the MCP conventions show it; ERROR for a JSON-RPC error (its message the description) or a
 * tool result with `isError`.
 */
export class McpSpan {
  readonly span: Span;
  readonly context: Context;
  private ended = false;

  constructor(
    private readonly runtime: CallRuntime,
    readonly view: McpRequestView,
    kind: SpanKind,
    parent: Context,
    links?: Link[],
  ) {
    const config = runtime.traceConfig;
    const start = new AttributeSink(config);
    renderMcpStart(start, view.part);
    const attributes = { ...this.runConventions(runStartAttributes(view.record, config, this.conventions)), ...start.attributes };
    this.span = runtime.tracer.startSpan(mcpSpanName(view.part), { kind, attributes, links }, parent);
    this.context = trace.setSpan(parent, this.span);
  }

  /** Answered with a result (a tool's `isError` result is recorded as the tool's error). */
  succeed(): void {
    if (this.ended) return;
    try {
      this.finish();
      if (this.view.record.error) this.span.setStatus({ code: SpanStatusCode.ERROR });
    } catch (err) {
      diag.debug('@infinium/otel: could not end an MCP span', err);
    }
    this.span.end();
  }

  /**
   * Failed: a JSON-RPC error (`rpc.code`: `error.type` and `rpc.response.status_code` are the code, the
   * description its message; an error the SDK raised itself with a code has no response code) or, with no code, an error of the SDK's own (not connected, a result that did
   * not parse): `error.type` is its class. The message is capped and its secrets redacted, like any error text.
   * Never throws: it runs where the app's own error is on its way back to it.
   */
  fail(error: unknown, rpc: RpcError): void {
    if (this.ended) return;
    try {
      const maxLength = this.runtime.traceConfig.maxAttributeLength;
      const code = rpc.code === undefined ? undefined : String(rpc.code);
      const message = errorMessageText(rpc.message ?? error, maxLength);
      this.view.record.error = { type: code ?? errorType(error), message };
      this.view.part.rpcStatusCode = rpc.local ? undefined : code;
      this.finish();
      // A JSON-RPC error answer carries no exception object: only the status then.
      if (error !== undefined) recordFailure(this.span, error, message, maxLength);
      else this.span.setStatus({ code: SpanStatusCode.ERROR, message });
    } catch (err) {
      diag.debug('@infinium/otel: could not record an MCP error', err);
      this.span.setStatus({ code: SpanStatusCode.ERROR });
    }
    this.span.end();
  }

  /**
   * The request was cancelled by its sender, or its connection closed, while it was handled: the SDK will
   * send no answer, whatever the handler still does. The span ends now, as a run left unfinished (the
   * event, status unset: a peer's cancellation is not the server's error), and the handler's outcome is
   * not recorded.
   */
  abandon(): void {
    if (this.ended) return;
    this.finish();
    try {
      this.span.addEvent(RUN_ABANDONED_EVENT);
    } catch (err) {
      diag.debug('@infinium/otel: could not mark an MCP span abandoned', err);
    }
    this.span.end();
  }

  private get conventions() {
    return this.runtime.conventions ?? DEFAULT_CONVENTIONS;
  }

  private finish(): void {
    this.ended = true;
    if (!this.span.isRecording()) return;
    try {
      const config = this.runtime.traceConfig;
      this.span.setAttributes(this.runConventions(renderRunRecord(this.view.record, config, this.conventions)));
      const end = new AttributeSink(config);
      renderMcpEnd(end, this.view.part);
      this.span.setAttributes(end.attributes);
    } catch (err) {
      diag.debug('@infinium/otel: could not render MCP attributes', err);
    }
  }

  /**
   * The run's attributes as an MCP span carries them: the MCP conventions give `gen_ai.operation.name`
   * (`execute_tool`) to `tools/call` only, so a resource read is not also a GenAI `retrieval`.
   */
  private runConventions(attributes: Attributes): Attributes {
    if (this.view.part.method !== MCP_TOOLS_CALL) delete attributes[MCP_KEYS.GEN_AI_OPERATION_NAME];
    return attributes;
  }
}
