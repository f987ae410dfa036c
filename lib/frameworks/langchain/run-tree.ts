import { context, trace, type Context, type Span } from '@opentelemetry/api';
import { outsideRunScope, runScopeOf, type RunScope } from '../../instrumentation/run-scope';
import type { RunRecord } from '../../record/run-record';
import type { RunSpan } from '../run-span';
import type { ModelRun } from './llm-run';
import type { RunParent } from './runs';
import { MAX_OPEN_RUNS, RunTable } from './run-table';

/**
 * One open LangChain run: a span of its own (chain, agent, tool, retriever, prompt), a model run, or a
 * hidden run (no span: its children go under `anchor`, the span of its nearest visible ancestor).
 */
export interface OpenRun {
  readonly id: string;
  readonly parentId: string | undefined;
  /** What its children inherit: session, user, the graph they are in. */
  readonly inherited: RunParent;
  readonly record?: RunRecord;
  readonly span?: RunSpan;
  readonly model?: ModelRun;
  /** A hidden run (`langsmith:hidden`): it has no span; `anchor` is the span its children go under, if any. */
  readonly hidden?: boolean;
  readonly anchor?: Span;
  /** Its open children's ids: they end (abandoned) before it does. */
  children?: Set<string>;
}

/** Where a new run goes: under its parent run, else under the OTel context's span. */
export interface Placement {
  parent: OpenRun | undefined;
  /** The run scope the callback runs in, if any (the framework patch entered it around the run's body). */
  scope: RunScope | undefined;
  /** The parent span: the parent run's, else the scope's (its outer span while unbound), else the active one. */
  span: Span | undefined;
  /** A context with that span active and no run scope in it. */
  context: Context;
}

/**
 * The open runs of one handler as a tree: parented by run id, bounded (past the limit the oldest run ends
 * abandoned), and ended children first, so that no span outlives its parent or the app's `invoke()`.
 */
export class RunTree {
  private readonly table: RunTable<OpenRun>;
  /** The runs each scope is the scope of (the first run started in it, and the model runs it offered). */
  private readonly scopeRuns = new WeakMap<RunScope, string[]>();

  constructor(limit = MAX_OPEN_RUNS) {
    this.table = new RunTable(limit);
  }

  get size(): number {
    return this.table.size;
  }

  get(id: string | undefined): OpenRun | undefined {
    return this.table.get(id);
  }

  placement(parentRunId: string | undefined): Placement {
    const active = context.active();
    const scope = runScopeOf(active);
    const parent = this.table.get(parentRunId);
    let span: Span | undefined;
    if (parent) span = parent.span?.span ?? (parent.hidden ? parent.anchor : trace.getSpan(parent.model?.parentContext ?? active));
    else if (scope) span = scope.isBound ? scope.target : trace.getSpan(scope.outer);
    else span = trace.getSpan(active);
    const base = outsideRunScope(active);
    return { parent, scope, span, context: span ? trace.setSpan(base, span) : trace.deleteSpan(base) };
  }

  /** Adds a run under its parent; `scope`: the scope it is the run of. */
  add(run: OpenRun, scope: RunScope | undefined): void {
    // A run id started again (an app's own `runId` reused) must not leave the first run's span open.
    const previous = this.table.get(run.id);
    if (previous) this.abandon(previous);
    const evicted = this.table.add(run.id, run);
    if (evicted) this.abandon(evicted);
    const parent = this.table.get(run.parentId);
    if (parent) (parent.children ??= new Set()).add(run.id);
    if (scope) {
      const runs = this.scopeRuns.get(scope);
      if (runs) runs.push(run.id);
      else this.scopeRuns.set(scope, [run.id]);
    }
  }

  /** Takes an ending run out of the tree; its children still open end first, abandoned. */
  take(id: string): OpenRun | undefined {
    const run = this.table.get(id);
    if (!run) return undefined;
    this.remove(run);
    return run;
  }

  /** Ends the runs of `scope` and everything open below them, abandoned. */
  abandonScope(scope: RunScope): void {
    for (const id of this.scopeRuns.get(scope) ?? []) {
      const run = this.table.get(id);
      if (run) this.abandon(run);
    }
    this.scopeRuns.delete(scope);
  }

  private abandon(run: OpenRun): void {
    this.remove(run);
    run.span?.abandon();
    run.model?.abandon();
  }

  private remove(run: OpenRun): void {
    this.table.delete(run.id);
    if (run.children) {
      for (const childId of run.children) {
        const child = this.table.get(childId);
        if (child) this.abandon(child);
      }
      run.children = undefined;
    }
    this.table.get(run.parentId)?.children?.delete(run.id);
  }
}
