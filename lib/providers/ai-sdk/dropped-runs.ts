import { diag } from '@opentelemetry/api';
import { abortOtelRun } from './integration';

/**
 * streamText runs the app may drop. ai 7 keeps a run's channel message until it publishes the run's end, so
 * a message collected while its run is still open means the run can never end: the app dropped its stream.
 * The run then ends here, abandoned: ours through `abandon`, `@ai-sdk/otel`'s (when it is registered and
 * ours stand down) through its own `onAbort`, the one way in to the spans it keeps. Keyed by the run's
 * `callId`, so concurrent runs never mix.
 */
export class DroppedRuns {
  /** `@ai-sdk/otel` runs not yet settled on the channel. */
  private readonly theirs = new Set<string>();
  private readonly registry = new FinalizationRegistry<string>((callId) => this.collected(callId));

  constructor(private readonly abandon: (callId: string) => void) {}

  /** A streamText run's message, once: ours to end (`theirs` false), or `@ai-sdk/otel`'s. */
  watch(message: object, callId: string, theirs: boolean): void {
    if (theirs) this.theirs.add(callId);
    this.registry.register(message, callId);
  }

  /** An `@ai-sdk/otel` run settled on the channel: it ended by itself. */
  settled(callId: string): void {
    this.theirs.delete(callId);
  }

  // A finalizer must never throw.
  private collected(callId: string): void {
    try {
      if (this.theirs.delete(callId)) abortOtelRun(callId);
      else this.abandon(callId);
    } catch (err) {
      diag.debug('@infinium/otel: could not end a dropped AI SDK run', err);
    }
  }
}
