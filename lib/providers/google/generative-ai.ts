import { diag } from '@opentelemetry/api';
import type { LlmCall } from '../../instrumentation/llm-call';
import { isThenable, observePromise } from '../../instrumentation/trace-call';
import { StreamWatcher } from '../../instrumentation/stream-wrapper';
import { CallRecord, Message, outputTypeOf, ServerEndpoint } from '../../record/call-record';
import { endpointOf } from '../../record/endpoint';
import { asArray, asRecord, Json, without } from '../../record/read';
import type { ModulePatcher } from '../lazy-load';
import { moduleExports, PatchHost, prototypeOf } from '../types';
import { embeddingText, modelName, readContents, readGeminiTools, readSystemInstruction } from './content';
import { GeminiChunkAssembler, readEmbeddingResponse, readGenerateContentResponse } from './response';
import { GeminiOperation, geminiMethodWrapper } from './traced-method';

/**
 * The legacy `@google/generative-ai` SDK: `GenerativeModel.generateContent`, `generateContentStream`,
 * `embedContent`, `batchEmbedContents`, and `ChatSession.sendMessage`/`sendMessageStream`. The chat
 * session calls module-internal functions, not the model's methods, so it is patched too: still one span
 * per call. Loaded when the SDK is first patched (index.ts).
 */

/**
 * The request as the SDK sends it: the model's (or chat session's) defaults, overridden key by key by
 * the request object. A string or a list of strings/Parts is one user turn.
 */
interface LegacyRequest {
  messages: Message[];
  system: unknown;
  tools: unknown;
  parameters?: Record<string, unknown>;
}

function readLegacyRequest(defaults: Json, request: unknown, history: unknown[] = []): LegacyRequest {
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

/** The SDK's default host unless the model's (or chat's) request options give a `baseUrl`. */
function legacyServer(self: unknown): ServerEndpoint | undefined {
  const options = asRecord(asRecord(self)?._requestOptions);
  return endpointOf(options?.baseUrl ?? 'https://generativelanguage.googleapis.com');
}

function applyRequest(record: CallRecord, request: LegacyRequest): void {
  record.outputType = outputTypeOf(request.parameters?.responseMimeType);
  const system = readSystemInstruction(request.system);
  record.inputMessages = [...(system ? [system] : []), ...request.messages];
  record.tools = readGeminiTools(request.tools);
  record.invocationParameters = request.parameters;
}

/** `GenerativeModel` keeps its defaults as own fields; `ChatSession` keeps them in `params`. */
const modelOf = (self: unknown): string | undefined => modelName(asRecord(self)?.model);

/** Both return `{ response }`. */
function readResponseResult(record: CallRecord, value: unknown): void {
  readGenerateContentResponse(record, asRecord(value)?.response);
}

const generateContent: GeminiOperation = {
  kind: 'LLM',
  operation: 'generate_content',
  model: modelOf,
  server: legacyServer,
  readRequest: (record, self, args) => applyRequest(record, readLegacyRequest(asRecord(self) ?? {}, args[0])),
  readResult: readResponseResult,
};

/** The `…Stream` twin of an operation: same request, but the result is a `{ stream, response }` pair. */
function streamed(op: GeminiOperation): GeminiOperation {
  return { ...op, readResult: undefined, watchStream: watchStreamResult };
}

const generateContentStream = streamed(generateContent);

const sendMessage: GeminiOperation = {
  kind: 'LLM',
  operation: 'generate_content',
  model: modelOf,
  server: legacyServer,
  readRequest(record, self, args) {
    const session = asRecord(self) ?? {};
    // The history as it stands when the call is made (the SDK appends this turn once it succeeds).
    const turn = readLegacyRequest(asRecord(session.params) ?? {}, toTurn(args[0]), asArray(session._history));
    applyRequest(record, turn);
  },
  readResult: readResponseResult,
};

/** `sendMessage` takes a string or a list of strings/Parts, never a full request: read it as one turn. */
function toTurn(request: unknown): unknown {
  return typeof request === 'string' || Array.isArray(request) ? request : [request];
}

const sendMessageStream = streamed(sendMessage);

const embedContent: GeminiOperation = {
  kind: 'EMBEDDING',
  operation: 'embeddings',
  model: modelOf,
  server: legacyServer,
  readRequest(record, _self, args) {
    const request = args[0];
    const r = asRecord(request);
    // A string or a list of strings/Parts is one Content, so one embedding; else `{ content, taskType, title }`.
    const content = r && 'content' in r ? r.content : { parts: Array.isArray(request) ? request : [request] };
    record.embeddings = [{ text: embeddingText(content) }];
    if (r?.taskType !== undefined) record.invocationParameters = { taskType: r.taskType };
  },
  readResult: readEmbeddingResponse,
};

const batchEmbedContents: GeminiOperation = {
  ...embedContent,
  readRequest(record, _self, args) {
    const requests = asArray(asRecord(args[0])?.requests);
    record.embeddings = requests.map((item) => ({ text: embeddingText(asRecord(item)?.content) }));
  },
};

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
      if (!call.isEnded) assembler.onChunk(chunk);
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

function exportsOf(module: unknown): { GenerativeModel?: unknown; ChatSession?: unknown } | undefined {
  return moduleExports<{ GenerativeModel?: unknown; ChatSession?: unknown } | undefined>(module);
}

const METHODS: ReadonlyArray<readonly ['GenerativeModel' | 'ChatSession', string, GeminiOperation]> = [
  ['GenerativeModel', 'generateContent', generateContent],
  ['GenerativeModel', 'generateContentStream', generateContentStream],
  ['GenerativeModel', 'embedContent', embedContent],
  ['GenerativeModel', 'batchEmbedContents', batchEmbedContents],
  ['ChatSession', 'sendMessage', sendMessage],
  ['ChatSession', 'sendMessageStream', sendMessageStream],
];

export const generativeAiPatcher: ModulePatcher = {
  patch(host: PatchHost, module: unknown): void {
    const exports = exportsOf(module);
    for (const [cls, name, op] of METHODS) {
      const proto = prototypeOf(exports?.[cls]);
      if (proto) host.wrap(proto, name, geminiMethodWrapper(host, op));
    }
  },
  unpatch(host: PatchHost, module: unknown): void {
    const exports = module ? exportsOf(module) : undefined;
    for (const [cls, name] of METHODS) {
      const proto = prototypeOf(exports?.[cls]);
      if (proto) host.unwrap(proto, name);
    }
  },
};
