import { MethodTable, tableDefinition } from '../../instrumentation/patch-table';
import { moduleExports, PatchHost, ProviderInstrumentation } from '../types';
import { ChatStreamReader, readChatRequest, readChatResponse } from './chat';
import { ChatV1StreamReader, readChatV1Request, readChatV1Response } from './chat-v1';
import { readEmbedRequest, readEmbedResponse, readRerankRequest, readRerankResponse } from './embed-rerank';
import { CohereOperation, cohereMethodWrapper } from './traced-method';

/**
 * `cohere-ai`: the v2 API's `chat`, `chatStream`, `embed` and `rerank` of the `V2Client` resource, which
 * `CohereClientV2` binds as its own methods (and `CohereClient#v2` exposes), and the v1 API's `chat` and
 * `chatStream` of `CohereClient`. 8.1 and 7.21 are tested. `V2Client` is not exported, so its file is
 * hooked; `CohereClient` is (the package exports a subclass of the generated class, which defines them).
 */
export const COHERE_VERSIONS = ['>=7.0.0 <9'];
const V2_CLIENT_FILE = 'cohere-ai/api/resources/v2/client/Client.js';

const v2Chat: CohereOperation = { kind: 'LLM', operation: 'chat', readRequest: readChatRequest, readResult: readChatResponse };
const v1Chat: CohereOperation = { kind: 'LLM', operation: 'chat', readRequest: readChatV1Request, readResult: readChatV1Response };

/** The v2 API, on `V2Client` (from its own file, or from a module a bundled app hands `manuallyInstrument`). */
const V2_METHODS: MethodTable<CohereOperation> = {
  roots: (module) => [moduleExports<{ V2Client?: unknown } | undefined>(module)?.V2Client],
  methods: [
    { path: [], method: 'chat', operation: v2Chat },
    { path: [], method: 'chatStream', operation: { ...v2Chat, readResult: undefined, chunkReader: (record) => new ChatStreamReader(record) } },
    { path: [], method: 'embed', operation: { kind: 'EMBEDDING', operation: 'embeddings', readRequest: readEmbedRequest, readResult: readEmbedResponse } },
    { path: [], method: 'rerank', operation: { kind: 'RERANKER', operation: 'rerank', readRequest: readRerankRequest, readResult: readRerankResponse } },
  ],
  wrapper: cohereMethodWrapper,
};

/** The v1 API's chat, on the generated `CohereClient` the exported one extends (not its v2 client, above). */
const V1_METHODS: MethodTable<CohereOperation> = {
  roots: (module) => [moduleExports<{ CohereClient?: unknown } | undefined>(module)?.CohereClient],
  methods: [
    { path: [], method: 'chat', operation: v1Chat },
    { path: [], method: 'chatStream', operation: { ...v1Chat, readResult: undefined, chunkReader: (record) => new ChatV1StreamReader(record) } },
  ],
  wrapper: cohereMethodWrapper,
  inherited: true,
};

export const cohereInstrumentation: ProviderInstrumentation = {
  name: 'cohere',
  // The package root exports `CohereClient` but no `V2Client`, the V2 file the reverse: each table finds
  // its class in the one module that has it, so one patch serves both (and `manuallyInstrument` of either).
  definitions: (host: PatchHost) => [tableDefinition(host, 'cohere-ai', COHERE_VERSIONS, [V2_METHODS, V1_METHODS], [V2_CLIENT_FILE])],
};
