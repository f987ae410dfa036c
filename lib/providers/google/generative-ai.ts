import type { ServerEndpoint } from '../../record/call-record';
import { endpointOf } from '../../record/endpoint';
import { asArray, asRecord } from '../../record/read';
import type { ModulePatcher } from '../lazy-load';
import { embeddingText, modelName } from './content';
import { classMethodPatcher, ClassMethod, generativeModelMethods, GenerativeModelShape } from './generative-model';
import { readEmbeddingResponse } from './response';
import type { GeminiOperation } from './traced-method';

/**
 * The legacy `@google/generative-ai` SDK: `GenerativeModel.generateContent`, `generateContentStream`,
 * `embedContent`, `batchEmbedContents`, and `ChatSession.sendMessage`/`sendMessageStream`. The chat
 * session calls module-internal functions, not the model's methods, so it is patched too: still one span
 * per call. The model and session readers are shared with `@google-cloud/vertexai` (generative-model.ts).
 * Loaded when the SDK is first patched (index.ts).
 */

/** The SDK's default host unless the model's (or chat's) request options give a `baseUrl`. */
function legacyServer(self: unknown): ServerEndpoint | undefined {
  const options = asRecord(asRecord(self)?._requestOptions);
  return endpointOf(options?.baseUrl ?? 'https://generativelanguage.googleapis.com');
}

/** `GenerativeModel` keeps its defaults as own fields; `ChatSession` keeps them in `params`, its turns in `_history`. */
const LEGACY_SHAPE: GenerativeModelShape = {
  model: (self) => modelName(asRecord(self)?.model),
  server: legacyServer,
  session(self) {
    const session = asRecord(self);
    return { defaults: asRecord(session?.params) ?? {}, history: asArray(session?._history) };
  },
};

const embedContent: GeminiOperation = {
  kind: 'EMBEDDING',
  operation: 'embeddings',
  model: LEGACY_SHAPE.model,
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

const METHODS: ClassMethod[] = [
  ...generativeModelMethods(LEGACY_SHAPE, ['GenerativeModel'], ['ChatSession']),
  ['GenerativeModel', 'embedContent', embedContent],
  ['GenerativeModel', 'batchEmbedContents', batchEmbedContents],
];

export const generativeAiPatcher: ModulePatcher = classMethodPatcher(METHODS);
