import { Context, diag } from '@opentelemetry/api';
import type { CallRuntime } from '../../instrumentation/llm-call';
import { safeJson } from '../../record/json';
import type { RunRecord } from '../../record/run-record';
import { AttributeSink } from '../../semconv/attribute-sink';
import { OI } from '../../semconv/attributes';
import { RunSpan } from '../run-span';
import {
  parentToolUseId, RunOutcome, runOutcome, sessionInit, subagentOf, taskEnded, taskStarted, ToolResult, toolOutput, toolResults, ToolUse, toolUses,
} from './messages';
import { resultError, TASK_FAILED, ToolResultError } from './run-errors';

/** The exception message of a failed tool or subagent whose output is hidden: that output is its text. */
const HIDDEN_OUTPUT = 'failed (its output is hidden)';

interface OpenTool {
  span: RunSpan;
  /** The subagent a `Task`/`Agent` call runs: an AGENT span under the TOOL span, the parent of the subagent's calls. */
  subagent?: RunSpan;
  /** The tool call this one ran inside (a subagent's), if any. */
  parentId?: string;
  /** A background subagent: the tool returns at once, the subagent runs on until its task notification. */
  background?: boolean;
}

/**
 * The spans of one `query()`, built from the messages the app reads: the AGENT span of the run (the CLI's
 * own spans join the trace under it, through TRACEPARENT), a TOOL span per tool call from its `tool_use`
 * to its `tool_result`, and a subagent's calls under an AGENT span of their own inside the tool that started
 * it. The model calls run in the CLI's process, out of our sight: their tokens and cost are what the `result`
 * message reports, on the AGENT span.
 *
 * The run ends with the stream (done, failed or stopped by the app), not at a `result`: one `query()` can
 * yield several (a streaming-input session has one per turn, and a background subagent's hand-back starts a
 * turn of its own), each with the running totals. A tool or subagent still open then is abandoned. Nothing
 * here throws into the app.
 */
export class ClaudeAgentRun {
  readonly root: RunSpan;
  private readonly tools = new Map<string, OpenTool>();
  /** The Query and its inner generator can both hand on one message: each is read once. */
  private readonly seen = new WeakSet<object>();
  private outcome: RunOutcome | undefined;
  /** Takes our listener off the app's abort signal once the run is over (one signal may serve many queries). */
  private releaseSignal: (() => void) | undefined;

  constructor(
    private readonly runtime: CallRuntime,
    record: RunRecord,
    parent: Context,
  ) {
    this.root = RunSpan.start(runtime, record, parent);
  }

  get context(): Context {
    return this.root.context;
  }

  /** A message the app got from the stream. */
  read(message: unknown): void {
    try {
      if (message === null || typeof message !== 'object' || this.seen.has(message) || this.root.isEnded) return;
      this.seen.add(message);
      this.readMessage(message);
    } catch (err) {
      diag.debug('@infinium/otel: could not read a Claude Agent SDK message', err);
    }
  }

  /** The stream said done: the run ends as its last result said (OK when there was none). */
  done(): void {
    this.guarded(() => this.finish());
  }

  /** The stream threw: the run fails with that error (the app gets it unchanged). */
  failed(error: unknown): void {
    this.guarded(() => {
      this.abandonOpenTools();
      this.root.fail(error);
    });
  }

  /** The app stopped the stream (`return()`, `close()`): a run that reached a result ends as it said, else it is abandoned. */
  stopped(): void {
    this.guarded(() => {
      if (this.outcome) return this.finish();
      this.abandonOpenTools();
      this.root.abandon();
    });
  }

  /**
   * The app's `options.abortController`: aborting it is the app stopping the run, as `return()` is (the SDK
   * kills the CLI and its iterator throws its AbortError), so the run ends at the abort, read or not.
   */
  stopOnAbort(signal: unknown): void {
    this.guarded(() => {
      if (!isAbortSignal(signal)) return;
      if (signal.aborted) return this.stopped();
      const onAbort = () => this.stopped();
      signal.addEventListener('abort', onAbort, { once: true });
      this.releaseSignal = () => signal.removeEventListener('abort', onAbort);
    });
  }

  private readMessage(message: object): void {
    const init = sessionInit(message);
    if (init) {
      this.root.record.sessionId ??= init.sessionId;
      this.root.record.model ??= init.model;
      return;
    }
    const parentId = parentToolUseId(message);
    for (const use of toolUses(message)) this.startTool(use, parentId);
    for (const result of toolResults(message)) this.endTool(result);
    this.noteTask(message);
    const outcome = runOutcome(message);
    if (outcome) this.noteOutcome(outcome);
    this.forgetEndedTools();
  }

  private startTool(use: ToolUse, parentId: string | undefined): void {
    if (this.tools.has(use.id)) return;
    const parent = this.tools.get(parentId ?? '');
    const parentContext = parent ? (parent.subagent ?? parent.span).context : this.root.context;
    const startedAt = performance.now();
    const span = RunSpan.start(this.runtime, { kind: 'TOOL', name: use.name, tool: { name: use.name, callId: use.id }, input: use.input, startedAt }, parentContext);
    const agent = subagentOf(use);
    const subagent = agent
      ? RunSpan.start(this.runtime, { kind: 'AGENT', name: agent.name, agentName: agent.name, input: agent.prompt, startedAt }, span.context)
      : undefined;
    this.tools.set(use.id, { span, subagent, parentId });
  }

  /** The tool's result ends its span (and its subagent's, first); calls the subagent left open are abandoned. */
  private endTool(result: ToolResult): void {
    const open = this.tools.get(result.toolUseId);
    if (!open || open.span.isEnded) return;
    const output = toolOutput(result.content);
    // A background subagent has only been launched: it runs on (its calls still nest under it) until its notification.
    const spans = open.background ? [open.span] : [open.subagent, open.span];
    if (!open.background) this.abandonToolsUnder(result.toolUseId);
    for (const span of spans) {
      if (!span || span.isEnded) continue;
      span.record.output = output;
      if (result.isError) span.fail(this.toolError(output));
      else span.end();
    }
  }

  /** A subagent's task: marked background when it starts, its span ended by its notification. */
  private noteTask(message: object): void {
    const started = taskStarted(message);
    const startedTool = started && this.tools.get(started.toolUseId);
    if (startedTool) startedTool.background = started.background;
    const ended = taskEnded(message);
    const subagent = ended && this.tools.get(ended.toolUseId)?.subagent;
    if (!ended || !subagent || subagent.isEnded) return;
    this.abandonToolsUnder(ended.toolUseId);
    if (ended.summary !== undefined) subagent.record.output = ended.summary;
    if (ended.status === 'completed') subagent.end();
    else if (ended.status === 'failed') subagent.fail(resultError(TASK_FAILED, this.shownOutput(ended.summary)));
    else subagent.abandon();
  }

  /** The latest result: its counts and cost are the query's running totals, so the last one read is the run's. */
  private noteOutcome(outcome: RunOutcome): void {
    this.outcome = outcome;
    const record = this.root.record;
    if (outcome.output !== undefined) record.output = outcome.output;
    record.usage = outcome.usage ?? record.usage;
    record.modelUsage = outcome.modelUsage ?? record.modelUsage;
    record.reportedCostUsd = outcome.costUsd ?? record.reportedCostUsd;
  }

  private finish(): void {
    if (this.root.isEnded) return;
    this.abandonOpenTools();
    const failure = this.outcome?.failure;
    if (failure) this.root.fail(resultError(failure.type, failure.message));
    else this.root.end();
  }

  /**
   * A tool call whose span has ended is let go: a long streaming session holds only the calls still open.
   * A subagent's call stays for the run (there are few): a message of that subagent read late, even after
   * its span ended, still nests under it.
   */
  private forgetEndedTools(): void {
    for (const [id, tool] of this.tools) if (!tool.subagent && tool.span.isEnded) this.tools.delete(id);
  }

  private abandonToolsUnder(id: string): void {
    for (const [childId, tool] of this.tools) {
      if (tool.parentId !== id || tool.span.isEnded) continue;
      this.abandonToolsUnder(childId);
      tool.subagent?.abandon();
      tool.span.abandon();
    }
  }

  private abandonOpenTools(): void {
    // Innermost first: a child ends before the span it is under.
    for (const tool of [...this.tools.values()].reverse()) {
      tool.subagent?.abandon();
      tool.span.abandon();
    }
  }

  /** A failed tool's exception, its output as the message. */
  private toolError(output: unknown): ToolResultError {
    return new ToolResultError(this.shownOutput(typeof output === 'string' ? output : safeJson(output)));
  }

  /**
   * A tool's or subagent's output as an exception message: it is content, which the exception event and
   * status would otherwise show where the masking hides outputs.
   */
  private shownOutput(text: string | undefined): string {
    const hidden = new AttributeSink(this.runtime.traceConfig).hides(OI.OUTPUT_VALUE);
    return hidden ? HIDDEN_OUTPUT : (text ?? 'failed');
  }

  private guarded(step: () => void): void {
    try {
      step();
      if (!this.root.isEnded) return;
      this.releaseSignal?.();
      this.releaseSignal = undefined;
    } catch (err) {
      diag.debug('@infinium/otel: could not end a Claude Agent SDK run', err);
    }
  }
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return value instanceof EventTarget && typeof (value as { aborted?: unknown }).aborted === 'boolean';
}
