import { AsyncLocalStorage } from 'node:async_hooks';
import * as diagnostics from 'node:diagnostics_channel';
import { context, Context, diag } from '@opentelemetry/api';
import type { CallRuntime } from '../../instrumentation/llm-call';
import { asRecord, Json } from '../../record/read';
import type * as ChannelRunsModule from './channel-runs';
import type { ChannelRuns, Entry, Message } from './channel-runs';
import { addIntegration, InfiniumAiSdkIntegration, IntegrationEvents, removeIntegration } from './integration';
import { contextStorage } from './context-storage';

/** The channel ai 7 publishes every operation on (`AI_SDK_TELEMETRY_TRACING_CHANNEL`). */
export const AI_SDK_TELEMETRY_CHANNEL = 'ai:telemetry';

/**
 * Subscribes to ai 7's `ai:telemetry` tracing channel and turns its messages into spans. Each message is one
 * operation: `start` opens its span, `asyncEnd` ends it with the result, `error` fails it. The span's context
 * is bound to the channel's `start` stores, so what runs inside the operation (the provider's fetch, a tool's
 * own spans, nested AI SDK operations) has it as parent. Subscribers must never throw (the channel would
 * rethrow into the app), so every handler is guarded. The spans are made by `ChannelRuns` (channel-runs.ts),
 * loaded at the first message or integration event: subscribing costs an app without ai 7 this file only.
 */
export class AiSdkChannel {
  private readonly own = new AsyncLocalStorage<Entry | undefined>();
  private loadedRuns: ChannelRuns | undefined;
  private readonly integration = new InfiniumAiSdkIntegration({
    onStart: this.forward('onStart'),
    onModelCallEnd: this.forward('onModelCallEnd'),
    onObjectStepStart: this.forward('onObjectStepStart'),
    onObjectStepEnd: this.forward('onObjectStepEnd'),
    onEmbedStart: this.forward('onEmbedStart'),
    onEmbedEnd: this.forward('onEmbedEnd'),
    onRunEnd: this.forward('onRunEnd'),
    onRunError: this.forward('onRunError'),
    onRunAbort: this.forward('onRunAbort'),
  });
  private channel: diagnostics.TracingChannel<unknown, object> | undefined;
  private otelStorage: AsyncLocalStorage<Context> | undefined;

  constructor(private readonly runtime: CallRuntime) {}

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
    this.guard(() => this.runs().open(message as Message), undefined) ?? this.own.getStore();

  // A store transform that throws would be rethrown into the app by the channel: both are guarded.
  private readonly otelTransform = (message: unknown): Context =>
    this.guard(() => this.runs().openThroughOtel(message as Message), undefined)?.context ?? context.active();

  private readonly handlers = {
    start: (message: unknown) => this.guard(() => {
      this.runs().open(message as Message);
      this.bindOtelStorage();
    }),
    end: () => {},
    asyncStart: () => {},
    asyncEnd: (message: unknown) => this.guard(() => this.runs().close(message as Message)),
    error: (message: unknown) => this.guard(() => this.runs().fail(message as Message)),
  };

  /** The span code, loaded at the first message or event (a failed load is guarded like any handler). */
  private runs(): ChannelRuns {
    if (!this.loadedRuns) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { ChannelRuns } = require('./channel-runs') as typeof ChannelRunsModule;
      this.loadedRuns = new ChannelRuns(this.runtime, this.own);
    }
    return this.loadedRuns;
  }

  /** An integration event, handed to the span code under the guard. */
  private forward(name: keyof IntegrationEvents): (event: unknown) => void {
    return (event) => this.withEvent(event, (e) => this.runs().integrationEvents[name](e));
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
