import type { AsyncLocalStorage } from 'node:async_hooks';
import { context, Context } from '@opentelemetry/api';
import { isTracingSuppressed } from '../../compat/sdk-shared';
import type { CallRuntime } from '../../instrumentation/llm-call';
import { asRecord, asString, Json } from '../../record/read';
import { IntegrationEvents, otelIntegrationRegistered } from './integration';
import { DroppedRuns } from './dropped-runs';
import { EmbedCalls, isEmbed } from './embed-calls';
import { ObjectRuns } from './object-runs';
import { Entry as RunEntry, OpenRuns } from './open-runs';
import { contextOf, finishOperation, putAgentOutput, readSafely, startOperation } from './operations';
import { readModelResponse } from './records';

export type Message = { type?: unknown; event?: unknown; result?: unknown; error?: unknown };

export interface Entry extends RunEntry {
  context: Context;
  /** The span's context could not be made the OTel active context: children find their parent through us. */
  detached: boolean;
}

/**
 * The spans of ai 7's operations, from the messages `AiSdkChannel` (channel.ts) receives and the events of
 * our integration. Loaded at the first message or event: an app without ai 7 never loads it, nor the
 * span, record and render code under it. Its callers guard every call (a subscriber must never throw).
 */
export class ChannelRuns {
  private readonly entries = new WeakMap<object, Entry | null>();
  private readonly throughOtel = new WeakSet<object>();
  private readonly runs = new OpenRuns();
  private readonly dropped = new DroppedRuns((callId) => this.abandonRun(callId));
  private readonly objects: ObjectRuns;
  private readonly embeds: EmbedCalls;

  /** What each event of our integration does, by the integration's name for it. */
  readonly integrationEvents: { readonly [K in keyof IntegrationEvents]: (e: Json) => void } = {
    onStart: (e) => this.objects.start(e),
    onModelCallEnd: (e) => this.endModelCall(e),
    onObjectStepStart: (e) => this.objects.stepStart(e),
    onObjectStepEnd: (e) => this.objects.stepEnd(e),
    onEmbedStart: (e) => this.embeds.start(e),
    onEmbedEnd: (e) => this.embeds.end(e),
    onRunEnd: (e) => this.endRun(e),
    onRunError: (e) => this.endRunEarly(e, e.error ?? new Error('AI SDK operation failed')),
    onRunAbort: (e) => this.endRunEarly(e, undefined),
  };

  constructor(private readonly runtime: CallRuntime, private readonly own: AsyncLocalStorage<Entry | undefined>) {
    this.objects = new ObjectRuns(runtime, this.runs);
    this.embeds = new EmbedCalls(runtime, this.runs);
  }

  /** A message seen first by the OTel storage's transform: its span can be the OTel active context. */
  openThroughOtel(message: Message): Entry | undefined {
    this.throughOtel.add(message);
    return this.open(message);
  }

  /** The span of a message, started on first sight (a store transform, else the `start` event). */
  open(message: Message): Entry | undefined {
    const known = this.entries.get(message);
    if (known !== undefined) return known ?? undefined;
    const event = asRecord(message.event);
    const type = asString(message.type);
    const parentEntry = this.own.getStore();
    const detached = !this.throughOtel.has(message) || parentEntry?.detached === true;
    const parent = detached ? parentEntry?.context ?? context.active() : context.active();
    let entry: Entry | null = null;
    const theirs = otelIntegrationRegistered();
    if (event && type && !isTracingSuppressed(parent) && !theirs) {
      const traced = startOperation(this.runtime, type, event, parent);
      if (traced) entry = { type, callId: asString(event.callId), traced, context: contextOf(traced), detached };
    }
    this.entries.set(message, entry);
    if (entry) this.runs.add(entry);
    const callId = asString(event?.callId);
    if (type === 'streamText' && callId !== undefined && (entry || theirs)) this.dropped.watch(message, callId, !entry);
    return entry ?? undefined;
  }

  close(message: Message): void {
    const entry = this.entries.get(message);
    if (!entry) return this.settledElsewhere(message);
    const result = asRecord(message.result);
    if (entry.type === 'languageModelCall' && (!result || 'stream' in result) && entry.traced.call && entry.callId) {
      // The result is the stream object, or was withheld (recordInputs/recordOutputs false): the answer
      // comes with onLanguageModelCallEnd, at the end of the stream; the call's span ends then.
      this.runs.waitForAnswer(entry.callId, entry.traced.call);
      return;
    }
    this.runs.settleWaiting(entry);
    finishOperation(entry.type, entry.traced, message.result);
    this.runs.ended(entry);
    if (isEmbed(entry.type)) this.embeds.forget(entry.callId);
  }

  fail(message: Message): void {
    const entry = this.entries.get(message);
    if (!entry) return this.settledElsewhere(message);
    this.runs.settleWaiting(entry, message.error);
    if (entry.traced.call) entry.traced.call.fail(message.error);
    else entry.traced.op.fail(message.error);
    this.runs.ended(entry, message.error);
    if (isEmbed(entry.type)) this.embeds.forget(entry.callId);
  }

  /** `onLanguageModelCallEnd`: the answer of a model call whose span waited for it. */
  private endModelCall(e: Json): void {
    const callId = asString(e.callId);
    const call = callId === undefined ? undefined : this.runs.takeWaiting(callId);
    if (!call) return;
    readSafely(() => readModelResponse(call.record, e));
    call.succeed();
  }

  /** `onEnd`: an object run ends here; a text run's span gets its final text (the channel ends it). */
  private endRun(e: Json): void {
    if (this.objects.end(e)) return;
    const callId = asString(e.callId);
    const op = callId === undefined ? undefined : this.runs.run(callId)?.traced.op;
    if (op && e.recordOutputs !== false) putAgentOutput(op, e);
  }

  /**
   * `onError`/`onAbort`: a streamed run failed mid-way or was aborted, and ai 7 then never settles the
   * run's and the step's channel contexts: the run and all it left open end here (failed, or abandoned).
   * For generateText the channel's own error follows and finds everything already ended.
   */
  private endRunEarly(e: Json, error: unknown): void {
    if (error !== undefined && this.objects.error(e)) return;
    const callId = asString(e.callId);
    const run = callId === undefined ? undefined : this.runs.run(callId);
    const op = run?.traced.op;
    if (!run || !op) return;
    // What the run left open ends first, so that the run's roll-up counts its model calls.
    this.runs.ended(run, error);
    if (error === undefined) op.abandon();
    else op.fail(error);
  }

  /** A run `@ai-sdk/otel` traces (ours stood down) settled: it needs no end from `dropped`. */
  private settledElsewhere(message: Message): void {
    const callId = message.type === 'streamText' ? asString(asRecord(message.event)?.callId) : undefined;
    if (callId !== undefined) this.dropped.settled(callId);
  }

  /** A streamText run's message was collected while the run was open: the app dropped it (`DroppedRuns`). */
  private abandonRun(callId: string): void {
    const run = this.runs.run(callId);
    if (!run?.traced.op) return;
    this.runs.ended(run);
    run.traced.op.abandon();
  }
}
