/**
 * The AI SDK's telemetry integrations live in one global list (`registerTelemetry` pushes to it; ai 6 and 7
 * read it on every call). We add a small integration of our own to it, only for what the tracing channel
 * does not carry: a streamed model call's answer, which the SDK reports in `onLanguageModelCallEnd` when
 * the stream has been read; a streamed run's final text (`onEnd`); a streamed run's failure or abort
 * (`onError`, `onAbort`: its channel contexts then never settle); each request of an embed operation
 * (`onEmbedStart`, `onEmbedEnd`); and generateObject/streamObject, which publish nothing on the channel. We never import `ai` for it.
 */
import { diag } from '@opentelemetry/api';

const INTEGRATIONS = 'AI_SDK_TELEMETRY_INTEGRATIONS';

type GlobalWithIntegrations = typeof globalThis & { [INTEGRATIONS]?: unknown };

/** Where the integration's callbacks go; each receives the SDK's event as it is. */
export interface IntegrationEvents {
  onStart(event: unknown): void;
  onModelCallEnd(event: unknown): void;
  onObjectStepStart(event: unknown): void;
  onObjectStepEnd(event: unknown): void;
  onEmbedStart(event: unknown): void;
  onEmbedEnd(event: unknown): void;
  onRunEnd(event: unknown): void;
  onRunError(event: unknown): void;
  onRunAbort(event: unknown): void;
}

/**
 * Our entry in the SDK's integration list. The SDK awaits integration callbacks and ignores their errors;
 * ours never throw anyway (the receiver guards each one).
 */
export class InfiniumAiSdkIntegration {
  constructor(private readonly events: IntegrationEvents) {}

  onStart(event: unknown): void {
    this.events.onStart(event);
  }

  onLanguageModelCallEnd(event: unknown): void {
    this.events.onModelCallEnd(event);
  }

  onObjectStepStart(event: unknown): void {
    this.events.onObjectStepStart(event);
  }

  onObjectStepEnd(event: unknown): void {
    this.events.onObjectStepEnd(event);
  }

  onEmbedStart(event: unknown): void {
    this.events.onEmbedStart(event);
  }

  onEmbedEnd(event: unknown): void {
    this.events.onEmbedEnd(event);
  }

  onEnd(event: unknown): void {
    this.events.onRunEnd(event);
  }

  onError(event: unknown): void {
    this.events.onRunError(event);
  }

  onAbort(event: unknown): void {
    this.events.onRunAbort(event);
  }
}

function integrations(create: boolean): unknown[] | undefined {
  const g = globalThis as GlobalWithIntegrations;
  if (!Array.isArray(g[INTEGRATIONS])) {
    if (!create) return undefined;
    g[INTEGRATIONS] = [];
  }
  return g[INTEGRATIONS] as unknown[];
}

export function addIntegration(integration: object): void {
  const list = integrations(true)!;
  if (!list.includes(integration)) list.push(integration);
}

export function removeIntegration(integration: object): void {
  const list = integrations(false);
  const index = list ? list.indexOf(integration) : -1;
  if (list && index >= 0) list.splice(index, 1);
}

/**
 * True when `@ai-sdk/otel` (`new OpenTelemetry()` or `new LegacyOpenTelemetry()`) is registered globally:
 * it writes its own spans for every operation, so ours stand down and the span processor gives its spans
 * their OpenInference kinds (one span per model call, never two).
 */
export function otelIntegrationRegistered(): boolean {
  return otelIntegrations().length > 0;
}

function otelIntegrations(): object[] {
  const list = integrations(false) ?? [];
  return list.filter((integration): integration is object => {
    const name = (integration as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return name === 'OpenTelemetry' || name === 'LegacyOpenTelemetry';
  });
}

/**
 * A streamText run the app dropped, whose spans `@ai-sdk/otel` writes: its `onAbort` (the callback the SDK
 * calls for an aborted run) ends the spans it keeps for the run, which nothing else could reach. It ignores
 * a run it no longer knows.
 */
export function abortOtelRun(callId: string): void {
  for (const integration of otelIntegrations()) {
    const onAbort = (integration as { onAbort?: unknown }).onAbort;
    if (typeof onAbort !== 'function') continue;
    try {
      onAbort.call(integration, { callId, steps: [] });
    } catch (err) {
      diag.debug('@infinium/otel: @ai-sdk/otel could not end a dropped run', err);
    }
  }
}
