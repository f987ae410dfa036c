import { diag } from '@opentelemetry/api';
import type { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import type { PatchHost } from '../instrumentation/patching';

/**
 * What a user can enable or disable by name (`providers` option, `INFINIUM_INSTRUMENTATIONS`): the LLM
 * SDKs we patch, the agent frameworks (`langchain`, which covers LangGraph, since LangGraph runs on
 * `@langchain/core`), MCP, and the agent SDKs (`openai-agents`, `claude-agent`).
 */
export type ProviderName = 'openai' | 'anthropic' | 'google' | 'bedrock' | 'cohere' | 'mistralai' | 'groq' | 'ollama' | 'langchain' | 'mcp'
  | 'openai-agents' | 'claude-agent' | 'huggingface' | 'replicate' | 'together' | 'llamaindex' | 'pinecone' | 'qdrant' | 'chroma';
export const PROVIDER_NAMES: readonly ProviderName[] = [
  'openai', 'anthropic', 'google', 'bedrock', 'cohere', 'mistralai', 'groq', 'ollama', 'langchain', 'mcp', 'openai-agents',
  'claude-agent', 'huggingface', 'replicate', 'together', 'llamaindex', 'pinecone', 'qdrant', 'chroma',
];

/**
 * The names people say for a provider (the README's own words among them: xAI, Grok, Gemini), and
 * the SDK package names, mapped to the provider that patches that SDK. xAI and Grok are served
 * through the `openai` SDK, so they enable the `openai` patch (every OpenAI-compatible host with it).
 */
export const PROVIDER_ALIASES: Readonly<Record<string, ProviderName>> = {
  xai: 'openai',
  'x.ai': 'openai',
  grok: 'openai',
  chatgpt: 'openai',
  gpt: 'openai',
  'azure-openai': 'openai',
  claude: 'anthropic',
  '@anthropic-ai/sdk': 'anthropic',
  gemini: 'google',
  genai: 'google',
  'google-genai': 'google',
  '@google/genai': 'google',
  'google-generative-ai': 'google',
  '@google/generative-ai': 'google',
  vertex: 'google',
  vertexai: 'google',
  aws: 'bedrock',
  'amazon-bedrock': 'bedrock',
  '@aws-sdk/client-bedrock-runtime': 'bedrock',
  'cohere-ai': 'cohere',
  mistral: 'mistralai',
  '@mistralai/mistralai': 'mistralai',
  'groq-sdk': 'groq',
  langgraph: 'langchain',
  '@langchain/core': 'langchain',
  '@langchain/langgraph': 'langchain',
  '@modelcontextprotocol/sdk': 'mcp',
  'openai-agents-sdk': 'openai-agents',
  '@openai/agents': 'openai-agents',
  '@openai/agents-core': 'openai-agents',
  'claude-agent-sdk': 'claude-agent',
  'claude-code': 'claude-agent',
  '@anthropic-ai/claude-agent-sdk': 'claude-agent',
  '@anthropic-ai/vertex-sdk': 'anthropic',
  '@anthropic-ai/bedrock-sdk': 'anthropic',
  '@google-cloud/vertexai': 'google',
  hf: 'huggingface',
  'hugging-face': 'huggingface',
  '@huggingface/inference': 'huggingface',
  'together-ai': 'together',
  togetherai: 'together',
  'llama-index': 'llamaindex',
  '@llamaindex/core': 'llamaindex',
  '@pinecone-database/pinecone': 'pinecone',
  '@qdrant/js-client-rest': 'qdrant',
  chromadb: 'chroma',
};

const warnedNames = new Set<string>();

function warnOncePerMessage(level: 'warn' | 'error', message: string): void {
  if (warnedNames.has(message)) return;
  warnedNames.add(message);
  diag[level](message);
}

/**
 * The providers a list of names enables (`providers` option or `INFINIUM_INSTRUMENTATIONS`), in the
 * order first named, aliases resolved, case ignored. Unknown names are warned about once; a non-empty
 * list that enables nothing is an error line, since nothing at all would be traced.
 */
export function resolveProviderNames(requested: readonly unknown[], source: string): ProviderName[] {
  const enabled: ProviderName[] = [];
  const unknown: string[] = [];
  for (const raw of requested) {
    const name = typeof raw === 'string' ? raw.trim().toLowerCase() : String(raw);
    const provider = (PROVIDER_NAMES as readonly string[]).includes(name) ? (name as ProviderName) : PROVIDER_ALIASES[name];
    if (provider === undefined) unknown.push(name);
    else if (!enabled.includes(provider)) enabled.push(provider);
  }
  const known = 'openai (also xai, grok), anthropic (also claude), google (also gemini), bedrock (also aws), cohere, mistralai (also mistral), groq, ollama, langchain (also langgraph), mcp, openai-agents (also @openai/agents), claude-agent (also claude-agent-sdk, claude-code), huggingface (also hf), replicate, together (also together-ai), llamaindex, pinecone, qdrant, chroma (also chromadb)';
  for (const name of unknown) {
    warnOncePerMessage('warn', `@infinium/otel: unknown provider ${JSON.stringify(name)} in ${source} ignored; known: ${known}`);
  }
  if (enabled.length === 0 && requested.length > 0) {
    warnOncePerMessage(
      'error',
      `@infinium/otel: ${source} (${requested.map(String).join(',')}) names no known provider, so NO LLM call will be traced; known: ${known}`,
    );
  }
  return enabled;
}

export type { AnyFunction, PatchHost } from '../instrumentation/patching';
export { moduleExports, prototypeAt, prototypeOf } from '../instrumentation/patching';
/** One provider or framework: the module(s) it patches, with their version ranges. */
export interface ProviderInstrumentation {
  readonly name: ProviderName;
  definitions(host: PatchHost): InstrumentationNodeModuleDefinition[];
}
