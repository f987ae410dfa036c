import { Attributes, Context, diag } from '@opentelemetry/api';
import { CallRuntime, LlmCall } from '../../instrumentation/llm-call';
import { textOf } from '../../record/ai-sdk-shapes';
import { asArray, asNumber, asRecord, asString, Json } from '../../record/read';
import { OI } from '../../semconv/attributes';
import { OperationSpan } from './operation-span';
import { newRecord, readModelRequest, readModelResponse } from './records';

/** One traced AI SDK operation: either a model call (LLM, EMBEDDING) or another operation span. */
export type Traced = { call: LlmCall; op?: undefined } | { op: OperationSpan; call?: undefined };

export function contextOf(traced: Traced): Context {
  return traced.call ? traced.call.context : traced.op.context;
}

/**
 * The span for one channel message, by its type: AGENT for generateText/streamText (named after the
 * `functionId` when set), CHAIN per step, LLM per model call, TOOL per tool execution, CHAIN for
 * embed/embedMany (their requests: `EmbedCalls`), RERANKER for rerank. Other types (speech, transcription, decide) are not traced.
 */
export function startOperation(runtime: CallRuntime, type: string, event: Json, parent: Context): Traced | undefined {
  switch (type) {
    case 'generateText':
    case 'streamText':
      return { op: startAgent(runtime, type, event, parent) };
    case 'step':
      return { op: new OperationSpan(runtime, `step ${(asNumber(event.stepNumber) ?? 0) + 1}`, 'CHAIN', parent) };
    case 'languageModelCall': {
      const record = newRecord('LLM', 'chat', event);
      const call = new LlmCall(runtime, record, parent);
      if (call.recording) readSafely(() => readModelRequest(record, event));
      return { call };
    }
    case 'executeTool':
      return { op: startTool(runtime, event, parent) };
    case 'embed':
    case 'embedMany':
      return { op: startEmbedOperation(runtime, type, event, parent) };
    case 'rerank':
      return { op: startRerank(runtime, event, parent) };
    default:
      return undefined;
  }
}

/** The run's AGENT span, named after the `functionId` when the app set one. */
export function startAgent(runtime: CallRuntime, type: string, event: Json, parent: Context): OperationSpan {
  const functionId = asString(event.functionId);
  const op = new OperationSpan(runtime, functionId ?? asString(event.operationId) ?? `ai.${type}`, 'AGENT', parent);
  if (!op.recording) return op;
  const input: Attributes = {};
  if (functionId !== undefined) input[OI.AGENT_NAME] = functionId;
  readSafely(() => {
    if (event.recordInputs !== false) Object.assign(input, valueAttributes('input', agentInput(event)));
  });
  op.put(input);
  return op;
}

/** The prompt the app gave: its last user message as text when that is all there is, else the messages. */
function agentInput(event: Json): unknown {
  const messages = asArray(event.messages);
  const only = messages.length === 1 ? asRecord(messages[0]) : undefined;
  if (only?.role === 'user' && typeof only.content === 'string') return only.content;
  return messages.length > 0 ? messages : undefined;
}

/**
 * An embed or embedMany: a CHAIN (named by its operation id, as ai 5/6 name theirs) with the values as
 * input, over one EMBEDDING span per request (lib/providers/ai-sdk/embed-calls.ts).
 */
function startEmbedOperation(runtime: CallRuntime, type: string, event: Json, parent: Context): OperationSpan {
  const op = new OperationSpan(runtime, asString(event.operationId) ?? `ai.${type}`, 'CHAIN', parent);
  if (op.recording && event.recordInputs !== false) readSafely(() => op.put(valueAttributes('input', event.value ?? event.values)));
  return op;
}

function startTool(runtime: CallRuntime, event: Json, parent: Context): OperationSpan {
  const toolCall = asRecord(event.toolCall);
  const name = asString(toolCall?.toolName);
  const op = new OperationSpan(runtime, name ? `execute_tool ${name}` : 'execute_tool', 'TOOL', parent);
  readSafely(() => {
    const attributes: Attributes = {};
    if (name !== undefined) attributes[OI.TOOL_NAME] = name;
    const id = asString(toolCall?.toolCallId);
    if (id !== undefined) attributes[OI.TOOL_CALL_ID] = id;
    Object.assign(attributes, valueAttributes('input', toolCall?.input));
    op.put(attributes);
  });
  return op;
}

function startRerank(runtime: CallRuntime, event: Json, parent: Context): OperationSpan {
  const model = asString(event.modelId);
  const op = new OperationSpan(runtime, model ? `rerank ${model}` : 'rerank', 'RERANKER', parent);
  readSafely(() => {
    const attributes: Attributes = {};
    if (model !== undefined) attributes[OI.RERANKER_MODEL_NAME] = model;
    const query = textOf(event.query);
    if (query !== undefined && query !== '') attributes[OI.RERANKER_QUERY] = query;
    const topN = asNumber(event.topN);
    if (topN !== undefined) attributes[OI.RERANKER_TOP_K] = topN;
    op.put(attributes);
  });
  return op;
}

/** Ends the span with the operation's result (what `asyncEnd` carries; `undefined` for streams). */
export function finishOperation(type: string, traced: Traced, result: unknown): void {
  const r = asRecord(result);
  if (traced.call) {
    const record = traced.call.record;
    if (r) readSafely(() => readModelResponse(record, r));
    traced.call.succeed();
    return;
  }
  const op = traced.op;
  let toolError: { error: unknown } | undefined;
  readSafely(() => {
    if (type === 'generateText' && r) putAgentOutput(op, r);
    if (type !== 'executeTool') return;
    const output = asRecord(r?.output);
    if (output?.type === 'tool-error') toolError = { error: output.error };
    else if (output && 'output' in output) op.put(valueAttributes('output', output.output));
  });
  if (toolError) op.fail(toolError.error);
  else op.succeed();
}

/** The run's final text (generateText's result, or the `onEnd` event for streamText). */
export function putAgentOutput(op: OperationSpan, result: Json): void {
  let text: unknown;
  try {
    // DefaultGenerateTextResult exposes `text` as a getter over its steps.
    text = result.text;
  } catch {
    text = undefined;
  }
  if (typeof text === 'string' && text !== '') op.put(valueAttributes('output', text));
}

/** Reads an event once its span has started: a read that throws must not leave the span unended. */
export function readSafely(read: () => void): void {
  try {
    read();
  } catch (err) {
    diag.debug('@infinium/otel: could not read an AI SDK event', err);
  }
}

/** `input.value`/`output.value` with their MIME type: text as it is, anything else as JSON. */
export function valueAttributes(prefix: 'input' | 'output', value: unknown): Attributes {
  if (value === undefined) return {};
  const text = textOf(value);
  if (text === undefined) return {};
  const isText = typeof value === 'string';
  return prefix === 'input'
    ? { [OI.INPUT_VALUE]: text, [OI.INPUT_MIME_TYPE]: isText ? 'text/plain' : 'application/json' }
    : { [OI.OUTPUT_VALUE]: text, [OI.OUTPUT_MIME_TYPE]: isText ? 'text/plain' : 'application/json' };
}
