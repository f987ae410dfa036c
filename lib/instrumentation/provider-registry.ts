import { PROVIDER_NAMES, type ProviderInstrumentation, type ProviderName } from '../providers/types';
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
 * Where each provider's definitions live (its package names, versions and method tables): a module required
 * only when the provider is enabled. By default every provider is, and every definition loads at start. An app
 * that names its SDKs (the `providers` option, `INFINIUM_INSTRUMENTATIONS`) loads none of the others': for
 * OpenAI alone, 17 modules of ours fewer at start and 9–18 ms of CPU on Node 20 (docs/performance.md).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const DEFINITIONS: Readonly<Record<ProviderName, () => ProviderInstrumentation>> = {
  openai: () => (require('../providers/openai') as typeof OpenAi).openaiInstrumentation,
  anthropic: () => (require('../providers/anthropic') as typeof Anthropic).anthropicInstrumentation,
  google: () => (require('../providers/google') as typeof Google).googleInstrumentation,
  bedrock: () => (require('../providers/bedrock') as typeof Bedrock).bedrockInstrumentation,
  cohere: () => (require('../providers/cohere') as typeof Cohere).cohereInstrumentation,
  mistralai: () => (require('../providers/mistral') as typeof Mistral).mistralInstrumentation,
  groq: () => (require('../providers/groq') as typeof Groq).groqInstrumentation,
  ollama: () => (require('../providers/ollama') as typeof Ollama).ollamaInstrumentation,
  langchain: () => (require('../frameworks/langchain') as typeof LangChain).langchainInstrumentation,
  mcp: () => (require('../frameworks/mcp') as typeof Mcp).mcpInstrumentation,
  'openai-agents': () => (require('../frameworks/openai-agents') as typeof OpenAiAgents).openaiAgentsInstrumentation,
  'claude-agent': () => (require('../frameworks/claude-agent') as typeof ClaudeAgent).claudeAgentInstrumentation,
  huggingface: () => (require('../providers/huggingface') as typeof HuggingFace).huggingfaceInstrumentation,
  replicate: () => (require('../providers/replicate') as typeof Replicate).replicateInstrumentation,
  together: () => (require('../providers/together') as typeof Together).togetherInstrumentation,
  llamaindex: () => (require('../frameworks/llamaindex') as typeof LlamaIndex).llamaindexInstrumentation,
  pinecone: () => (require('../frameworks/vector-stores') as typeof VectorStores).pineconeInstrumentation,
  qdrant: () => (require('../frameworks/vector-stores') as typeof VectorStores).qdrantInstrumentation,
  chroma: () => (require('../frameworks/vector-stores') as typeof VectorStores).chromaInstrumentation,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** The enabled providers' instrumentations, in the order of PROVIDER_NAMES, each definitions module loaded now. */
export function providerInstrumentations(enabled: readonly ProviderName[]): ProviderInstrumentation[] {
  return PROVIDER_NAMES.filter((name) => enabled.includes(name)).map((name) => DEFINITIONS[name]());
}
