import type { CallRuntime } from '../../instrumentation/llm-call';
import { LlmCall } from '../../instrumentation/llm-call';
import { asString, Json } from '../../record/read';
import { Entry, OpenRuns } from './open-runs';
import { readSafely } from './operations';
import { newRecord, readEmbedRequest, readEmbedResponse } from './records';

/**
 * One EMBEDDING span per request of an ai 7 `embed`/`embedMany`: the channel gives the operation (a CHAIN),
 * and the SDK's `onEmbedStart`/`onEmbedEnd` (through our integration) each request to the model, retries and
 * the requests an `embedMany` is split into included, by `embedCallId`. A request with no `onEmbedEnd` (it
 * failed and was retried) ends with its operation.
 */
export class EmbedCalls {
  /** Open requests by operation (`callId`), then by request (`embedCallId`). */
  private readonly open = new Map<string, Map<string, Entry>>();

  constructor(private readonly runtime: CallRuntime, private readonly runs: OpenRuns) {}

  start(event: Json): void {
    const callId = asString(event.callId);
    const embedCallId = asString(event.embedCallId);
    const operation = callId === undefined ? undefined : this.runs.run(callId);
    if (embedCallId === undefined || !operation?.traced.op || !isEmbed(operation.type)) return;
    const record = newRecord('EMBEDDING', 'embeddings', event);
    const call = new LlmCall(this.runtime, record, operation.traced.op.context);
    if (call.recording) readSafely(() => readEmbedRequest(record, event, true));
    const entry: Entry = { type: 'doEmbed', callId, traced: { call } };
    this.runs.add(entry);
    let calls = this.open.get(callId!);
    if (!calls) this.open.set(callId!, (calls = new Map()));
    calls.set(embedCallId, entry);
  }

  end(event: Json): void {
    const callId = asString(event.callId);
    const embedCallId = asString(event.embedCallId);
    const calls = callId === undefined ? undefined : this.open.get(callId);
    const entry = embedCallId === undefined ? undefined : calls?.get(embedCallId);
    if (!entry?.traced.call) return;
    calls!.delete(embedCallId!);
    const call = entry.traced.call;
    if (call.recording) readSafely(() => readEmbedResponse(call.record, event));
    call.succeed();
    this.runs.ended(entry);
  }

  /** The operation ended: its requests still open end with it (`OpenRuns`); forget them here. */
  forget(callId: string | undefined): void {
    if (callId !== undefined) this.open.delete(callId);
  }
}

export function isEmbed(type: string): boolean {
  return type === 'embed' || type === 'embedMany';
}
