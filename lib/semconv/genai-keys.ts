/**
 * The OpenTelemetry GenAI keys, values and metric names of @opentelemetry/semantic-conventions' incubating
 * entry, spelled out as values: that entry is over 1 MB of JavaScript (every experimental key of every
 * domain), which a process would load, and keep, for these few strings. Each is asserted equal to the
 * package's constant of the same meaning (test/semconv/genai-keys-constants.test.ts). Only the GenAI
 * renderer and the metrics import this file, and they are loaded when first needed (see
 * genai-conventions.ts and genai-meter.ts).
 */
import type { CallRecord } from '../record/call-record';

export const GEN_AI = {
  OPERATION_NAME: 'gen_ai.operation.name',
  PROVIDER_NAME: 'gen_ai.provider.name',
  REQUEST_MODEL: 'gen_ai.request.model',
  RESPONSE_MODEL: 'gen_ai.response.model',
  RESPONSE_ID: 'gen_ai.response.id',
  RESPONSE_FINISH_REASONS: 'gen_ai.response.finish_reasons',
  RESPONSE_TIME_TO_FIRST_CHUNK: 'gen_ai.response.time_to_first_chunk',
  USAGE_INPUT_TOKENS: 'gen_ai.usage.input_tokens',
  USAGE_OUTPUT_TOKENS: 'gen_ai.usage.output_tokens',
  USAGE_CACHE_READ_INPUT_TOKENS: 'gen_ai.usage.cache_read.input_tokens',
  USAGE_CACHE_CREATION_INPUT_TOKENS: 'gen_ai.usage.cache_creation.input_tokens',
  USAGE_REASONING_OUTPUT_TOKENS: 'gen_ai.usage.reasoning.output_tokens',
  REQUEST_TEMPERATURE: 'gen_ai.request.temperature',
  REQUEST_TOP_P: 'gen_ai.request.top_p',
  REQUEST_TOP_K: 'gen_ai.request.top_k',
  REQUEST_MAX_TOKENS: 'gen_ai.request.max_tokens',
  REQUEST_STOP_SEQUENCES: 'gen_ai.request.stop_sequences',
  REQUEST_SEED: 'gen_ai.request.seed',
  REQUEST_FREQUENCY_PENALTY: 'gen_ai.request.frequency_penalty',
  REQUEST_PRESENCE_PENALTY: 'gen_ai.request.presence_penalty',
  REQUEST_CHOICE_COUNT: 'gen_ai.request.choice.count',
  OUTPUT_TYPE: 'gen_ai.output.type',
  EMBEDDINGS_DIMENSION_COUNT: 'gen_ai.embeddings.dimension.count',
  INPUT_MESSAGES: 'gen_ai.input.messages',
  OUTPUT_MESSAGES: 'gen_ai.output.messages',
  SYSTEM_INSTRUCTIONS: 'gen_ai.system_instructions',
  TOKEN_TYPE: 'gen_ai.token.type',
  SERVER_ADDRESS: 'server.address',
  SERVER_PORT: 'server.port',
  ERROR_TYPE: 'error.type',
  // Agent, tool and retrieval spans (framework runs, semconv/render-run-genai.ts)
  AGENT_NAME: 'gen_ai.agent.name',
  CONVERSATION_ID: 'gen_ai.conversation.id',
  TOOL_NAME: 'gen_ai.tool.name',
  TOOL_TYPE: 'gen_ai.tool.type',
  TOOL_DESCRIPTION: 'gen_ai.tool.description',
  TOOL_CALL_ID: 'gen_ai.tool.call.id',
  TOOL_CALL_ARGUMENTS: 'gen_ai.tool.call.arguments',
  TOOL_CALL_RESULT: 'gen_ai.tool.call.result',
  RETRIEVAL_QUERY_TEXT: 'gen_ai.retrieval.query.text',
  RETRIEVAL_DOCUMENTS: 'gen_ai.retrieval.documents',
} as const;

export const GEN_AI_OPERATION = {
  CHAT: 'chat',
  TEXT_COMPLETION: 'text_completion',
  GENERATE_CONTENT: 'generate_content',
  EMBEDDINGS: 'embeddings',
  INVOKE_AGENT: 'invoke_agent',
  EXECUTE_TOOL: 'execute_tool',
  RETRIEVAL: 'retrieval',
} as const;

/**
 * `gen_ai.tool.type` of a tool the app's own code runs (a framework's tool): the registry's `function`.
 * The registry lists the values (function, extension, datastore) but exports no constants for them.
 */
export const GEN_AI_TOOL_TYPE_FUNCTION = 'function';

export const GEN_AI_TOKEN_TYPE = {
  INPUT: 'input',
  OUTPUT: 'output',
} as const;

/** `llm.provider` (the record's provider) to the GenAI registry's `gen_ai.provider.name`. */
export const GEN_AI_PROVIDER_BY_PROVIDER: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'gcp.gemini',
  xai: 'x_ai',
  azure: 'azure.ai.openai',
  aws: 'aws.bedrock',
  mistralai: 'mistral_ai',
  groq: 'groq',
  cohere: 'cohere',
  deepseek: 'deepseek',
  perplexity: 'perplexity',
  ibm: 'ibm.watsonx.ai',
};

/** The Vertex AI name, for adapters that know the Google client is on Vertex AI. */
export const GEN_AI_PROVIDER_VERTEX_AI = 'gcp.vertex_ai';

export const GEN_AI_METRIC = {
  TOKEN_USAGE: 'gen_ai.client.token.usage',
  OPERATION_DURATION: 'gen_ai.client.operation.duration',
  TIME_TO_FIRST_CHUNK: 'gen_ai.client.operation.time_to_first_chunk',
} as const;

/*
 * The registry's names for a record, here rather than in the renderer: the GenAI metrics need them, and
 * nothing else of the renderer.
 */

/** `responses` (OpenAI's Responses API) is a chat operation in the conventions; the others keep their name. */
export function genAiOperationName(operation: string): string {
  return operation === 'responses' ? GEN_AI_OPERATION.CHAT : operation;
}

/** The registry's `gen_ai.provider.name`; a provider it does not list keeps its own name. */
export function genAiProviderName(record: CallRecord): string {
  if (record.genAiProvider !== undefined) return record.genAiProvider;
  if (record.provider === 'google' && record.server?.address.endsWith('aiplatform.googleapis.com')) return GEN_AI_PROVIDER_VERTEX_AI;
  return Object.hasOwn(GEN_AI_PROVIDER_BY_PROVIDER, record.provider) ? GEN_AI_PROVIDER_BY_PROVIDER[record.provider] : record.provider;
}
