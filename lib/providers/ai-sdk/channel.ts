import { AsyncLocalStorage } from 'node:async_hooks';
import * as diagnostics from 'node:diagnostics_channel';
import { context, Context, diag } from '@opentelemetry/api';
import { isTracingSuppressed } from '../../compat/sdk-shared';
import type { CallRuntime } from '../../instrumentation/llm-call';
import { asRecord, asString, Json } from '../../record/read';
import { addIntegration, InfiniumAiSdkIntegration, otelIntegrationRegistered, removeIntegration } from './integration';
import { DroppedRuns } from './dropped-runs';
import { EmbedCalls, isEmbed } from './embed-calls';
import { ObjectRuns } from './object-runs';
import { Entry as RunEntry, OpenRuns } from './open-runs';
import { contextOf, finishOperation, putAgentOutput, readSafely, startOperation } from './operations';
import { readModelResponse } from './records';
import { contextStorage } from './context-storage';

/** The channel ai 7 publishes every operation on (`AI_SDK_TELEMETRY_TRACING_CHANNEL`). */
export const AI_SDK_TELEMETRY_CHANNEL = 'ai:telemetry';

type Message = { type?: unknown; event?: unknown; result?: unknown; error?: unknown };

interface Entry extends RunEntry {
  context: Context;
  /** The span's context could not be made the OTel active context: children find their parent through us. */
  detached: boolean;
}

/**
 * Subscribes to ai 7's `ai:telemetry` tracing channel and turns its messages into spans. Each message is one
 * operation: `start` opens its span, `asyncEnd` ends it with the result, `error` fails it. The span's context
 * is bound to the channel's `start` stores, so what runs inside the operation (the provider's fetch, a tool's
 * own spans, nested AI SDK operations) has it as parent. Subscribers must never throw (the channel would
 * rethrow into the app), so every handler is guarded.
 */
export class AiSdkChannel {
  private readonly own = new AsyncLocalStorage<Entry | undefined>();
  private readonly entries = new WeakMap<object, Entry | null>();
  private readonly throughOtel = new WeakSet<object>();
  private readonly runs = new OpenRuns();
  private readonly dropped = new DroppedRuns((callId) => this.abandonRun(callId));
  private readonly objects: ObjectRuns;
  private readonly embeds: EmbedCalls;
  private readonly integration = new InfiniumAiSdkIntegration({
    onStart: (event) => this.withEvent(event, (e) => this.objects.start(e)),
    onModelCallEnd: (event) => this.withEvent(event, (e) => this.endModelCall(e)),
    onObjectStepStart: (event) => this.withEvent(event, (e) => this.objects.stepStart(e)),
    onObjectStepEnd: (event) => this.withEvent(event, (e) => this.objects.stepEnd(e)),
    onEmbedStart: (event) => this.withEvent(event, (e) => this.embeds.start(e)),
    onEmbedEnd: (event) => this.withEvent(event, (e) => this.embeds.end(e)),
    onRunEnd: (event) => this.withEvent(event, (e) => this.endRun(e)),
    onRunError: (event) => this.withEvent(event, (e) => this.endRunEarly(e, e.error ?? new Error('AI SDK operation failed'))),
    onRunAbort: (event) => this.withEvent(event, (e) => this.endRunEarly(e, undefined)),
  });
  private channel: diagnostics.TracingChannel<unknown, object> | undefined;
  private otelStorage: AsyncLocalStorage<Context> | undefined;

  constructor(private readonly runtime: CallRuntime) {
    this.objects = new ObjectRuns(runtime, this.runs);
    this.embeds = new EmbedCalls(runtime, this.runs);
  }

  enable(): void {
    if (this.channel) return;
    try {
      const channel = diagnostics.tracingChannel<unknown, object>(AI_SDK_TELEMETRY_CHANNEL);
      channel.start.bindStore(this.own as AsyncLocalStorage<unknown>, this.ownTransform);
      channel.subscribe(this.handlers);
      this.channel = channel;
      this.bindOtelStorage();
      addIntegration(this.integration);
    } catch (err) {
      diag.debug('@infinium/otel: could not subscribe to the AI SDK telemetry channel', err);
    }
  }

  disable(): void {
    const channel = this.channel;
    if (!channel) return;
    this.channel = undefined;
    removeIntegration(this.integration);
    try {
      channel.unsubscribe(this.handlers);
      channel.start.unbindStore(this.own as AsyncLocalStorage<unknown>);
      if (this.otelStorage) channel.start.unbindStore(this.otelStorage as AsyncLocalStorage<unknown>);
    } catch (err) {
      diag.debug('@infinium/otel: could not unsubscribe from the AI SDK telemetry channel', err);
    }
    this.otelStorage = undefined;
  }

  /**
   * Binds the OTel context manager's storage, so our span is the active context inside the operation. The
   * app may register its context manager after enabling us (NodeSDK does), so this is checked again at each
   * message; bound last, its transform runs first and sees the caller's context.
   */
  private bindOtelStorage(): void {
    const storage = contextStorage();
    if (!this.channel || storage === this.otelStorage) return;
    if (this.otelStorage) this.channel.start.unbindStore(this.otelStorage as AsyncLocalStorage<unknown>);
    this.otelStorage = storage;
    if (storage) this.channel.start.bindStore(storage as AsyncLocalStorage<unknown>, this.otelTransform);
  }

  private readonly ownTransform = (message: unknown): Entry | undefined =>
    this.guard(() => this.open(message as Message), undefined) ?? this.own.getStore();

  // A store transform that throws would be rethrown into the app by the channel: both are guarded.
  private readonly otelTransform = (message: unknown): Context =>
    this.guard(() => {
      this.throughOtel.add(message as object);
      return this.open(message as Message);
    }, undefined)?.context ?? context.active();

  private readonly handlers = {
    start: (message: unknown) => this.guard(() => {
      this.open(message as Message);
      this.bindOtelStorage();
    }),
    end: () => {},
    asyncStart: () => {},
    asyncEnd: (message: unknown) => this.guard(() => this.close(message as Message)),
    error: (message: unknown) => this.guard(() => this.fail(message as Message)),
  };

  /** The span of a message, started on first sight (a store transform, else the `start` event). */
  private open(message: Message): Entry | undefined {
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

  private close(message: Message): void {
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

  private fail(message: Message): void {
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

  private withEvent(event: unknown, handle: (e: Json) => void): void {
    const e = asRecord(event);
    if (e) this.guard(() => handle(e));
  }

  private guard<T>(fn: () => T): T | undefined;
  private guard<T>(fn: () => T, fallback: T): T;
  private guard<T>(fn: () => T, fallback?: T): T | undefined {
    try {
      return fn();
    } catch (err) {
      diag.debug('@infinium/otel: AI SDK telemetry message skipped', err);
      return fallback;
    }
  }
}
