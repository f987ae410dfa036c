import { diag, trace, type Context } from '@opentelemetry/api';
import type { CallRuntime } from '../../instrumentation/llm-call';
import { outsideRunScope, type RunScope } from '../../instrumentation/run-scope';
import type { RunRecord } from '../../record/run-record';
import { RunSpan } from '../run-span';
import { startModelRun, type ModelRun } from './llm-run';
import type { ModelRunStart } from './llm-record';
import { chainRecord, documentsOf, isControlFlow, isHiddenChain, noteDeferredInputs, noteToolOutput, retrieverRecord, toolRecord, type RunParent } from './runs';
import { RunTree } from './run-tree';
import { identityOf, runValue } from './run-values';

const HANDLER_NAME = 'infinium_otel';

/**
 * The LangChain callback handler: LangChain's callback events become spans, one per run, parented by run
 * id. It is duck-typed (no import of @langchain/core, an optional peer): `CallbackManager` reads only the
 * properties below. `awaitHandlers` makes LangChain await each callback in the caller's OTel context
 * (queued handlers run later, in no context, and could end spans after `invoke()` returned). It never
 * prefers streaming (`lc_prefer_streaming` absent): that would change how the app's models are called.
 * Every callback is guarded: nothing of ours throws into LangChain.
 */
export class LangChainHandler {
  readonly name = HANDLER_NAME;
  readonly awaitHandlers = true;
  readonly raiseError = false;
  readonly ignoreLLM = false;
  readonly ignoreChain = false;
  readonly ignoreAgent = false;
  readonly ignoreRetriever = false;
  readonly ignoreCustomEvent = false;
  readonly lc_serializable = false;
  readonly lc_kwargs: Record<string, unknown> = {};
  private readonly tree: RunTree;

  constructor(
    private readonly runtime: CallRuntime,
    maxOpenRuns?: number,
  ) {
    this.tree = new RunTree(maxOpenRuns);
  }

  readonly lc_namespace = ['langchain_core', 'callbacks', HANDLER_NAME];

  /** One instance per instrumentation: a manager's copy of its handlers keeps this one. */
  copy(): this {
    return this;
  }

  toJSON(): Record<string, unknown> {
    return { lc: 1, type: 'not_implemented', id: this.lc_namespace };
  }

  /** How many runs are open (tests, diagnostics). */
  get openRuns(): number {
    return this.tree.size;
  }

  /** `base` with the run's span active (and no run scope), if the run is open and has a span. */
  contextOfRun(runId: string | undefined, base: Context): Context | undefined {
    try {
      const run = this.tree.get(runId);
      const span = run?.span?.span ?? run?.anchor;
      return span ? trace.setSpan(outsideRunScope(base), span) : undefined;
    } catch (err) {
      diag.debug('@infinium/otel: LangChain contextOfRun failed', err);
      return undefined;
    }
  }

  /** The scope's run and its open descendants end as abandoned (an app that broke out of `.stream()`). */
  abandonRunsIn(scope: RunScope): void {
    try {
      this.tree.abandonScope(scope);
    } catch (err) {
      diag.debug('@infinium/otel: LangChain abandonRunsIn failed', err);
    }
  }

  handleChainStart(
    serialized: unknown,
    inputs: unknown,
    runId: string,
    parentRunId?: string,
    tags?: unknown,
    metadata?: unknown,
    runType?: unknown,
    runName?: unknown,
    extra?: unknown,
  ): void {
    this.guard('handleChainStart', () => {
      if (isHiddenChain(serialized, tags, metadata, runType)) this.startHiddenRun(runId, parentRunId, metadata);
      else this.startSpanRun('handleChainStart', runId, parentRunId, (parent) => chainRecord(runId, serialized, inputs, runType, runName, tags, metadata, parent, extra));
    });
  }

  handleChainEnd(outputs: unknown, runId: string, _parentRunId?: string, _tags?: unknown, kwargs?: unknown): void {
    const note = (record: RunRecord) => {
      record.output = runValue(outputs, 'output');
      noteDeferredInputs(record, kwargs);
    };
    this.endSpanRun('handleChainEnd', runId, note, (span) => span.end());
  }

  handleChainError(error: unknown, runId: string, _parentRunId?: string, _tags?: unknown, kwargs?: unknown): void {
    this.endSpanRun('handleChainError', runId, (record) => noteDeferredInputs(record, kwargs), (span) => endFailed(span, error));
  }

  handleChatModelStart(llm: unknown, messages: unknown, runId: string, parentRunId?: string, extraParams?: unknown, tags?: unknown, metadata?: unknown): void {
    this.guard('handleChatModelStart', () => {
      // The manager calls once per message group, each with the one group of its run.
      const group = Array.isArray(messages) ? messages[0] : undefined;
      this.startModelRun(runId, parentRunId, { serialized: llm, messages: group ?? [], extraParams, metadata }, tags);
    });
  }

  handleLLMStart(llm: unknown, prompts: unknown, runId: string, parentRunId?: string, extraParams?: unknown, tags?: unknown, metadata?: unknown): void {
    this.guard('handleLLMStart', () => this.startModelRun(runId, parentRunId, { serialized: llm, prompts, extraParams, metadata }, tags));
  }

  handleLLMEnd(output: unknown, runId: string): void {
    this.guard('handleLLMEnd', () => this.takeModelRun(runId)?.succeed(output));
  }

  handleLLMError(error: unknown, runId: string): void {
    this.guard('handleLLMError', () => this.takeModelRun(runId)?.fail(error));
  }

  handleToolStart(
    tool: unknown,
    input: unknown,
    runId: string,
    parentRunId?: string,
    tags?: unknown,
    metadata?: unknown,
    runName?: unknown,
    toolCallId?: unknown,
  ): void {
    this.startSpanRun('handleToolStart', runId, parentRunId, (parent) => toolRecord(tool, input, runName, toolCallId, tags, metadata, parent));
  }

  handleToolEnd(output: unknown, runId: string): void {
    this.endSpanRun('handleToolEnd', runId, (record) => noteToolOutput(record, output), (span, errorText) => {
      // A tool error LangGraph returned as a message: the call failed, though nothing was thrown.
      if (typeof errorText === 'string') span.fail(new Error(errorText));
      else span.end();
    });
  }

  handleToolError(error: unknown, runId: string): void {
    this.endSpanRun('handleToolError', runId, () => undefined, (span) => endFailed(span, error));
  }

  handleRetrieverStart(retriever: unknown, query: unknown, runId: string, parentRunId?: string, tags?: unknown, metadata?: unknown, runName?: unknown): void {
    this.startSpanRun('handleRetrieverStart', runId, parentRunId, (parent) => retrieverRecord(retriever, query, runName, tags, metadata, parent));
  }

  handleRetrieverEnd(documents: unknown, runId: string): void {
    this.endSpanRun('handleRetrieverEnd', runId, (record) => void (record.documents = documentsOf(documents)), (span) => span.end());
  }

  handleRetrieverError(error: unknown, runId: string): void {
    this.endSpanRun('handleRetrieverError', runId, () => undefined, (span) => endFailed(span, error));
  }

  /** Every callback's body: nothing of ours throws into LangChain (its manager would log our error as the app's). */
  private guard<T>(callback: string, body: () => T): T | undefined {
    try {
      return body();
    } catch (err) {
      diag.debug(`@infinium/otel: LangChain ${callback} failed`, err);
      return undefined;
    }
  }

  /**
   * Ends the span run `runId`: `note` fills its record from the callback's arguments, `end` ends its span
   * (given what `note` returned). Arguments that cannot be read are left out: the run is out of the tree
   * by then, and its span must end anyway.
   */
  private endSpanRun<T>(callback: string, runId: string, note: (record: RunRecord) => T, end: (span: RunSpan, noted: T | undefined) => void): void {
    this.guard(callback, () => {
      const run = this.takeSpanRun(runId);
      if (!run) return;
      end(run.span, this.guard(`${callback} (reading its arguments)`, () => note(run.record)));
    });
  }

  /** A chain, tool or retriever run: its record (given what it inherits from its parent run) and its span. */
  private startSpanRun(callback: string, runId: string, parentRunId: string | undefined, recordOf: (parent: RunParent | undefined) => RunRecord): void {
    this.guard(callback, () => {
      const place = this.tree.placement(parentRunId);
      const record = recordOf(place.parent?.inherited);
      const span = RunSpan.start(this.runtime, record, place.context);
      const scope = place.scope && !place.scope.isBound ? place.scope : undefined;
      // What runs inside the run's body from now on is the run span's child (a retriever's store query
      // knows from the kind that the documents are on this span).
      scope?.bind(span.span, record.kind);
      const graphId = record.graphNode?.id ?? place.parent?.inherited.graphId;
      const inherited = { sessionId: record.sessionId, userId: record.userId, graphId, isGraph: record.kind === 'AGENT' };
      this.tree.add({ id: runId, parentId: place.parent?.id, inherited, record, span }, scope);
    });
  }

  /**
   * A hidden run makes no span: it is in the tree (so that it stays bounded and its end finds it) with the
   * span of its nearest visible ancestor as its `anchor`, under which its children go. Its scope binds to
   * that span. Its children inherit what its parent gave, with its own session and user if it has them.
   */
  private startHiddenRun(runId: string, parentRunId: string | undefined, metadata: unknown): void {
    const place = this.tree.placement(parentRunId);
    const scope = place.scope && !place.scope.isBound ? place.scope : undefined;
    if (scope && place.span) scope.bind(place.span);
    const own = identityOf(metadata);
    const parent = place.parent?.inherited;
    const inherited = { ...parent, sessionId: own.sessionId ?? parent?.sessionId, userId: own.userId ?? parent?.userId };
    this.tree.add({ id: runId, parentId: place.parent?.id, inherited, hidden: true, anchor: place.span }, scope);
  }

  private startModelRun(runId: string, parentRunId: string | undefined, start: ModelRunStart, tags: unknown): void {
    const place = this.tree.placement(parentRunId);
    const { model, inherited } = startModelRun(this.runtime, place, start, tags);
    this.tree.add({ id: runId, parentId: place.parent?.id, inherited, model }, place.scope);
  }

  /** The run `runId` with its span, taken out of the tree; a model run under that id (a mismatch) ends abandoned. */
  private takeSpanRun(runId: string): { record: RunRecord; span: RunSpan } | undefined {
    const run = this.tree.take(runId);
    if (!run) return undefined;
    if (run.span && run.record) return { record: run.record, span: run.span };
    run.model?.abandon();
    return undefined;
  }

  /** The model run `runId`, taken out of the tree; a span run under that id (a mismatch) ends abandoned. */
  private takeModelRun(runId: string): ModelRun | undefined {
    const run = this.tree.take(runId);
    if (!run?.model) run?.span?.abandon();
    return run?.model;
  }
}

/** A run that threw: ERROR, unless it is LangGraph's control flow (then it ends unfinished). */
function endFailed(span: RunSpan, error: unknown): void {
  if (isControlFlow(error)) span.abandon();
  else span.fail(error);
}
