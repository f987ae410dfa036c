import type { InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import { PROVIDER_NAMES, type ProviderInstrumentation, type ProviderName } from '../providers/types';
import { deferredDefinitions } from './deferred-definition';
import type { PatchHost } from './patching';
import type * as Anthropic from '../providers/anthropic';
import type * as Bedrock from '../providers/bedrock';
import type * as Cohere from '../providers/cohere';
import type * as Google from '../providers/google';
import type * as Groq from '../providers/groq';
import type * as HuggingFace from '../providers/huggingface';
import type * as Mistral from '../providers/mistral';
import type * as Ollama from '../providers/ollama';
import type * as OpenAi from '../providers/openai';
import type * as Replicate from '../providers/replicate';
import type * as Together from '../providers/together';
import type * as ClaudeAgent from '../frameworks/claude-agent';
import type * as LangChain from '../frameworks/langchain';
import type * as LlamaIndex from '../frameworks/llamaindex';
import type * as Mcp from '../frameworks/mcp';
import type * as OpenAiAgents from '../frameworks/openai-agents';
import type * as VectorStores from '../frameworks/vector-stores';

/**
 * Where each provider's definitions live (its package names, versions and method tables), and the packages
 * they hook. A provider that is enabled but whose packages the app never loads costs the hooks on those names
 * only: its definitions module loads at the first `require`/`import` of one of them (deferred-definition.ts).
 * An app that names its SDKs (the `providers` option, `INFINIUM_INSTRUMENTATIONS`) hooks no other names
 * (docs/performance.md). test/instrumentation/provider-registry.test.ts holds `modules` to each provider's
 * own definitions.
 */
interface Registered {
  /** The packages the definitions hook; absent where they are found at start (MCP's CommonJS copies, by path). */
  readonly modules?: readonly string[];
  readonly load: () => ProviderInstrumentation;
}

/* eslint-disable @typescript-eslint/no-require-imports */
export const PROVIDER_REGISTRY: Readonly<Record<ProviderName, Registered>> = {
  openai: { modules: ['openai'], load: () => (require('../providers/openai') as typeof OpenAi).openaiInstrumentation },
  anthropic: { modules: ['@anthropic-ai/sdk'], load: () => (require('../providers/anthropic') as typeof Anthropic).anthropicInstrumentation },
  google: {
    modules: ['@google/genai', '@google/generative-ai', '@google-cloud/vertexai'],
    load: () => (require('../providers/google') as typeof Google).googleInstrumentation,
  },
  bedrock: { modules: ['@aws-sdk/client-bedrock-runtime'], load: () => (require('../providers/bedrock') as typeof Bedrock).bedrockInstrumentation },
  cohere: { modules: ['cohere-ai'], load: () => (require('../providers/cohere') as typeof Cohere).cohereInstrumentation },
  mistralai: { modules: ['@mistralai/mistralai'], load: () => (require('../providers/mistral') as typeof Mistral).mistralInstrumentation },
  groq: { modules: ['groq-sdk'], load: () => (require('../providers/groq') as typeof Groq).groqInstrumentation },
  ollama: { modules: ['ollama'], load: () => (require('../providers/ollama') as typeof Ollama).ollamaInstrumentation },
  langchain: {
    modules: ['@langchain/core', '@langchain/langgraph'],
    load: () => (require('../frameworks/langchain') as typeof LangChain).langchainInstrumentation,
  },
  mcp: { load: () => (require('../frameworks/mcp') as typeof Mcp).mcpInstrumentation },
  'openai-agents': {
    modules: ['@openai/agents-core'],
    load: () => (require('../frameworks/openai-agents') as typeof OpenAiAgents).openaiAgentsInstrumentation,
  },
  'claude-agent': {
    modules: ['@anthropic-ai/claude-agent-sdk'],
    load: () => (require('../frameworks/claude-agent') as typeof ClaudeAgent).claudeAgentInstrumentation,
  },
  huggingface: { modules: ['@huggingface/inference'], load: () => (require('../providers/huggingface') as typeof HuggingFace).huggingfaceInstrumentation },
  replicate: { modules: ['replicate'], load: () => (require('../providers/replicate') as typeof Replicate).replicateInstrumentation },
  together: { modules: ['together-ai'], load: () => (require('../providers/together') as typeof Together).togetherInstrumentation },
  llamaindex: {
    modules: ['llamaindex', '@llamaindex/openai'],
    load: () => (require('../frameworks/llamaindex') as typeof LlamaIndex).llamaindexInstrumentation,
  },
  pinecone: { modules: ['@pinecone-database/pinecone'], load: () => (require('../frameworks/vector-stores') as typeof VectorStores).pineconeInstrumentation },
  qdrant: { modules: ['@qdrant/js-client-rest'], load: () => (require('../frameworks/vector-stores') as typeof VectorStores).qdrantInstrumentation },
  chroma: { modules: ['chromadb'], load: () => (require('../frameworks/vector-stores') as typeof VectorStores).chromaInstrumentation },
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The enabled providers' module definitions, in the order of PROVIDER_NAMES: deferred where their packages are known. */
export function providerDefinitions(enabled: readonly ProviderName[], host: PatchHost): InstrumentationModuleDefinition[] {
  return PROVIDER_NAMES.filter((name) => enabled.includes(name)).flatMap((name): InstrumentationModuleDefinition[] => {
    const { modules, load } = PROVIDER_REGISTRY[name];
    return modules ? deferredDefinitions(modules, () => load().definitions(host)) : load().definitions(host);
  });
}
