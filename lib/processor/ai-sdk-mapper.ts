import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { CallKind, CallRecord, createCallRecord } from '../record/call-record';
import { tokenSum, type Usage } from '../record/usage';
import { aiSdkProvider, aiSdkSettings, aiSdkSystem, aiSdkUsage, modelMessages, outputMessage } from '../record/ai-sdk-shapes';
import { parseJson, toolSchemas } from '../record/json';
import { asArray, asNumber, asRecord, asString, Json } from '../record/read';
import { OpenInferenceKind, putValue } from './genai-mapper';
import { AI_OPERATION_ID, GEN_AI_OPERATION } from './ai-span-keys';

/**
 * The Vercel AI SDK's own spans (ai 5 and 6, `experimental_telemetry: { isEnabled: true }`), which carry
 * `ai.*` attributes and no `gen_ai.operation.name`, mapped into the call record (model calls) or plain
 * OpenInference attributes (the run, tool calls). Pure: attributes in, record or attributes out.
 * Also the kinds `@ai-sdk/otel` (ai 7) writes that the GenAI table does not know: `agent_step`, `rerank`.
 */

/**
 * The kind of an ai 5/6 span by its `ai.operationId`, or undefined when it is not one. One model span per
 * request: the model call (`*.doGenerate`, `*.doStream`, `*.doEmbed`, `*.doRerank`) is the LLM, EMBEDDING
 * or RERANKER span; the operation around it (`ai.embed`, `ai.embedMany`, `ai.rerank`) is a CHAIN, as the
 * run around a `doGenerate` is the AGENT.
 */
export function aiSdkSpanKind(a: Attributes): OpenInferenceKind | 'RERANKER' | undefined {
  const id = asString(a[AI_OPERATION_ID]);
  if (id === undefined || !id.startsWith('ai.')) return undefined;
  if (id.endsWith('.doGenerate') || id.endsWith('.doStream')) return 'LLM';
  if (id.endsWith('.doEmbed')) return 'EMBEDDING';
  if (id.endsWith('.doRerank')) return 'RERANKER';
  if (id === 'ai.embed' || id === 'ai.embedMany' || id === 'ai.rerank') return 'CHAIN';
  if (id === 'ai.toolCall') return 'TOOL';
  if (/^ai\.(generate|stream)(Text|Object)$/.test(id)) return 'AGENT';
  return undefined;
}

/** `@ai-sdk/otel`'s operations missing from the GenAI table: a step is a CHAIN, a rerank a RERANKER. */
export function aiSdkOtelKind(operation: AttributeValue | undefined): 'CHAIN' | 'RERANKER' | undefined {
  if (operation === 'agent_step') return 'CHAIN';
  if (operation === 'rerank') return 'RERANKER';
  return undefined;
}

/** A call record for a `*.doGenerate`/`*.doStream` (LLM) or embed (EMBEDDING) span. */
export function aiSdkCallRecord(a: Attributes, kind: CallKind): CallRecord {
  const provider = aiSdkProvider(a['ai.model.provider']);
  const record = createCallRecord(kind, kind === 'EMBEDDING' ? 'embeddings' : 'chat', provider, aiSdkSystem(provider));
  record.requestModel = asString(a['ai.model.id']);
  record.responseModel = asString(a['ai.response.model']);
  const usage = aiSdkUsage(usageObject(a));
  // Whole before the record checks it: a cache count larger than ai 5's cache-less prompt is not malformed.
  record.usage = provider === 'anthropic' ? withAnthropicCache(usage, a) : usage;
  if (kind === 'EMBEDDING') {
    readEmbeddings(record, a);
    return record;
  }
  record.inputMessages = modelMessages(undefined, parseJson(a['ai.prompt.messages']));
  const output = outputMessage(undefined, a['ai.response.text'] ?? a['ai.response.object'], parseJson(a['ai.response.toolCalls']));
  if (output) record.outputMessages = [output];
  record.finishReason = asString(a['ai.response.finishReason']);
  const tools = toolSchemas(asArray(a['ai.prompt.tools']).map((t) => parseJson(t) ?? t));
  if (tools) record.tools = tools;
  const params = aiSdkSettings(a as Json, record.requestModel, 'ai.settings.');
  if (params) record.invocationParameters = params;
  return record;
}

/**
 * `ai.usage.inputTokens`, `ai.usage.inputTokenDetails.cacheReadTokens`, … back into one usage object. The keys
 * are anyone's to write: nodes have no prototype (a `__proto__` or `constructor` step reaches no shared
 * object), and a key below a count is skipped (writing a property on a number throws).
 */
function usageObject(a: Attributes): Json {
  const usage: Json = Object.create(null) as Json;
  for (const key of Object.keys(a)) {
    if (!key.startsWith('ai.usage.')) continue;
    const path = key.slice('ai.usage.'.length).split('.');
    let node: Json | undefined = usage;
    for (const step of path.slice(0, -1)) node = node && childNode(node, step);
    if (node) node[path[path.length - 1]] = a[key];
  }
  return usage;
}

function childNode(node: Json, step: string): Json | undefined {
  const child = node[step];
  if (child === undefined) return (node[step] = Object.create(null) as Json);
  return asRecord(child);
}

/**
 * ai 5 reports Anthropic's `input_tokens` alone (without the cache) and keeps the cache counts in the
 * provider metadata: the prompt count is input + cache write + cache read, as for every Anthropic call.
 */
function withAnthropicCache(usage: Usage, a: Attributes): Usage {
  if (usage.prompt === undefined) return usage;
  const raw = asRecord(asRecord(asRecord(parseJson(a['ai.response.providerMetadata']))?.anthropic)?.usage);
  // Only where the prompt is Anthropic's own input_tokens (ai 5; ai 6 and later count the cache in): ai 5 may
  // still report the cache read beside it (`cachedInputTokens`), which did not make the prompt whole.
  if (asNumber(raw?.input_tokens) !== usage.prompt) return usage;
  const cacheRead = asNumber(raw?.cache_read_input_tokens) ?? usage.cacheRead;
  const cacheWrite = asNumber(raw?.cache_creation_input_tokens) ?? usage.cacheWrite;
  return { ...usage, cacheRead, cacheWrite, prompt: tokenSum(usage.prompt, cacheRead, cacheWrite) };
}

/** `ai.value`/`ai.values` (JSON strings) and `ai.embedding`/`ai.embeddings` (JSON vectors). */
function readEmbeddings(record: CallRecord, a: Attributes): void {
  const values = a['ai.values'] !== undefined ? asArray(a['ai.values']) : a['ai.value'] !== undefined ? [a['ai.value']] : [];
  const vectors = a['ai.embeddings'] !== undefined ? asArray(a['ai.embeddings']) : a['ai.embedding'] !== undefined ? [a['ai.embedding']] : [];
  const count = Math.max(values.length, vectors.length);
  if (count === 0) return;
  record.embeddings = [];
  for (let i = 0; i < count; i++) {
    const text = parseJson(values[i]);
    const vector = asArray(parseJson(vectors[i])).filter((n): n is number => asNumber(n) !== undefined);
    record.embeddings.push({ ...(typeof text === 'string' ? { text } : {}), ...(vector.length > 0 ? { vector } : {}) });
  }
}

/** OpenInference attributes for the run (AGENT), tool (TOOL) and embed/rerank operation (CHAIN) spans; a rerank call (RERANKER) gets its kind. */
export function aiSdkOtherAttributes(a: Attributes, kind: string): Attributes {
  const out: Attributes = { 'openinference.span.kind': kind };
  if (kind === 'TOOL') {
    const name = asString(a['ai.toolCall.name']);
    if (name !== undefined) out['tool.name'] = name;
    const id = asString(a['ai.toolCall.id']);
    if (id !== undefined) out['tool_call.id'] = id;
    putValue(out, 'input', a['ai.toolCall.args'] ?? a['ai.toolCall.input']);
    putValue(out, 'output', a['ai.toolCall.result'] ?? a['ai.toolCall.output']);
    return out;
  }
  if (kind === 'CHAIN') {
    putValue(out, 'input', operationInput(a));
    return out;
  }
  if (kind !== 'AGENT') return out;
  const functionId = asString(a['ai.telemetry.functionId']);
  if (functionId !== undefined) out['agent.name'] = functionId;
  const input = runInput(a['ai.prompt']);
  if (input !== '') putValue(out, 'input', input);
  putValue(out, 'output', a['ai.response.text'] ?? a['ai.response.object']);
  return out;
}

/**
 * What an embed operation was given: `ai.value` (one JSON value) as its text, `ai.values` (a list of JSON
 * values) as one JSON list. The vectors stay on the EMBEDDING span.
 */
function operationInput(a: Attributes): AttributeValue | undefined {
  if (a['ai.value'] !== undefined) return textOrJson(parseJson(a['ai.value']));
  if (a['ai.values'] !== undefined) return textOrJson(asArray(a['ai.values']).map((v) => parseJson(v) ?? v));
  return undefined;
}

function textOrJson(value: unknown): AttributeValue | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `ai.prompt` is `{"system":…,"prompt":…}` or `{"messages":[…]}`: a plain prompt is shown as its text. */
function runInput(value: AttributeValue | undefined): AttributeValue | undefined {
  const prompt = parseJson(value) as Json | undefined;
  const text = prompt && typeof prompt === 'object' ? prompt.prompt : undefined;
  return typeof text === 'string' ? text : value;
}

/** What a conversion reads of a foreign span: its name, attributes and instrumentation scope. */
export interface ForeignSpan {
  readonly name: string;
  readonly attributes: Attributes;
  readonly instrumentationScope: { readonly name: string };
}

/**
 * How a foreign span converts (the AI SDK's, and the agent frameworks' in foreign-runs.ts): a model call as a
 * record, any other span as its OpenInference attributes.
 */
export type AiSdkConversion =
  | { kind: CallKind; record: CallRecord }
  | {
      kind: string;
      attributes: Attributes;
      /**
       * The usage a run reports for the model calls beneath it (Mastra's model loop: the sum of its requests),
       * rendered on the run only when every LLM span that ended under it carried no token count (Mastra's
       * streamed requests), so that the calls' tokens and cost are counted once, never twice nor not at all.
       */
      callsUsage?: CallRecord;
    };

/**
 * The conversion of an AI SDK span that has no kind yet: an ai 5/6 `ai.*` span, or an `@ai-sdk/otel` step
 * or rerank. A model call becomes a record, which the processor renders in its conventions like any other
 * call. `undefined` for other spans.
 */
export function aiSdkConversion(a: Attributes): AiSdkConversion | undefined {
  const otelKind = aiSdkOtelKind(a[GEN_AI_OPERATION]);
  if (otelKind) return { kind: otelKind, attributes: { 'openinference.span.kind': otelKind } };
  const kind = aiSdkSpanKind(a);
  if (kind === undefined) return undefined;
  if (kind !== 'LLM' && kind !== 'EMBEDDING') return { kind, attributes: aiSdkOtherAttributes(a, kind) };
  return { kind, record: aiSdkCallRecord(a, kind) };
}
