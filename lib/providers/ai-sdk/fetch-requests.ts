import * as diagnostics from 'node:diagnostics_channel';
import { context, diag, trace } from '@opentelemetry/api';
import { isAiSdkAbort } from './abort';

/** What a watched request reports to the model call that made it. */
export interface RequestOwner {
  /** The connection dropped after a 2xx answer had begun: the answer will never be read to its end. */
  dropped(error: unknown): void;
}

const CHANNELS = {
  create: 'undici:request:create',
  headers: 'undici:request:headers',
  error: 'undici:request:error',
  trailers: 'undici:request:trailers',
} as const;

type Message = { request?: unknown; response?: { statusCode?: unknown }; error?: unknown };

/** A class, not a literal per request: see the note on allocation sites in lib/instrumentation/stream-wrapper.ts. */
class Watched {
  answered = false;
  constructor(readonly owner: RequestOwner) {}
}

/**
 * The HTTP requests made while a model call's span is the active context, seen through undici's diagnostics
 * channels (Node's `fetch`, which the AI SDK providers call by default). Only a connection that drops after
 * a 2xx answer began is reported: a request that fails before its answer is the SDK's to report (it ends its
 * own span, and may retry), and so is the app's abort, an `AbortSignal.timeout` included (`isAiSdkAbort`: the call
 * ends with its run, abandoned). Requests are keyed by undici's request object, so concurrent calls never mix.
 * Subscribed on first use and for the life of the process: with no owner found, a request costs one lookup.
 */
export class FetchRequests {
  private readonly watched = new WeakMap<object, Watched>();
  private subscribed = false;

  /** `ownerOf` names the owner of a request from the span active when it is made (none: not watched). */
  constructor(private readonly ownerOf: (span: object) => RequestOwner | undefined) {}

  subscribe(): void {
    if (this.subscribed) return;
    this.subscribed = true;
    try {
      diagnostics.subscribe(CHANNELS.create, this.onCreate);
      diagnostics.subscribe(CHANNELS.headers, this.onHeaders);
      diagnostics.subscribe(CHANNELS.error, this.onError);
      diagnostics.subscribe(CHANNELS.trailers, this.onTrailers);
    } catch (err) {
      diag.debug('@infinium/otel: could not watch fetch requests', err);
    }
  }

  // Channel subscribers must never throw: undici would throw into the request. Each one is guarded.
  private readonly onCreate = (message: unknown): void =>
    this.guard(message, (request) => {
      const span = trace.getSpan(context.active());
      const owner = span === undefined ? undefined : this.ownerOf(span);
      if (owner) this.watched.set(request, new Watched(owner));
    });

  private readonly onHeaders = (message: unknown): void =>
    this.guard(message, (request, m) => {
      const watched = this.watched.get(request);
      const status = m.response?.statusCode;
      if (watched) watched.answered = typeof status === 'number' && status >= 200 && status < 300;
    });

  private readonly onError = (message: unknown): void =>
    this.guard(message, (request, m) => {
      const watched = this.watched.get(request);
      this.watched.delete(request);
      if (watched?.answered && !isAiSdkAbort(m.error)) watched.owner.dropped(m.error);
    });

  private readonly onTrailers = (message: unknown): void => this.guard(message, (request) => this.watched.delete(request));

  private guard(message: unknown, handle: (request: object, m: Message) => void): void {
    try {
      const m = message as Message;
      if (m !== null && typeof m === 'object' && m.request !== null && typeof m.request === 'object') handle(m.request, m);
    } catch (err) {
      diag.debug('@infinium/otel: fetch request event skipped', err);
    }
  }
}
