/**
 * How the fake servers (SSE, NDJSON, AWS event stream) send a streamed body, frame by frame. Shared so
 * that each fake only says how to write a frame and how to cut its connection.
 *
 * Tests that must stop a stream part-way (abort, break) use `holdAfter`, never a delay: a delay only
 * keeps the next frame back if the event loop is not starved for longer than the delay, and on a busy
 * machine it is, so two frames arrive in one read and the SDK yields the second after the abort.
 */
export interface Pacing {
  /** After this many frames, everything written is flushed, then the connection is cut (`cut`). */
  dropAfter?: number;
  /** After this many frames, nothing more is sent until the client goes away (its abort or break). */
  holdAfter?: number;
  /** Milliseconds to wait after each frame: only where a test needs time to pass, never for ordering. */
  delayMs?: number;
}

/** Where the frames go: one HTTP/1 response or one HTTP/2 stream. */
export interface FrameSink {
  /** Writes one frame; resolves once it has been handed to the socket. */
  write(frame: string | Uint8Array): Promise<void>;
  /** True once the client has closed or reset the connection or stream. */
  gone(): boolean;
  /** Resolves when the client goes away. */
  whenGone(): Promise<void>;
}

/** How a paced body ended: all sent, cut by `dropAfter` (the caller cuts), or the client went away. */
export type PacedEnd = 'complete' | 'drop' | 'gone';

export async function writePaced(frames: ReadonlyArray<string | Uint8Array>, sink: FrameSink, pacing: Pacing): Promise<PacedEnd> {
  let lastWrite: Promise<void> = Promise.resolve();
  for (let i = 0; i < frames.length; i++) {
    if (sink.gone()) return 'gone';
    if (pacing.dropAfter !== undefined && i >= pacing.dropAfter) {
      // What was written must reach the client before the cut, or it never sees those frames.
      await lastWrite;
      return 'drop';
    }
    if (pacing.holdAfter !== undefined && i >= pacing.holdAfter) {
      await sink.whenGone();
      return 'gone';
    }
    lastWrite = sink.write(frames[i]);
    if (pacing.delayMs) await new Promise((resolve) => setTimeout(resolve, pacing.delayMs));
  }
  await lastWrite;
  return 'complete';
}

/** Anything with `write(chunk, callback)`, `destroyed` and a `close` event (ServerResponse, ServerHttp2Stream). */
interface WritableEnd {
  write(chunk: string | Uint8Array, callback: (err?: Error | null) => void): boolean;
  readonly destroyed: boolean;
  once(event: 'close', listener: () => void): unknown;
}

/** A sink on an HTTP/1 response or an HTTP/2 stream; `close` fires when the client goes (or the body ends). */
export function frameSink(out: WritableEnd): FrameSink {
  let closed = false;
  const whenGone = new Promise<void>((resolve) =>
    out.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  return {
    write: (frame) => new Promise<void>((resolve) => out.write(frame, () => resolve())),
    gone: () => closed || out.destroyed,
    whenGone: () => whenGone,
  };
}
