import { diag, type Attributes, type AttributeValue } from '@opentelemetry/api';
import { createCallRecord, type CallRecord } from '../record/call-record';
import { aiSdkProvider, aiSdkSystem, modelMessages, outputMessage } from '../record/ai-sdk-shapes';
import { parseJson } from '../record/json';
import { asRecord, asString, type Json } from '../record/read';
import { messagesCreate } from '../providers/anthropic/messages';
import { readGenerateContentResponse } from '../providers/google/response';
import { chatCompletions } from '../providers/openai/chat';
import { responsesCreate } from '../providers/openai/responses';
import type { AiSdkConversion, ForeignSpan } from './ai-sdk-mapper';
import { genAiCallRecord, genAiSpanKind, putValue } from './genai-mapper';
import { parseGenAiMessages } from './genai-messages';

/**
 * Mastra's spans, as `@mastra/otel-bridge` (1.x) emits them into the app's OTel SDK, mapped into OpenInference.
 * The bridge starts a span per Mastra span and, when it ends, sets what Mastra's SpanConverter made of it:
 * `mastra.span.type`, a `gen_ai.operation.name` on every span (`chat`, `invoke_agent`, `execute_tool`,
 * `invoke_workflow`, else the type itself), and the content of every non-model span as
 * `mastra.<type>.input` / `.output`. Recorded shapes: test/processor/fixtures/mastra/. Pure: span in,
 * conversion out; `undefined` for what is not Mastra's, and for the spans the GenAI table maps right
 * (`execute_tool` → TOOL with name, arguments and result; `embeddings`).
 */
const MASTRA_SCOPES: ReadonlySet<string | undefined> = new Set(['@mastra/otel-bridge']);
const SPAN_TYPE = 'mastra.span.type';

/** Mastra span types whose spans are evaluations of a run (scorers, classifiers). */
const EVALUATOR_TYPES: ReadonlySet<string> = new Set(['scorer_run', 'scorer_step', 'classifier_evaluation']);

export function mastraConversion(span: ForeignSpan): AiSdkConversion | undefined {
  // Every span the processor converts is offered here: anything not the bridge's goes back at once.
  if (!MASTRA_SCOPES.has(span.instrumentationScope?.name)) return undefined;
  let type: string | undefined;
  try {
    type = asString(span.attributes[SPAN_TYPE]);
    return type === undefined ? undefined : convertByType(span.name, span.attributes, type);
  } catch (err) {
    // Not reached on any recorded or malformed value (the readers below are guarded); kept so that a span
    // in a shape nobody foresaw still gets its kind, and never an exception in the processor.
    diag.debug('@infinium/otel: Mastra span conversion failed', err);
    return bareConversion(type);
  }
}

/** A span's kind alone: what is left of a conversion that failed. */
function bareConversion(type: string | undefined): AiSdkConversion | undefined {
  if (type === undefined) return undefined;
  if (type === 'model_step') return { kind: 'LLM', record: createCallRecord('LLM', 'chat', 'unknown', 'unknown') };
  const kind = type === 'agent_run' ? 'AGENT' : 'CHAIN';
  return { kind, attributes: { 'openinference.span.kind': kind } };
}

function convertByType(spanName: string, a: Attributes, type: string): AiSdkConversion | undefined {
  switch (type) {
    case 'agent_run':
      return { kind: 'AGENT', attributes: agentAttributes(a) };
    // One LLM span per model request. Mastra writes a `model_generation` span (named `chat <model>`) around
    // the whole model loop of an agent turn, and a `model_step` under it per request to the model (with the
    // tools that request called beneath it). The generation's usage is the sum of its steps (recorded:
    // 140 = 52 + 88 for two requests), so the step is the LLM span and the generation a CHAIN.
    case 'model_step':
      return { kind: 'LLM', record: stepRecord(a) };
    // Its usage is the sum of its requests': rendered by the processor only where no request had its own.
    case 'model_generation':
      return { kind: 'CHAIN', attributes: generationAttributes(a), callsUsage: generationUsage(a) };
    // The provider round trip inside a step, and the stream chunks Mastra records as spans: parts of the
    // step's request, never a second LLM span.
    case 'model_inference':
    case 'model_chunk':
      return { kind: 'CHAIN', attributes: ioAttributes('CHAIN', a, type) };
    case 'client_tool_call':
      return { kind: 'TOOL', attributes: clientToolAttributes(spanName, a) };
  }
  // What the GenAI table knows (execute_tool → TOOL with name, arguments and result; embeddings) it maps
  // right: left to it. Not `invoke_workflow`, which it would make a CHAIN without the run's input and output.
  if (type !== 'workflow_run' && genAiSpanKind(a['gen_ai.operation.name']) !== undefined) return undefined;
  // Workflow runs and steps (conditions, loops, parallel branches too), processors, generic spans.
  const kind = EVALUATOR_TYPES.has(type) ? 'EVALUATOR' : 'CHAIN';
  return { kind, attributes: ioAttributes(kind, a, type) };
}

/** The agent run: its name, what it was asked, and the text it answered. */
function agentAttributes(a: Attributes): Attributes {
  const out: Attributes = { 'openinference.span.kind': 'AGENT' };
  const name = asString(a['gen_ai.agent.name']) ?? asString(a['gen_ai.agent.id']);
  if (name !== undefined) out['agent.name'] = name;
  putValue(out, 'input', a['mastra.agent_run.input']);
  putValue(out, 'output', resultText(a['mastra.agent_run.output']));
  return out;
}

/** The turn's model loop: the messages it started from, and the final text. */
function generationAttributes(a: Attributes): Attributes {
  const out: Attributes = { 'openinference.span.kind': 'CHAIN' };
  putValue(out, 'input', a['gen_ai.input.messages']);
  const final = parseGenAiMessages(a['gen_ai.output.messages']).messages.at(-1)?.content;
  putValue(out, 'output', final ?? a['gen_ai.output.messages']);
  return out;
}

/** The turn's usage and the model that answered, as Mastra wrote them on its generation (`gen_ai.usage.*`). */
function generationUsage(a: Attributes): CallRecord | undefined {
  if (a['gen_ai.usage.input_tokens'] === undefined && a['gen_ai.usage.output_tokens'] === undefined) return undefined;
  return genAiCallRecord(a, 'LLM');
}

/** A span whose content Mastra writes as `mastra.<type>.input` / `.output`. */
function ioAttributes(kind: string, a: Attributes, type: string): Attributes {
  const out: Attributes = { 'openinference.span.kind': kind };
  putValue(out, 'input', a[`mastra.${type}.input`]);
  putValue(out, 'output', a[`mastra.${type}.output`]);
  return out;
}

/** A tool the client runs: the converter writes no `gen_ai.tool.name` for it, only its span name. */
function clientToolAttributes(spanName: string, a: Attributes): Attributes {
  const out = ioAttributes('TOOL', a, 'client_tool_call');
  const name = asString(a['gen_ai.tool.name']) ?? spanName.replace(/^client_tool_call /, '');
  if (name !== '') out['tool.name'] = name;
  return out;
}

/**
 * One request to the model. The step carries its input messages, its output (text and tool calls) and the
 * model Mastra resolved; a non-streamed request also its provider's raw response body, whose usage, model,
 * id and finish reason are the request's own. A streamed step has no body: the bridge exports no usage for
 * it (its converter writes usage on the generation only), so it gets none rather than a share of the sum.
 */
function stepRecord(a: Attributes): CallRecord {
  const model = asRecord(parseJson(a['mastra.metadata.modelMetadata']));
  const provider = aiSdkProvider(model?.modelProvider);
  const record = createCallRecord('LLM', 'chat', provider, aiSdkSystem(provider));
  record.requestModel = asString(model?.modelId);
  record.inputMessages = modelMessages(undefined, parseJson(a['mastra.model_step.input']));
  const body = asRecord(parseJson(a['mastra.metadata.body']));
  if (body) readResponseBody(record, body);
  // Mastra's own output before the body's messages: Mastra cuts what it records 8 levels deep, which
  // reaches into a Gemini body's tool-call arguments, never into its own `{text, toolCalls}`.
  const output = asRecord(parseJson(a['mastra.model_step.output']));
  const message = output ? outputMessage(undefined, output.text, output.toolCalls) : undefined;
  if (message) record.outputMessages = [message];
  const errorType = asString(a['error.type']);
  if (errorType !== undefined) record.error = { type: errorType };
  return record;
}

/**
 * A provider's raw response body, read by that provider's own response reader (the one our LLM spans of
 * the same API use), chosen by the body's shape: OpenAI Responses, Anthropic Messages, Gemini, else Chat
 * Completions (OpenAI's and the many APIs compatible with it).
 */
function readResponseBody(record: CallRecord, body: Json): void {
  if (body.object === 'response') responsesCreate.readResponse(record, body);
  else if (body.type === 'message') messagesCreate.readResponse(record, body);
  else if (body.candidates !== undefined || body.usageMetadata !== undefined) readGenerateContentResponse(record, body);
  else chatCompletions.readResponse(record, body);
}

/** An agent's result (`{"text":…,"files":[]}` or the structured object): its text when it has one. */
function resultText(value: AttributeValue | undefined): AttributeValue | undefined {
  const text = asRecord(parseJson(value))?.text;
  return typeof text === 'string' ? text : value;
}
