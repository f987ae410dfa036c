import { createCallRecord, noteFinishReason, type CallRecord, type Message, type Usage } from '../../record/call-record';
import { aiSdkSystem } from '../../record/ai-sdk-shapes';
import { keptMessages } from '../../record/bounded';
import { toolSchemas } from '../../record/json';
import { asArray, asRecord, asReportedNumber, asString, without, type Json } from '../../record/read';
import { lcView, messageOf, messagesOf } from './llm-messages';

/**
 * A LangChain model run as the neutral `CallRecord`: for a run that no SDK call of ours served (a model
 * whose SDK we do not patch), so that LangChain's run is the LLM span, with the same attributes an SDK
 * span would carry. The request side comes from `handleChatModelStart`/`handleLLMStart`, the response
 * side from `handleLLMEnd`'s `LLMResult`.
 */

/** What a model run's start callback gave. */
export interface ModelRunStart {
  serialized: unknown;
  /** Chat models: the run's one message group. */
  messages?: unknown;
  /** Text LLMs: the run's one prompt. */
  prompts?: unknown;
  extraParams: unknown;
  metadata: unknown;
}

/** LangChain's `ls_provider` names to the `llm.provider` vocabulary, where they differ. */
const PROVIDER_BY_LS: Readonly<Record<string, string>> = {
  google_genai: 'google',
  google_vertexai: 'google',
  'google-vertexai': 'google',
  bedrock: 'aws',
  amazon_bedrock: 'aws',
  bedrock_converse: 'aws',
  mistral: 'mistralai',
  azure_openai: 'azure',
  togetherai: 'together',
};

/** Request fields that are not parameters: the tools (recorded apart) and what the request carries. */
const NOT_PARAMETERS: ReadonlySet<string> = new Set(['tools', 'functions', 'messages', 'signal', 'callbacks', 'options']);

export function modelCallRecord(start: ModelRunStart, startedAt: number): CallRecord {
  const metadata = asRecord(start.metadata) ?? {};
  const chat = start.messages !== undefined;
  const rawProvider = asString(metadata.ls_provider) ?? lcView(start.serialized)?.className ?? 'langchain';
  const lower = rawProvider.toLowerCase();
  const provider = Object.hasOwn(PROVIDER_BY_LS, lower) ? PROVIDER_BY_LS[lower] : lower;
  const record = createCallRecord('LLM', chat ? 'chat' : 'text_completion', provider, aiSdkSystem(provider));
  record.startedAt = startedAt;
  if (lower === 'google_vertexai') record.genAiProvider = 'gcp.vertex_ai';
  const extra = asRecord(start.extraParams);
  const params = asRecord(extra?.invocation_params) ?? {};
  record.requestModel = asString(metadata.ls_model_name) ?? asString(params.model) ?? asString(params.model_name) ?? asString(params.modelName);
  record.invocationParameters = without(params, NOT_PARAMETERS) ?? parametersFromMetadata(metadata);
  const tools = asArray(params.tools ?? asRecord(extra?.options)?.tools ?? params.functions);
  if (tools.length > 0) record.tools = toolSchemas(tools.map(toolSchemaOf));
  if (chat) record.inputMessages = messagesOf(start.messages);
  else record.prompts = asArray(start.prompts).filter((p): p is string => typeof p === 'string');
  return record;
}

/** The `ls_*` parameters LangChain puts in a model run's metadata, for a model that reports no invocation params. */
function parametersFromMetadata(metadata: Json): Record<string, unknown> | undefined {
  const params: Record<string, unknown> = {};
  if (metadata.ls_temperature !== undefined) params.temperature = metadata.ls_temperature;
  if (metadata.ls_max_tokens !== undefined) params.max_tokens = metadata.ls_max_tokens;
  if (metadata.ls_stop !== undefined) params.stop = metadata.ls_stop;
  return Object.keys(params).length > 0 ? params : undefined;
}

/**
 * A tool offered to the model: a tool definition (OpenAI's, Anthropic's) as it is; a LangChain tool object
 * (what a model's `bindTools` may pass on) as its name and description, since its schema is a zod object.
 */
function toolSchemaOf(tool: unknown): unknown {
  const t = asRecord(tool);
  if (!t || t.lc_serializable === undefined || typeof t.name !== 'string') return tool;
  return { type: 'function', function: { name: t.name, description: asString(t.description) } };
}

/** The response side of an `LLMResult`: the output messages, finish reasons, response model and id, usage. */
export function recordModelOutput(record: CallRecord, output: unknown): void {
  const result = asRecord(output);
  const choices = keptMessages(asArray(result?.generations)[0], record);
  let usage: Usage | undefined;
  for (let i = 0; i < choices.length; i++) {
    const generation = asRecord(choices[i]);
    const messageValue = generation?.message;
    const fields = lcView(messageValue)?.fields;
    const message: Message = (messageValue !== undefined ? messageOf(messageValue) : undefined) ?? {
      role: 'assistant',
      content: asString(generation?.text) ?? '',
    };
    message.role ??= 'assistant';
    record.outputMessages.push(message);
    const responseMetadata = asRecord(fields?.response_metadata);
    const info = asRecord(generation?.generationInfo);
    noteFinishReason(record, i, asString(info?.finish_reason) ?? asString(responseMetadata?.finish_reason) ?? asString(responseMetadata?.stop_reason));
    if (i !== 0) continue;
    record.responseModel = asString(responseMetadata?.model_name) ?? asString(responseMetadata?.model);
    const id = asString(responseMetadata?.id) ?? asString(fields?.id);
    if (id !== undefined && !id.startsWith('run-')) record.responseId = id;
    usage = usageOf(fields?.usage_metadata);
  }
  const llmOutput = asRecord(result?.llmOutput);
  record.responseModel ??= asString(llmOutput?.model_name) ?? asString(llmOutput?.model);
  usage ??= legacyUsageOf(llmOutput?.tokenUsage ?? llmOutput?.token_usage);
  if (usage) record.usage = usage;
}

/** `usage_metadata` (core's `UsageMetadata`), with its cache, audio and reasoning details. */
export function usageOf(value: unknown): Usage | undefined {
  const u = asRecord(value);
  if (!u) return undefined;
  const input = asRecord(u.input_token_details);
  const output = asRecord(u.output_token_details);
  return defined({
    prompt: asReportedNumber(u.input_tokens),
    completion: asReportedNumber(u.output_tokens),
    total: asReportedNumber(u.total_tokens),
    cacheRead: asReportedNumber(input?.cache_read),
    cacheWrite: asReportedNumber(input?.cache_creation),
    promptAudio: asReportedNumber(input?.audio),
    reasoning: asReportedNumber(output?.reasoning),
    completionAudio: asReportedNumber(output?.audio),
  });
}

/** `llmOutput.tokenUsage` of older integrations (camelCase), or `token_usage` (OpenAI's own names). */
function legacyUsageOf(value: unknown): Usage | undefined {
  const u = asRecord(value);
  if (!u) return undefined;
  return defined({
    prompt: asReportedNumber(u.promptTokens ?? u.prompt_tokens),
    completion: asReportedNumber(u.completionTokens ?? u.completion_tokens),
    total: asReportedNumber(u.totalTokens ?? u.total_tokens),
  });
}

/** The counts that are there; undefined when none is. */
function defined(usage: Usage): Usage | undefined {
  let out: Usage | undefined;
  for (const key of Object.keys(usage) as (keyof Usage)[]) {
    if (usage[key] !== undefined) (out ??= {})[key] = usage[key];
  }
  return out;
}
