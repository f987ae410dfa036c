import { CallRecord } from '../../record/call-record';
import type { ChunkReader } from '../../instrumentation/stream-wrapper';
import { asRecord, asString, Json, TextAccumulator } from '../../record/read';
import { IndexedSlots, OutputBuffers, shortString } from '../../record/bounded';
import { readOutput, readResponseObject, responseFailure, ResponseFailedError } from './responses-output';

/** An output item as the stream builds it, until `response.output_item.done` gives the finished item. */
interface ItemState {
  type?: string;
  role?: string;
  callId?: string;
  name?: string;
  text: TextAccumulator;
  arguments: TextAccumulator;
  /** `response.function_call_arguments.done` or the finished item. */
  finalArguments?: string;
  finished?: Json;
}

/**
 * Reads Responses stream events. The final `response.completed` (or `.incomplete`, `.failed`) event carries
 * the whole response: model, output and usage are taken from it with the same reader as a plain call. The
 * deltas are assembled only so that a stream cut before that event keeps its partial output.
 */
export class ResponseEventReader implements ChunkReader<unknown> {
  /** Output items by `output_index`, at most DEFAULT_MAX_OUTPUT_MESSAGES of them. */
  private readonly items: IndexedSlots<ItemState>;
  private finalResponseRead = false;
  private failedWith: ResponseFailedError | undefined;

  constructor(private readonly record: CallRecord) {
    const buffers = new OutputBuffers(record);
    this.items = buffers.messages((): ItemState => ({ text: buffers.text(), arguments: buffers.text() }));
  }

  onChunk(value: unknown): void {
    const event = asRecord(value);
    switch (asString(event?.type)) {
      case 'response.created':
      case 'response.in_progress':
        this.record.responseModel = asString(asRecord(event!.response)?.model) ?? this.record.responseModel;
        this.record.responseId = asString(asRecord(event!.response)?.id) ?? this.record.responseId;
        break;
      case 'response.output_item.added':
        this.startItem(event!);
        break;
      case 'response.output_text.delta':
        this.item(event!)?.text.add(event!.delta);
        break;
      case 'response.function_call_arguments.delta':
        this.item(event!)?.arguments.add(event!.delta);
        break;
      case 'response.function_call_arguments.done': {
        const item = this.item(event!);
        if (item) item.finalArguments = asString(event!.arguments);
        break;
      }
      case 'response.output_item.done': {
        const item = this.item(event!);
        if (item) item.finished = asRecord(event!.item);
        break;
      }
      case 'response.completed':
      case 'response.incomplete':
        this.readFinal(event!);
        break;
      case 'response.failed':
        this.failedWith = responseFailure({ status: 'failed', ...this.readFinal(event!) });
        break;
      case 'error':
        this.failedWith = new ResponseFailedError(asString(event!.message) ?? 'stream error', asString(event!.code));
        break;
    }
  }

  onStop(): void {
    if (this.finalResponseRead) return;
    // The stream stopped before its final event: keep what the deltas built.
    this.record.outputMessages = readOutput(this.items.ordered().map((state) => this.partialItem(state)), this.record);
  }

  failure(): unknown {
    return this.failedWith;
  }

  private readFinal(event: Json): Json | undefined {
    const response = asRecord(event.response);
    if (response) {
      readResponseObject(this.record, response);
      this.finalResponseRead = true;
    }
    return response;
  }

  private startItem(event: Json): void {
    const state = this.item(event);
    const item = asRecord(event.item);
    if (!item || !state) return;
    state.type = shortString(item.type);
    state.role = shortString(item.role);
    state.callId = shortString(item.call_id);
    state.name = shortString(item.name);
    state.arguments.add(item.arguments);
  }

  /** The item at the event's `output_index`; `undefined` past the cap. */
  private item(event: Json): ItemState | undefined {
    return this.items.at(typeof event.output_index === 'number' ? event.output_index : 0);
  }

  /** The item in the shape `readOutput` reads: the finished item when the stream got that far. */
  private partialItem(state: ItemState): Json {
    if (state.finished) return state.finished;
    if (state.type === 'function_call') {
      return {
        type: 'function_call',
        call_id: state.callId,
        name: state.name,
        arguments: state.finalArguments ?? state.arguments.text() ?? '',
      };
    }
    if (state.type === 'message' || !state.text.isEmpty) {
      return { type: 'message', role: state.role ?? 'assistant', content: [{ type: 'output_text', text: state.text.text() ?? '' }] };
    }
    return { type: state.type };
  }
}
