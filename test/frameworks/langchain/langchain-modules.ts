/* eslint-disable @typescript-eslint/no-require-imports */
import './load-order';

/**
 * The LangChain modules every LangChain test file uses, in one place, loaded after load-order.ts turned the
 * process-wide instrumentation's require hooks on (as an app loads LangChain after its tracing file): the
 * files are patched when first loaded, whatever order mocha loads the test files in. Test files take
 * LangChain's values from here, never from a top-level import of their own.
 */
export const lc = {
  callbacks: require('@langchain/core/callbacks/base') as typeof import('@langchain/core/callbacks/base'),
  callbackManager: require('@langchain/core/callbacks/manager') as typeof import('@langchain/core/callbacks/manager'),
  chatModels: require('@langchain/core/language_models/chat_models') as typeof import('@langchain/core/language_models/chat_models'),
  documents: require('@langchain/core/documents') as typeof import('@langchain/core/documents'),
  messages: require('@langchain/core/messages') as typeof import('@langchain/core/messages'),
  parsers: require('@langchain/core/output_parsers') as typeof import('@langchain/core/output_parsers'),
  prompts: require('@langchain/core/prompts') as typeof import('@langchain/core/prompts'),
  retrievers: require('@langchain/core/retrievers') as typeof import('@langchain/core/retrievers'),
  runnables: require('@langchain/core/runnables') as typeof import('@langchain/core/runnables'),
  singletons: require('@langchain/core/singletons') as typeof import('@langchain/core/singletons'),
  testing: require('@langchain/core/utils/testing') as typeof import('@langchain/core/utils/testing'),
  tools: require('@langchain/core/tools') as typeof import('@langchain/core/tools'),
  langgraph: require('@langchain/langgraph') as typeof import('@langchain/langgraph'),
  prebuilt: require('@langchain/langgraph/prebuilt') as typeof import('@langchain/langgraph/prebuilt'),
  openai: require('@langchain/openai') as typeof import('@langchain/openai'),
  memory: require('@langchain/classic/vectorstores/memory') as typeof import('@langchain/classic/vectorstores/memory'),
  OpenAI: (require('openai') as typeof import('openai')).OpenAI,
  zod: require('zod') as typeof import('zod'),
};

export type LangChain = typeof lc;
