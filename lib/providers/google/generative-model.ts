import type { LlmCall } from '../../instrumentation/llm-call';
import { isThenable, observePromise } from '../../instrumentation/trace-call';
import { StreamWatcher } from '../../instrumentation/stream-wrapper';
import { CallRecord, Message, outputTypeOf, ServerEndpoint } from '../../record/call-record';
import { asArray, asRecord, Json, without } from '../../record/read';
import { readContents, readGeminiTools, readSystemInstruction } from './content';
import { GeminiChunkAssembler, readGenerateContentResponse } from './response';
import type { ModulePatcher } from '../lazy-load';
import { moduleExports, prototypeOf } from '../types';
import { GeminiOperation, geminiMethodWrapper } from './traced-method';

/**
 * The `GenerativeModel` / `ChatSession` pair that two SDKs share, shape for shape: the legacy
 * `@google/generative-ai` and `@google-cloud/vertexai` (whose models were forked from it). Both take the
 * same requests, resolve to `{ response }` or `{ stream, response }`, and keep the model's defaults on the
 * object; they differ only in where a session keeps its defaults and history, how the model is named and
 * which host is called. Each SDK's adapter describes those in a `GenerativeModelShape`, and gets its four
 * operations from `generativeModelOperations`.
 */
export interface GenerativeModelShape {
  /** The model name of a model or a chat session. */
  model(self: unknown): string | undefined;
  server(self: unknown): ServerEndpoint | undefined;
  /** A chat session's defaults (generationConfig, tools, systemInstruction, …) and its history so far. */
  session(self: unknown): { defaults: Json; history: unknown[] };
  /** The GenAI `gen_ai.provider.name` where `llm.provider` alone does not tell it (Vertex AI); set at span start. */
  genAiProvider?: string;
}

/**
 * The request as the SDK sends it: the model's (or chat session's) defaults, overridden key by key by
 * the request object. A string or a list of strings/Parts is one user turn.
 */
interface ModelRequest {
  messages: Message[];
  system: unknown;
  tools: unknown;
  parameters?: Record<string, unknown>;
}

function readModelRequest(defaults: Json, request: unknown, history: unknown[] = []): ModelRequest {
  const r = asRecord(request);
  const turn = r && 'contents' in r ? readContents(r.contents) : readContents(Array.isArray(request) || typeof request === 'string' ? request : undefined);
  const pick = (key: string): unknown => (r && r[key] !== undefined ? r[key] : defaults[key]);
  return {
    messages: [...readContents(history), ...turn],
    system: pick('systemInstruction'),
    tools: pick('tools'),
    parameters: readParameters(asRecord(pick('generationConfig')), pick('toolConfig'), pick('safetySettings')),
  };
}

/** generationConfig (temperature, maxOutputTokens, topP, …) flattened, plus toolConfig and safety settings. */
function readParameters(generationConfig: Json | undefined, toolConfig: unknown, safetySettings: unknown): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = (generationConfig && without(generationConfig)) ?? {};
  if (toolConfig !== undefined) out.toolConfig = toolConfig;
  if (asArray(safetySettings).length > 0) out.safetySettings = safetySettings;
  return Object.keys(out).length > 0 ? out : undefined;
}

function applyRequest(record: CallRecord, request: ModelRequest): void {
  record.outputType = outputTypeOf(request.parameters?.responseMimeType);
  const system = readSystemInstruction(request.system);
  record.inputMessages = [...(system ? [system] : []), ...request.messages];
  record.tools = readGeminiTools(request.tools);
  record.invocationParameters = request.parameters;
}

/** Both return `{ response }`. */
function readResponseResult(record: CallRecord, value: unknown): void {
  readGenerateContentResponse(record, asRecord(value)?.response);
}

/** `sendMessage` takes a string or a list of strings/Parts, never a full request: read it as one turn. */
function toTurn(request: unknown): unknown {
  return typeof request === 'string' || Array.isArray(request) ? request : [request];
}

/** The `…Stream` twin of an operation: same request, but the result is a `{ stream, response }` pair. */
function streamed(op: GeminiOperation): GeminiOperation {
  return { ...op, readResult: undefined, watchStream: watchStreamResult };
}

/** `GenerativeModel.generateContent(Stream)` and `ChatSession.sendMessage(Stream)` of one SDK shape. */
function generativeModelOperations(shape: GenerativeModelShape) {
  const generateContent: GeminiOperation = {
    kind: 'LLM',
    operation: 'generate_content',
    genAiProvider: shape.genAiProvider,
    model: (self) => shape.model(self),
    server: (self) => shape.server(self),
    readRequest: (record, self, args) => applyRequest(record, readModelRequest(asRecord(self) ?? {}, args[0])),
    readResult: readResponseResult,
  };
  const sendMessage: GeminiOperation = {
    ...generateContent,
    readRequest(record, self, args) {
      // The history as it stands when the call is made (the SDK appends this turn once it succeeds).
      const { defaults, history } = shape.session(self);
      applyRequest(record, readModelRequest(defaults, toTurn(args[0]), history));
    },
  };
  return { generateContent, generateContentStream: streamed(generateContent), sendMessage, sendMessageStream: streamed(sendMessage) };
}

/**
 * The streaming methods resolve to `{ stream, response }`, two branches of one tee'd HTTP body: the SDK
 * reads `response` (the aggregated answer) eagerly, whether or not the app reads `stream`. So:
 * - `stream` is replaced by our iterator, which keeps partial output and ends the span on error or `break`;
 * - `response` settling ends the span with the aggregated answer, so an app that only awaits `response`
 *   (or drops both) still gets a finished span. Whichever comes first ends it; the span ends once.
 * The aggregated answer carries no `modelVersion`, so stream spans keep the request's model either way.
 */
function watchStreamResult(value: unknown, call: LlmCall): unknown {
  const result = asRecord(value);
  const stream = result?.stream as AsyncIterable<unknown> | undefined;
  const response = result?.response;
  if (!result || !stream || typeof stream[Symbol.asyncIterator] !== 'function') {
    call.succeed();
    return value;
  }
  const assembler = new GeminiChunkAssembler(call.record, { modelVersion: false });
  const watcher = new StreamWatcher<unknown>(call, {
    onChunk: (chunk) => {
      if (call.isEnded) return;
      const failure = streamedError(chunk);
      if (!failure) return assembler.onChunk(chunk);
      assembler.onStop();
      call.fail(failure);
    },
    onStop: () => {
      if (!call.isEnded) assembler.onStop();
    },
  });
  result.stream = watcher.wrapIterator(stream[Symbol.asyncIterator](), stream);
  if (isThenable(response)) {
    // The app's `response` becomes our follower of it: a failure the app never handles stays unhandled.
    result.response = observePromise(response, call, (aggregated) => {
      if (call.isEnded) return;
      readGenerateContentResponse(call.record, aggregated);
      call.succeed();
    });
  }
  return value;
}

/**
 * An error the API sends mid-stream (`data: {"error": {code, message, status}}`): both SDKs hand it to the
 * app as a chunk, and leave it out of the aggregated `response`, so the call would look successful. The
 * span fails with it; the app's chunk is not changed.
 */
class GeminiStreamError extends Error {}

function streamedError(chunk: unknown): Error | undefined {
  const error = asRecord(asRecord(chunk)?.error);
  if (!error) return undefined;
  const status = [error.code, error.status].filter((v) => typeof v === 'number' || typeof v === 'string').join(' ');
  const message = typeof error.message === 'string' ? error.message : 'the stream sent an error';
  return new GeminiStreamError(status ? `${status}: ${message}` : message);
}

/** `[exported class, method, operation]`: what an adapter traces. */
export type ClassMethod = readonly [string, string, GeminiOperation];

/** The model classes' generate methods and the session classes' send methods, with one shape's operations. */
export function generativeModelMethods(shape: GenerativeModelShape, modelClasses: string[], sessionClasses: string[]): ClassMethod[] {
  const ops = generativeModelOperations(shape);
  return [
    ...modelClasses.flatMap((cls): ClassMethod[] => [
      [cls, 'generateContent', ops.generateContent],
      [cls, 'generateContentStream', ops.generateContentStream],
    ]),
    ...sessionClasses.flatMap((cls): ClassMethod[] => [
      [cls, 'sendMessage', ops.sendMessage],
      [cls, 'sendMessageStream', ops.sendMessageStream],
    ]),
  ];
}

/** Wraps (and unwraps) each method on its exported class's prototype, in the CommonJS exports or the ESM namespace. */
export function classMethodPatcher(methods: readonly ClassMethod[]): ModulePatcher {
  const each = (module: unknown, act: (proto: Record<string, unknown>, name: string, op: GeminiOperation) => void): void => {
    const exports = module ? moduleExports<Record<string, unknown> | undefined>(module) : undefined;
    for (const [cls, name, op] of methods) {
      const proto = prototypeOf(exports?.[cls]);
      if (proto) act(proto, name, op);
    }
  };
  return {
    patch: (host, module) => each(module, (proto, name, op) => host.wrap(proto, name, geminiMethodWrapper(host, op))),
    unpatch: (host, module) => each(module, (proto, name) => host.unwrap(proto, name)),
  };
}
