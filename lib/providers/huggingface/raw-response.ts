import { Context, context, diag } from '@opentelemetry/api';
import type { LlmCall } from '../../instrumentation/llm-call';
import type { CallRecord } from '../../record/call-record';
import { readOpenAIUsage } from '../../record/openai-usage';
import { asRecord, asString } from '../../record/read';
import type { AnyFunction } from '../types';

/**
 * What only the raw answer tells. Each task hands its provider helper's `getResponse` the provider's JSON
 * and returns what that keeps: `textGeneration` keeps the text alone (its usage, from an endpoint's or a
 * provider's completions answer, is dropped), and with `auto` routing the provider the SDK chose is never
 * returned. Both are read where the SDK has them, in its `innerRequest(args, providerHelper, options)`
 * (`utils/request.js`), for the traced call whose context it runs in; any other call passes straight through.
 */
const recordsByCallContext = new WeakMap<Context, CallRecord>();

/** The call's record, for `innerRequest` calls made in its context (the task function runs in it). */
export function noteCallContext(call: LlmCall): void {
  recordsByCallContext.set(call.context, call.record);
}

export function innerRequestWrapper(original: AnyFunction): AnyFunction {
  return function tracedInnerRequest(this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args) as unknown;
    const record = recordsByCallContext.get(context.active());
    if (!record || !(result instanceof Promise)) return result;
    try {
      // The router's `auto` helper keeps `auto`: its choice is made on the server, and never reported.
      const provider = asString(asRecord(args[1])?.provider);
      if (provider && provider !== 'auto') record.provider = provider;
    } catch (err) {
      diag.debug('@infinium/otel: could not read a Hugging Face provider helper', err);
    }
    // A reaction on the side: the task awaits `result` itself, and gets it unchanged (errors included).
    result.then((value: unknown) => readRawAnswer(record, value), ignore);
    return result;
  };
}

/** `{ data }`: the provider's JSON. OpenAI-shaped usage (chat and completions answers) is the call's exact count. */
function readRawAnswer(record: CallRecord, value: unknown): void {
  try {
    const usage = readOpenAIUsage(asRecord(asRecord(value)?.data)?.usage);
    if (usage) record.usage = usage;
  } catch (err) {
    diag.debug('@infinium/otel: could not read a Hugging Face answer', err);
  }
}

function ignore(): void {}
