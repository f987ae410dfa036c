import type { LlmCall } from '../../instrumentation/llm-call';
import type { OperationSpan } from './operation-span';
import type { Traced } from './operations';
import { isAiSdkAbort } from './abort';

/** One traced channel message. */
export interface Entry {
  type: string;
  /** The run's id (`callId`), shared by the run, its steps, model calls and tools. */
  callId: string | undefined;
  traced: Traced;
}

/** Runs tracked at once; beyond it the oldest is ended as abandoned (a run that never ends must not hold memory). */
export const MAX_OPEN_RUNS = 1000;

/**
 * The open operations of each run, by its callId: the run's own span (for its final text), the model call
 * waiting for its answer (`onLanguageModelCallEnd`), and whatever the run's end must close if it never
 * reported its own end (an aborted streamText never settles its step). Every span ends.
 */
export class OpenRuns {
  private readonly open = new Map<string, Set<Entry>>();
  private readonly runs = new Map<string, Entry>();
  private readonly waiting = new Map<string, LlmCall>();

  constructor(private readonly max = MAX_OPEN_RUNS) {}

  get size(): number {
    return this.open.size;
  }

  add(entry: Entry): void {
    const callId = entry.callId;
    if (callId === undefined) return;
    if (entry.traced.op && isRun(entry.type)) this.runs.set(callId, entry);
    let open = this.open.get(callId);
    if (!open) {
      this.open.set(callId, (open = new Set()));
      if (this.open.size > this.max) this.endRun(this.open.keys().next().value as string, undefined);
    }
    open.add(entry);
  }

  /** The run (generateText, streamText, generateObject, streamObject, embed, embedMany) of a callId, while it is open. */
  run(callId: string): Entry | undefined {
    return this.runs.get(callId);
  }

  /** The model call's span ends when its answer comes (`takeWaiting`), or with its step or run. */
  waitForAnswer(callId: string, call: LlmCall): void {
    this.waiting.set(callId, call);
  }

  takeWaiting(callId: string): LlmCall | undefined {
    const call = this.waiting.get(callId);
    this.waiting.delete(callId);
    return call;
  }

  /** A step or run ended while its model call still waited for its answer: it ends with what it has. */
  settleWaiting(entry: Entry, error?: unknown): void {
    if (entry.type === 'languageModelCall' || entry.callId === undefined) return;
    const call = this.takeWaiting(entry.callId);
    if (!call) return;
    if (error === undefined) call.succeed();
    else endLeftover(call, error);
  }

  /** An operation ended; when it is the run (or the run's last one), whatever is left of the run ends too. */
  ended(entry: Entry, error?: unknown): void {
    const callId = entry.callId;
    if (callId === undefined) return;
    const open = this.open.get(callId);
    open?.delete(entry);
    if (!isRun(entry.type) && open?.size) return;
    this.endRun(callId, error);
  }

  private endRun(callId: string, error: unknown): void {
    const open = this.open.get(callId);
    this.open.delete(callId);
    this.runs.delete(callId);
    const call = this.takeWaiting(callId);
    if (call) endLeftover(call, error);
    // Innermost first (a model call before its step, a step before its run): a span's end sees its children's.
    for (const left of [...(open ?? [])].reverse()) endLeftover(left.traced.call ?? left.traced.op, error);
  }
}

/** A run: generateText, streamText, an object run, or an embed operation (its requests are its calls). */
export function isRun(type: string): boolean {
  return type === 'generateText' || type === 'streamText' || type === 'embed' || type === 'embedMany' || isObjectRun(type);
}

export function isObjectRun(type: string): boolean {
  return type === 'generateObject' || type === 'streamObject';
}

function endLeftover(span: LlmCall | OperationSpan, error: unknown): void {
  if (error === undefined || isAiSdkAbort(error)) span.abandon();
  else span.fail(error);
}
