import { context } from '@opentelemetry/api';
import { isTracingSuppressed } from '../../compat/sdk-shared';
import { CallRuntime, LlmCall } from '../../instrumentation/llm-call';
import { asNumber, asString, Json } from '../../record/read';
import { otelIntegrationRegistered } from './integration';
import { Entry, isObjectRun, OpenRuns } from './open-runs';
import { readSafely, startAgent, valueAttributes } from './operations';
import { newRecord, readModelRequest, readModelResponse } from './records';

const OBJECT_RUNS: Readonly<Record<string, string>> = { 'ai.generateObject': 'generateObject', 'ai.streamObject': 'streamObject' };

/**
 * ai 7's generateObject and streamObject publish nothing on the tracing channel; their telemetry callbacks
 * (`onStart`, `onObjectStepStart`, `onObjectStepEnd`, `onEnd`, `onError`) give the AGENT span and its LLM
 * span instead. The callbacks run inside the app's call, so the run's parent is the app's active context;
 * the model call's span is not made the active context (a callback cannot do that).
 */
export class ObjectRuns {
  constructor(private readonly runtime: CallRuntime, private readonly runs: OpenRuns) {}

  /** `onStart`: an object run starts (the other operations' starts come through the channel). */
  start(event: Json): void {
    const type = OBJECT_RUNS[asString(event.operationId) ?? ''];
    const callId = asString(event.callId);
    if (!type || !callId || !isAi7(event) || otelIntegrationRegistered()) return;
    const parent = context.active();
    if (isTracingSuppressed(parent)) return;
    const prompt = event.prompt;
    const input = typeof prompt === 'string' ? { ...event, messages: [{ role: 'user', content: prompt }] } : event;
    this.runs.add({ type, callId, traced: { op: startAgent(this.runtime, type, input, parent) } });
  }

  /** `onObjectStepStart`: the model call, with the prompt as the SDK sends it. */
  stepStart(event: Json): void {
    const run = this.objectRun(event);
    if (!run?.traced.op || run.callId === undefined) return;
    const record = newRecord('LLM', 'chat', event);
    const call = new LlmCall(this.runtime, record, run.traced.op.context);
    if (call.recording) readSafely(() => readModelRequest(record, { ...event, messages: event.promptMessages }));
    this.runs.waitForAnswer(run.callId, call);
  }

  /** `onObjectStepEnd`: the model's answer (the object's JSON text), usage and finish reason. */
  stepEnd(event: Json): void {
    const run = this.objectRun(event);
    const call = run?.callId === undefined ? undefined : this.runs.takeWaiting(run.callId);
    if (!call) return;
    const text = asString(event.objectText);
    readSafely(() => readModelResponse(call.record, { ...event, content: text ? [{ type: 'text', text }] : [] }));
    call.succeed();
  }

  /** `onEnd`: true when it ended an object run (else it is a text run's end, which the channel ends). */
  end(event: Json): boolean {
    const run = this.objectRun(event);
    const op = run?.traced.op;
    if (!run || !op) return false;
    if (event.recordOutputs !== false && event.object !== undefined) readSafely(() => op.put(valueAttributes('output', event.object)));
    op.succeed();
    this.runs.ended(run);
    return true;
  }

  /** `onError`: true when an object run failed (its model call too, if that was still open). */
  error(event: Json): boolean {
    const run = this.objectRun(event);
    if (!run?.traced.op) return false;
    run.traced.op.fail(event.error);
    this.runs.ended(run, event.error ?? new Error('AI SDK operation failed'));
    return true;
  }

  private objectRun(event: Json): Entry | undefined {
    const callId = asString(event.callId);
    const run = callId === undefined ? undefined : this.runs.run(callId);
    return run && isObjectRun(run.type) ? run : undefined;
  }
}

/** ai 6 calls global integrations too, with its own event shapes: ai 7 and later mark theirs with `aiVersion`. */
function isAi7(event: Json): boolean {
  const major = asNumber(Number.parseInt(asString(event.aiVersion) ?? '', 10));
  return major !== undefined && major >= 7;
}
