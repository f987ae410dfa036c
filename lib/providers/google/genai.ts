import type { LlmCall } from '../../instrumentation/llm-call';
import { endOnSignalAbort } from '../../instrumentation/stream-abort';
import { StreamWatcher } from '../../instrumentation/stream-wrapper';
import { CallRecord, outputTypeOf, ServerEndpoint } from '../../record/call-record';
import { endpointOf } from '../../record/endpoint';
import { asRecord, Json, without } from '../../record/read';
import type { ModulePatcher } from '../lazy-load';
import { moduleExports, PatchHost, prototypeOf } from '../types';
import { embeddingText, modelName, readContents, readGeminiTools, readSystemInstruction } from './content';
import { hookInstanceMethod, unhookInstanceMethod } from '../instance-methods';
import { GeminiChunkAssembler, readEmbeddingResponse, readGenerateContentResponse } from './response';
import { GeminiOperation, geminiMethodWrapper } from './traced-method';

/**
 * `@google/genai`: `ai.models.generateContent`, `generateContentStream` and `embedContent`. Chat sessions
 * (`ai.chats.create(…).sendMessage`/`sendMessageStream`) call `this.modelsModule.generateContent(Stream)`
 * on the same `Models` instance, so they are traced once through it. 2.32 is tested; 1.x has the same
 * `Models` shape (methods assigned in the constructor) but is not tested here. Loaded when the SDK is
 * first patched (index.ts).
 */

/** Config keys that are not invocation parameters: content, tools, and client plumbing (headers, signal). */
const NOT_PARAMETERS = new Set(['systemInstruction', 'tools', 'httpOptions', 'abortSignal', 'automaticFunctionCalling']);

function params(args: unknown[]): Json {
  return asRecord(args[0]) ?? {};
}

function readGenerateRequest(record: CallRecord, _self: unknown, args: unknown[]): void {
  const request = params(args);
  const config = asRecord(request.config);
  record.outputType = outputTypeOf(config?.responseMimeType);
  const system = readSystemInstruction(config?.systemInstruction);
  record.inputMessages = [...(system ? [system] : []), ...readContents(request.contents)];
  record.tools = readGeminiTools(config?.tools);
  if (config) record.invocationParameters = without(config, NOT_PARAMETERS);
}

const generateContent: GeminiOperation = {
  kind: 'LLM',
  operation: 'generate_content',
  model: (_self, args) => modelName(params(args).model),
  server: genaiServer,
  readRequest: readGenerateRequest,
  readResult: readGenerateContentResponse,
};

const generateContentStream: GeminiOperation = {
  ...generateContent,
  readResult: undefined,
  watchStream: (value, call, args) => watchGenerator(value, call, asRecord(params(args).config)?.abortSignal),
};

const embedContent: GeminiOperation = {
  kind: 'EMBEDDING',
  operation: 'embeddings',
  model: (_self, args) => modelName(params(args).model),
  server: genaiServer,
  readRequest(record, _self, args) {
    const request = params(args);
    // Each item of a list is embedded on its own (the SDK sends one request entry per item).
    const contents = request.contents;
    const items = Array.isArray(contents) ? contents : contents === undefined ? [] : [contents];
    record.embeddings = items.map((item) => ({ text: embeddingText(item) }));
    const config = asRecord(request.config);
    if (config) record.invocationParameters = without(config, NOT_PARAMETERS);
  },
  readResult: readEmbeddingResponse,
};

/**
 * `generateContentStream` resolves to an AsyncGenerator. The app gets our iterator around it (next,
 * return, throw, `Symbol.asyncIterator`), so end, error, `break` and a stream dropped unread all end the
 * span; an abort through `config.abortSignal` ends it as abandoned (see `StreamWatcher.abort`).
 */
function watchGenerator(value: unknown, call: LlmCall, signal: unknown): unknown {
  const source = value as AsyncIterable<unknown> | undefined;
  if (!source || typeof source[Symbol.asyncIterator] !== 'function') {
    call.succeed();
    return value;
  }
  const watcher = new StreamWatcher<unknown>(call, new GeminiChunkAssembler(call.record));
  const wrapped = watcher.wrapIterator(source[Symbol.asyncIterator](), source);
  watcher.watchCollection(wrapped);
  endOnSignalAbort(signal, watcher);
  return wrapped;
}

/** genai's `Models`, from the CommonJS exports or the ESM namespace (two separate copies of the class). */
function modelsPrototype(module: unknown): Record<string, unknown> | undefined {
  return prototypeOf(moduleExports<{ Models?: unknown } | undefined>(module)?.Models);
}

const METHODS: ReadonlyArray<readonly [string, GeminiOperation]> = [
  ['generateContent', generateContent],
  ['generateContentStream', generateContentStream],
  ['embedContent', embedContent],
];

export const genaiPatcher: ModulePatcher = {
  patch(host: PatchHost, module: unknown): void {
    const proto = modelsPrototype(module);
    if (proto) for (const [name, op] of METHODS) hookInstanceMethod(host, proto, name, geminiMethodWrapper(host, op));
  },
  unpatch(host: PatchHost, module: unknown): void {
    const proto = module ? modelsPrototype(module) : undefined;
    if (proto) for (const [name] of METHODS) unhookInstanceMethod(host, proto, name);
  },
};

/** `Models` holds its `ApiClient`, which knows the base URL (Gemini API or Vertex AI, or `httpOptions.baseUrl`). */
function genaiServer(self: unknown): ServerEndpoint | undefined {
  const client = asRecord(asRecord(self)?.apiClient);
  if (typeof client?.getBaseUrl !== 'function') return undefined;
  try {
    return endpointOf((client.getBaseUrl as () => unknown).call(client));
  } catch {
    return undefined;
  }
}
