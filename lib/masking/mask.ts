import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { settingsOnly, toolNameOnly } from './content-filters';
import type { TraceConfig } from './trace-config';
import { capAttributeValue } from '../config/text-cap';

/** What a hidden value becomes, as the OpenInference configuration spec says. */
export const REDACTED = '__REDACTED__';

const BASE64_MARKER = ';base64,';

/**
 * The one masking function. The instrumentation applies it to every attribute it renders and the span
 * processor applies it to every attribute of every span, ours or another instrumentation's.
 * Returns the value to record, or `undefined` when the attribute must not be recorded at all. Whatever is
 * recorded is held to the text cap (`maxAttributeLength`).
 */
export function maskAttribute(config: TraceConfig, key: string, value: AttributeValue): AttributeValue | undefined {
  const masked = config.showsEverything ? truncateDataUrl(value, config.base64ImageMaxLength) : maskByCategory(config, key, value);
  return masked === undefined ? undefined : capAttributeValue(masked, config.maxAttributeLength);
}

/** Request text hides under capture off and hide-inputs; under hide-input-text too (it is input text). */
function hidesRequestText(config: TraceConfig): boolean {
  return !config.captureContent || config.hideInputs || config.hideInputText;
}

function maskByCategory(config: TraceConfig, key: string, value: AttributeValue): AttributeValue | undefined {
  switch (classify(key)) {
    case Category.InputValue:
      return config.hideInputs || !config.captureContent ? REDACTED : value;
    case Category.InputMimeType:
      return config.hideInputs ? undefined : value;
    case Category.OutputValue:
      return config.hideOutputs || !config.captureContent ? REDACTED : value;
    case Category.OutputMimeType:
      return config.hideOutputs ? undefined : value;
    case Category.InputMessageStructure:
      return config.hideInputs || config.hideInputMessages ? undefined : value;
    case Category.InputMessageText:
      if (config.hideInputs || config.hideInputMessages) return undefined;
      return config.hideInputText ? REDACTED : value;
    case Category.InputMessageImage:
      if (config.hideInputs || config.hideInputMessages || config.hideInputImages) return undefined;
      return truncateDataUrl(value, config.base64ImageMaxLength);
    case Category.OutputMessageStructure:
      return config.hideOutputs || config.hideOutputMessages ? undefined : value;
    case Category.OutputMessageText:
      if (config.hideOutputs || config.hideOutputMessages) return undefined;
      return config.hideOutputText ? REDACTED : value;
    case Category.OutputMessageImage:
      if (config.hideOutputs || config.hideOutputMessages || !config.captureContent) return undefined;
      return truncateDataUrl(value, config.base64ImageMaxLength);
    case Category.Tools:
      // openinference-core removes the tools under hide-inputs; capture off keeps the tool names.
      if (config.hideLlmTools || config.hideInputs) return undefined;
      if (!config.captureContent) return typeof value === 'string' ? toolNameOnly(value) : undefined;
      return value;
    case Category.ForeignTools:
      if (config.hideLlmTools || config.hideInputs) return undefined;
      return config.captureContent ? value : REDACTED;
    case Category.InvocationParameters:
      if (config.hideLlmInvocationParameters) return undefined;
      if (hidesRequestText(config)) return typeof value === 'string' ? settingsOnly(value) : undefined;
      return value;
    case Category.Prompts:
      return config.hidePrompts || config.hideInputs ? undefined : value;
    case Category.Choices:
      return config.hideChoices || config.hideOutputs ? undefined : value;
    case Category.EmbeddingVector:
      return config.hideEmbeddingsVectors ? undefined : value;
    case Category.EmbeddingText:
      return config.hideEmbeddingsText || config.hideInputs ? REDACTED : value;
    case Category.ForeignInputContent:
      return config.hideInputs || config.hideInputMessages || config.hideInputText ? REDACTED : value;
    case Category.ForeignOutputContent:
      return config.hideOutputs || config.hideOutputMessages || config.hideOutputText ? REDACTED : value;
    default:
      return truncateDataUrl(value, config.base64ImageMaxLength);
  }
}

/** Masks a whole attribute map in place; returns it for chaining. */
export function maskAttributes(config: TraceConfig, attributes: Attributes): Attributes {
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === undefined) continue;
    const masked = maskAttribute(config, key, value);
    if (masked === undefined) delete attributes[key];
    else if (masked !== value) attributes[key] = masked;
  }
  return attributes;
}

/**
 * A base64 data URL longer than the limit keeps its `data:…;base64,` prefix and the start of its payload,
 * so that backends still see what kind of image it was (OpenInference drops it; we truncate, by design).
 */
export function truncateDataUrl(value: AttributeValue, maxLength: number): AttributeValue {
  if (typeof value !== 'string' || value.length <= maxLength || !value.startsWith('data:')) return value;
  const marker = value.indexOf(BASE64_MARKER);
  if (marker < 0) return value;
  return value.slice(0, Math.max(marker + BASE64_MARKER.length, maxLength));
}

const enum Category {
  Other,
  InputValue,
  InputMimeType,
  OutputValue,
  OutputMimeType,
  InputMessageStructure,
  InputMessageText,
  InputMessageImage,
  OutputMessageStructure,
  OutputMessageText,
  OutputMessageImage,
  Tools,
  ForeignTools,
  InvocationParameters,
  Prompts,
  Choices,
  EmbeddingVector,
  EmbeddingText,
  ForeignInputContent,
  ForeignOutputContent,
}

/** Message sub-keys that carry structure (who spoke, which tool), never content. */
const STRUCTURE_SUFFIXES = [
  '.message.role', '.message.name', '.message.tool_call_id', '.tool_call.id', '.tool_call.function.name',
  '.message_content.type',
];

/** Other instrumentations' content keys: OTel GenAI, OpenLLMetry, the Vercel AI SDK. */
const FOREIGN_INPUT_KEYS = new Set([
  'gen_ai.input.messages', 'gen_ai.system_instructions', 'gen_ai.tool.call.arguments', 'gen_ai.prompt',
  'ai.prompt', 'ai.prompt.messages', 'ai.toolCall.args', 'llm.prompt_template.variables',
  'gen_ai.retrieval.query.text',
]);
const FOREIGN_OUTPUT_KEYS = new Set([
  'gen_ai.output.messages', 'gen_ai.tool.call.result', 'gen_ai.completion',
  'ai.response.text', 'ai.response.toolCalls', 'ai.response.object', 'ai.toolCall.result',
  'gen_ai.retrieval.documents', 'gen_ai.evaluation.explanation',
]);

function classifyMessageKey(key: string, output: boolean): Category {
  for (const suffix of STRUCTURE_SUFFIXES) {
    if (key.endsWith(suffix)) return output ? Category.OutputMessageStructure : Category.InputMessageStructure;
  }
  if (key.includes('.message_content.image')) return output ? Category.OutputMessageImage : Category.InputMessageImage;
  return output ? Category.OutputMessageText : Category.InputMessageText;
}

/**
 * Keys repeat from call to call (indexed keys are memoized strings), so each key is classified once.
 * Bounded: a process that sees unbounded distinct keys just classifies the overflow every time.
 */
const categoryCache = new Map<string, Category>();
const CATEGORY_CACHE_LIMIT = 4096;

function classify(key: string): Category {
  let category = categoryCache.get(key);
  if (category === undefined) {
    category = classifyKey(key);
    if (categoryCache.size < CATEGORY_CACHE_LIMIT) categoryCache.set(key, category);
  }
  return category;
}

function classifyKey(key: string): Category {
  switch (key) {
    case 'input.value': return Category.InputValue;
    case 'input.mime_type': return Category.InputMimeType;
    case 'output.value': return Category.OutputValue;
    case 'output.mime_type': return Category.OutputMimeType;
    case 'llm.invocation_parameters': return Category.InvocationParameters;
  }
  if (key.startsWith('llm.input_messages.')) return classifyMessageKey(key, false);
  if (key.startsWith('llm.output_messages.')) return classifyMessageKey(key, true);
  if (key.startsWith('llm.tools.')) return Category.Tools;
  if (key.startsWith('llm.prompts')) return Category.Prompts;
  if (key.startsWith('llm.choices')) return Category.Choices;
  if (key.startsWith('embedding.embeddings.')) {
    if (key.endsWith('.embedding.vector')) return Category.EmbeddingVector;
    if (key.endsWith('.embedding.text')) return Category.EmbeddingText;
    return Category.Other;
  }
  // A reranker's query and documents are content like a prompt's text (scores and ids are not): hidden
  // (as __REDACTED__) by the same input/output text flags.
  if (key === 'reranker.query' || isDocumentContent(key, 'reranker.input_documents.')) return Category.ForeignInputContent;
  if (isDocumentContent(key, 'reranker.output_documents.')) return Category.ForeignOutputContent;
  if (key === 'gen_ai.tool.definitions') return Category.ForeignTools;
  if (FOREIGN_INPUT_KEYS.has(key)) return Category.ForeignInputContent;
  if (FOREIGN_OUTPUT_KEYS.has(key)) return Category.ForeignOutputContent;
  // OpenLLMetry's indexed form: gen_ai.prompt.0.content, gen_ai.completion.0.tool_calls.0.arguments, …
  if (key.startsWith('gen_ai.prompt.')) return key.endsWith('.role') ? Category.Other : Category.ForeignInputContent;
  if (key.startsWith('gen_ai.completion.')) {
    return key.endsWith('.role') || key.endsWith('.finish_reason') ? Category.Other : Category.ForeignOutputContent;
  }
  return Category.Other;
}

function isDocumentContent(key: string, list: string): boolean {
  return key.startsWith(list) && key.endsWith('.document.content');
}
