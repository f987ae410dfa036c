import { Attributes, SpanStatusCode } from '@opentelemetry/api';
import { CallKind, CallRecord, createCallRecord, noteFinishReason, Usage } from '../record/call-record';
import { asArray, asNumber, asString } from '../record/read';
import { parseJson, toolSchemas } from '../record/json';
import { parseGenAiMessages, parseSystemInstructions } from './genai-messages';
import type { OpenInferenceKind } from '../semconv/genai-operation-kinds';
import { GEN_AI_OPERATION } from './ai-span-keys';

/**
 * Maps a foreign span's OTel GenAI attributes (`gen_ai.*`, as written by @opentelemetry/instrumentation-openai,
 * the Anthropic SDK, the Vercel AI SDK, OpenLLMetry) into the neutral call record, so the one renderer
 * writes its OpenInference + Infinium attributes. Pure: attributes in, record out.
 */
export { genAiSpanKind } from '../semconv/genai-operation-kinds';
export type { OpenInferenceKind } from '../semconv/genai-operation-kinds';

/** GenAI provider names (new and old spellings) to the `llm.provider` vocabulary. */
const PROVIDERS: Readonly<Record<string, string>> = {
  'gcp.gemini': 'google',
  'gcp.vertex_ai': 'google',
  'gcp.gen_ai': 'google',
  vertex_ai: 'google',
  vertexai: 'google',
  gemini: 'google',
  'google.generative_ai': 'google',
  'aws.bedrock': 'aws',
  'az.ai.openai': 'azure',
  'az.ai.inference': 'azure',
  'azure.ai.openai': 'azure',
  'azure.ai.inference': 'azure',
  x_ai: 'xai',
  mistral_ai: 'mistralai',
  'ibm.watsonx.ai': 'ibm',
};

/** The provider to the OpenInference `llm.system` (the API family). */
const SYSTEMS: Readonly<Record<string, string>> = { google: 'vertexai', azure: 'openai', aws: 'amazon' };

export function normalizeProvider(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'unknown';
  const lower = raw.toLowerCase();
  return Object.hasOwn(PROVIDERS, lower) ? PROVIDERS[lower] : lower;
}

export function systemOf(provider: string): string {
  return Object.hasOwn(SYSTEMS, provider) ? SYSTEMS[provider] : provider;
}

/** Request parameters kept in `llm.invocation_parameters` (the renderer writes `llm.temperature` from it). */
const PARAMETERS: ReadonlyArray<readonly [string, string]> = [
  ['gen_ai.request.temperature', 'temperature'],
  ['gen_ai.request.max_tokens', 'max_tokens'],
  ['gen_ai.request.top_p', 'top_p'],
  ['gen_ai.request.top_k', 'top_k'],
  ['gen_ai.request.frequency_penalty', 'frequency_penalty'],
  ['gen_ai.request.presence_penalty', 'presence_penalty'],
  ['gen_ai.request.stop_sequences', 'stop_sequences'],
  ['gen_ai.request.seed', 'seed'],
  ['gen_ai.request.choice.count', 'n'],
];

/** How a span ended: its status and its events (an `exception` event names the error's class). */
export interface SpanOutcome {
  readonly status: { readonly code: SpanStatusCode };
  readonly events: ReadonlyArray<{ readonly name: string; readonly attributes?: Attributes }>;
}

/** A call record for an LLM or embedding GenAI span; `outcome` supplies the error type its attributes may lack. */
export function genAiCallRecord(a: Attributes, kind: CallKind, outcome?: SpanOutcome): CallRecord {
  const provider = providerOf(a);
  const record = createCallRecord(kind, asString(a[GEN_AI_OPERATION]) ?? 'chat', provider, systemOf(provider));
  record.requestModel = asString(a['gen_ai.request.model']);
  record.responseModel = asString(a['gen_ai.response.model']);
  record.usage = usageOf(a);
  record.invocationParameters = parametersOf(a, record.requestModel);
  const system = parseSystemInstructions(a['gen_ai.system_instructions']);
  const input = parseGenAiMessages(a['gen_ai.input.messages']);
  record.inputMessages = system ? [system, ...input.messages] : input.messages;
  const output = parseGenAiMessages(a['gen_ai.output.messages']);
  record.outputMessages = output.messages;
  const finishReasons = finishReasonsOf(a['gen_ai.response.finish_reasons']) ?? output.finishReasons;
  finishReasons.forEach((reason, i) => noteFinishReason(record, i, reason));
  const tools = toolDefinitions(a['gen_ai.tool.definitions']);
  if (tools) record.tools = tools;
  const errorType = asString(a['error.type']) ?? exceptionType(outcome);
  if (errorType !== undefined) record.error = { type: errorType };
  readResponseDetails(record, a);
  return record;
}

/** OpenInference attributes for the other GenAI operations (tool, agent, workflow, retrieval). */
export function genAiOtherAttributes(a: Attributes, kind: OpenInferenceKind): Attributes {
  const out: Attributes = { 'openinference.span.kind': kind };
  if (kind === 'TOOL') {
    const name = asString(a['gen_ai.tool.name']);
    if (name !== undefined) out['tool.name'] = name;
    putValue(out, 'input', a['gen_ai.tool.call.arguments']);
    putValue(out, 'output', a['gen_ai.tool.call.result']);
  } else if (kind === 'AGENT') {
    const name = asString(a['gen_ai.agent.name']);
    if (name !== undefined) out['agent.name'] = name;
  }
  return out;
}

/** `input.value`/`output.value` from a foreign string attribute, with the MIME type its text shows. */
export function putValue(out: Attributes, prefix: 'input' | 'output', value: unknown): void {
  if (typeof value !== 'string') return;
  out[`${prefix}.value`] = value;
  out[`${prefix}.mime_type`] = looksLikeJson(value) ? 'application/json' : 'text/plain';
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart()[0];
  return (first === '{' || first === '[') && parseJson(text) !== undefined;
}

/** What the GenAI renderer and the metrics also want: the registry provider name, the endpoint, the response id. */
function readResponseDetails(record: CallRecord, a: Attributes): void {
  record.genAiProvider = asString(a['gen_ai.provider.name']);
  record.responseId = asString(a['gen_ai.response.id']);
  const address = asString(a['server.address']);
  if (address !== undefined) record.server = { address, port: asNumber(a['server.port']) };
  const firstChunkS = asNumber(a['gen_ai.response.time_to_first_chunk']);
  if (firstChunkS !== undefined) record.firstChunkMs = firstChunkS * 1000;
}

function providerOf(a: Attributes): string {
  const provider = normalizeProvider(asString(a['gen_ai.provider.name']) ?? asString(a['gen_ai.system']));
  // An OpenAI client pointed at xAI: Infinium's SDK tells them apart by the host, and so do we.
  if (provider === 'openai') {
    const host = asString(a['server.address']);
    if (host !== undefined && /x\.ai|grok|xai/.test(host)) return 'xai';
  }
  return provider;
}

function usageOf(a: Attributes): Usage {
  const usage: Usage = {};
  const prompt = count(a, 'gen_ai.usage.input_tokens') ?? count(a, 'gen_ai.usage.prompt_tokens');
  const completion = count(a, 'gen_ai.usage.output_tokens') ?? count(a, 'gen_ai.usage.completion_tokens');
  const total = count(a, 'gen_ai.usage.total_tokens');
  const cacheRead = count(a, 'gen_ai.usage.cache_read.input_tokens') ?? count(a, 'gen_ai.usage.cache_read_input_tokens');
  const cacheWrite =
    count(a, 'gen_ai.usage.cache_creation.input_tokens') ??
    count(a, 'gen_ai.usage.cache_write.input_tokens') ??
    count(a, 'gen_ai.usage.cache_creation_input_tokens');
  const reasoning = count(a, 'gen_ai.usage.reasoning.output_tokens') ?? count(a, 'gen_ai.usage.reasoning_tokens');
  if (prompt !== undefined) usage.prompt = prompt;
  if (completion !== undefined) usage.completion = completion;
  if (total !== undefined) usage.total = total;
  if (cacheRead !== undefined) usage.cacheRead = cacheRead;
  if (cacheWrite !== undefined) usage.cacheWrite = cacheWrite;
  if (reasoning !== undefined) usage.reasoning = reasoning;
  return usage;
}

function count(a: Attributes, key: string): number | undefined {
  const value = asNumber(a[key]);
  return value !== undefined && value >= 0 ? value : undefined;
}

function parametersOf(a: Attributes, model: string | undefined): Record<string, unknown> | undefined {
  let params: Record<string, unknown> | undefined;
  for (const [key, name] of PARAMETERS) {
    const value = a[key];
    if (value !== undefined && value !== null) (params ??= {})[name] = value;
  }
  if (params && model !== undefined) params = { model, ...params };
  return params;
}

/** The attribute's finish reasons (a list, or one string from some emitters); `undefined` when it names none. */
function finishReasonsOf(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
  return list.length > 0 ? list : undefined;
}

/**
 * A failed span's error class from its `exception` event, for emitters that write no `error.type` (`@ai-sdk/otel`
 * sets the ERROR status and records the exception only). The last such event: the error that ended the span.
 */
function exceptionType(outcome: SpanOutcome | undefined): string | undefined {
  if (outcome?.status.code !== SpanStatusCode.ERROR) return undefined;
  for (let i = outcome.events.length - 1; i >= 0; i--) {
    const event = outcome.events[i];
    const type = event.name === 'exception' ? asString(event.attributes?.['exception.type']) : undefined;
    if (type !== undefined && type !== '') return type;
  }
  return undefined;
}

/** `gen_ai.tool.definitions`: a JSON list of tool schemas; each becomes one `llm.tools.<i>.tool.json_schema`. */
function toolDefinitions(value: unknown): string[] | undefined {
  return toolSchemas(asArray(parseJson(value)));
}
