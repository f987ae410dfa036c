import { diag } from '@opentelemetry/api';

/**
 * ollama's client keeps every stream it hands out in its `ongoingStreamedRequests` list until the stream
 * reads its `done` line (the stream's `doneCallback` removes it), so that `client.abort()` can abort them
 * all. A stream the app drops unread therefore stays reachable from the client, which usually lives as long
 * as the app (the package's default export is a module-level instance): it is never collected, and the
 * stream wrapper's fallback for streams dropped unread never ends the span.
 *
 * So the client's entry for a traced stream is replaced by a stand-in that does all the client asks of it,
 * `abort()`, through the request's own AbortController (which is all the stream's `abort()` does), and the
 * stream's `doneCallback` removes the stand-in instead. The client behaves as before (`client.abort()`
 * aborts every open request, a finished stream leaves the list), and the stream is reachable from the
 * app alone: dropped, it is collected and its span ends as abandoned.
 */
interface OllamaStream {
  abortController?: unknown;
  doneCallback?: unknown;
}

interface Controller {
  abort(reason?: unknown): void;
}

/** What the client's list holds in place of the stream. It must not reach the stream. */
class ClientEntry {
  constructor(
    private readonly list: unknown[],
    private readonly controller: Controller,
  ) {}

  abort(): void {
    this.controller.abort();
  }

  /** The stream's `doneCallback`: the client forgets this entry, as it would have forgotten the stream. */
  readonly done = (): void => {
    const i = this.list.indexOf(this);
    if (i > -1) this.list.splice(i, 1);
  };
}

/** Lets the client hold `stream` weakly, as described above; leaves any shape it does not know alone. */
export function releaseFromClient(client: unknown, stream: unknown): void {
  try {
    const list = (client as { ongoingStreamedRequests?: unknown } | null | undefined)?.ongoingStreamedRequests;
    const s = stream as OllamaStream | null | undefined;
    const controller = s?.abortController as Controller | undefined;
    if (!Array.isArray(list) || !s || typeof s.doneCallback !== 'function' || typeof controller?.abort !== 'function') return;
    const i = list.indexOf(stream);
    if (i < 0) return;
    const entry = new ClientEntry(list, controller);
    list[i] = entry;
    s.doneCallback = entry.done;
  } catch (err) {
    diag.debug('@infinium/otel: could not release an ollama stream from its client', err);
  }
}
