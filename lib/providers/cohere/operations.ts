import type { AnyFunction, PatchHost } from '../types';
import { ChatStreamReader, readChatRequest, readChatResponse } from './chat';
import { ChatV1StreamReader, readChatV1Request, readChatV1Response } from './chat-v1';
import { readEmbedRequest, readEmbedResponse, readRerankRequest, readRerankResponse } from './embed-rerank';
import { CohereOperation, cohereMethodWrapper } from './traced-method';

/** The adapter of each method index.ts patches, by the name its tables give: loaded when `cohere-ai` is first patched. */
const v2Chat: CohereOperation = { kind: 'LLM', operation: 'chat', readRequest: readChatRequest, readResult: readChatResponse };
const v1Chat: CohereOperation = { kind: 'LLM', operation: 'chat', readRequest: readChatV1Request, readResult: readChatV1Response };

const OPERATIONS = {
  v2Chat,
  v2ChatStream: { ...v2Chat, readResult: undefined, chunkReader: (record) => new ChatStreamReader(record) },
  v2Embed: { kind: 'EMBEDDING', operation: 'embeddings', readRequest: readEmbedRequest, readResult: readEmbedResponse },
  v2Rerank: { kind: 'RERANKER', operation: 'rerank', readRequest: readRerankRequest, readResult: readRerankResponse },
  v1Chat,
  v1ChatStream: { ...v1Chat, readResult: undefined, chunkReader: (record) => new ChatV1StreamReader(record) },
} satisfies Record<string, CohereOperation>;

export type CohereOperationName = keyof typeof OPERATIONS;

export function cohereWrapper(host: PatchHost, name: CohereOperationName): (original: AnyFunction) => AnyFunction {
  return cohereMethodWrapper(host, OPERATIONS[name]);
}
