import { Context, context, diag } from '@opentelemetry/api';
import type { LlmCall } from '../../instrumentation/llm-call';
import type { CallRecord } from '../../record/call-record';
import { endpointOf } from '../../record/endpoint';
import { readOpenAIUsage } from '../../record/openai-usage';
import { asRecord, asString, Json } from '../../record/read';
import type { AnyFunction } from '../types';

/**
 * What the task functions never return, read where the SDK has it: in its request functions,
 * `innerRequest(args, providerHelper, options)` and `innerStreamingRequest(…)` (`utils/request.js`).
 * - The provider: with `auto` routing, `textGeneration(Stream)` and `featureExtraction` pick one on the
 *   client (the model's provider mapping), and only the helper they pass says which.
 * - The host: a provider's own key (any token but a Hugging Face `hf_` one) sends the request to the
 *   provider's API (`api.together.xyz`), not to Hugging Face's router; the helper holds that base URL.
 * - The usage: `textGeneration` returns the text alone and drops the usage of the completions answer it got.
 * Each is read for the traced call whose context the request function runs in; any other call passes
 * straight through.
 */
const recordsByCallContext = new WeakMap<Context, CallRecord>();

/** The call's record, for request functions called in its context (the task function runs in it). */
export function noteCallContext(call: LlmCall): void {
  recordsByCallContext.set(call.context, call.record);
}

/** The wrapper of both request functions: the app's task gets their result unchanged (errors included). */
export function requestWrapper(original: AnyFunction): AnyFunction {
  return function tracedHuggingFaceRequest(this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args) as unknown;
    const record = recordsByCallContext.get(context.active());
    if (!record) return result;
    noteRouting(record, asRecord(args[0]), asRecord(args[1]));
    // `innerRequest`'s promise: a reaction on the side, which the task's own `await` does not see.
    if (result instanceof Promise) result.then((value: unknown) => readRawAnswer(record, value), ignore);
    return result;
  };
}

/** `request`: the task's arguments; `helper`: the SDK's provider helper (`provider`, `baseUrl`). */
function noteRouting(record: CallRecord, request: Json | undefined, helper: Json | undefined): void {
  try {
    // The router's `auto` helper keeps `auto`: its choice is made on the server, and never reported.
    const provider = asString(helper?.provider);
    if (provider && provider !== 'auto') record.provider = provider;
    // As the SDK's `makeBaseUrl` decides; an `endpointUrl` is the server already (operations.ts).
    const token = asString(request?.accessToken);
    if (token && !token.startsWith('hf_') && !request?.endpointUrl) record.server = endpointOf(helper?.baseUrl) ?? record.server;
  } catch (err) {
    diag.debug('@infinium/otel: could not read a Hugging Face provider helper', err);
  }
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
