import { diag } from '@opentelemetry/api';
import type { LlmCall } from '../../instrumentation/llm-call';
import { isThenable } from '../../instrumentation/trace-call';

/** The parts of a Stainless `APIPromise` (OpenAI, Anthropic, Groq) we rely on. */
export interface StainlessApiPromise {
  responsePromise: PromiseLike<unknown>;
  parse(): unknown;
  asResponse(): unknown;
  _thenUnwrap(transform: unknown): unknown;
  [CALL]?: ObservedCall;
}

/**
 * Called once with the parsed result: it reads it into the record and ends the call. `error` is set when the
 * SDK's own post-processing of the parsed data failed (`parse()` helpers): the call then ends with that error.
 */
export type ResultHandler = (data: unknown, error?: unknown) => void;

/** Private to this copy of the package: another copy patches the same prototype with its own symbol. */
export const CALL = Symbol('@infinium/otel APIPromise call');
const NOTHING = Symbol('nothing');

const ignore = (): void => undefined;

/**
 * What one traced call knows about its APIPromise(s): who asked for what, and when the response arrived.
 * One small object per call; the closures on promise reactions hold it and nothing else.
 */
export class ObservedCall {
  /** Someone put a reaction on `responsePromise` (`parse`, `asResponse`, `_responseProps`): its rejection is theirs. */
  attached = false;
  parseRequested = false;
  rawRequested = false;
  arrivedAt: number | undefined;
  /** The response before a `_thenUnwrap` transform changed it (a `parse()` helper's input). */
  unwrapped: unknown = NOTHING;
  /**
   * The newest APIPromise of this request (the one `create` returned, or a `_thenUnwrap` helper's built on
   * it): the one we parse if nobody has asked for the response when it arrives. Let go of at arrival.
   */
  target: StainlessApiPromise | undefined;
  /** An unread copy of a response we parsed ourselves, for an app that asks for the raw response later. */
  spare: unknown;
  /** Our reaction on `responsePromise`. It rejects, unhandled, only for a failure nobody had asked about. */
  mirror: PromiseLike<void> | undefined;
  private rejectedUnasked = false;

  constructor(readonly call: LlmCall, readonly onResult: ResultHandler, readonly streaming: boolean) {}

  /**
   * A reaction was put on `responsePromise`. If it had already failed with nobody asking, our copy of that
   * rejection is handled now, as the SDK's own would be (Node reports `rejectionHandled` in both cases).
   */
  noteAttached(): void {
    if (this.attached) return;
    this.attached = true;
    if (this.rejectedUnasked) this.mirror?.then(undefined, ignore);
  }

  /**
   * The app asked for the parsed answer (`then`, `parse()`), which puts a reaction on `responsePromise`. True
   * the first time: the caller then reads the answer for the span; later askers pass straight through.
   */
  claimReading(): boolean {
    this.noteAttached();
    if (this.parseRequested) return false;
    this.parseRequested = true;
    return true;
  }

  /**
   * HTTP or network error. Without us, an APIPromise nobody asked for leaves its `responsePromise` rejected
   * with no handler: an unhandled rejection. Our reaction handles that promise, so it rethrows, and our
   * promise is then the unhandled one, with the same error: the app's process behaves as without us.
   */
  responseFailed(error: unknown): void {
    try {
      this.call.fail(error);
    } catch (err) {
      diag.debug('@infinium/otel: could not end a failed call', err);
    }
    if (this.attached) return;
    this.rejectedUnasked = true;
    throw error;
  }

  /**
   * The parsed answer. Never throws, nor does `parseFailed`: each runs inside the app's own `then` handler
   * (api-promise-patch.ts) or in a reaction of ours that nobody handles (`watchParsed`).
   */
  readParsed(data: unknown): void {
    try {
      this.handle(this.unwrapped === NOTHING ? data : this.unwrapped, undefined);
    } catch (err) {
      diag.debug('@infinium/otel: could not read an LLM response', err);
    }
  }

  /** The parse failed. After a transform got the data, the error is the transform's: keep the data too. */
  parseFailed(error: unknown): void {
    try {
      if (this.unwrapped === NOTHING || this.call.isEnded) this.call.fail(error);
      else this.handle(this.unwrapped, error);
    } catch (err) {
      diag.debug('@infinium/otel: could not end a failed call', err);
    }
  }

  /** The raw response was asked for and has arrived, and nothing parses it: the call is over. */
  endIfRawOnly(): void {
    if (this.rawRequested && !this.parseRequested && this.arrivedAt !== undefined) this.call.succeed(this.arrivedAt);
  }

  private handle(data: unknown, error: unknown): void {
    if (this.call.isEnded) return;
    try {
      this.onResult(data, error);
    } catch (err) {
      diag.debug('@infinium/otel: could not read an LLM response', err);
      if (error === undefined) this.call.succeed();
      else this.call.fail(error);
    }
  }
}

/** In its own function, so that the reaction's closures hold the `ObservedCall` and nothing else. */
export function watchParsed(parsed: unknown, observed: ObservedCall): void {
  if (!isThenable(parsed)) return observed.readParsed(parsed);
  parsed.then(
    (data) => observed.readParsed(data),
    (error: unknown) => observed.parseFailed(error),
  );
}

export function isStainlessApiPromise(value: unknown): value is StainlessApiPromise {
  if (!isThenable(value)) return false;
  const p = value as unknown as Partial<StainlessApiPromise>;
  return (
    isThenable(p.responsePromise) &&
    typeof p.parse === 'function' &&
    typeof p.asResponse === 'function' &&
    typeof p._thenUnwrap === 'function' &&
    typeof (p as { parseResponse?: unknown }).parseResponse === 'function'
  );
}
