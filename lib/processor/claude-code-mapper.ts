import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { CLAUDE_CODE_AGENT } from '../frameworks/claude-agent/files';
import { CallRecord, createCallRecord } from '../record/call-record';
import { asReportedNumber, asString } from '../record/read';
import { tokenSum } from '../record/usage';
import { OI } from '../semconv/attributes';
import type { AiSdkConversion, ForeignSpan } from './ai-sdk-mapper';
import { putValue } from './genai-mapper';

/**
 * The Claude Code CLI's own spans (`claude_code.*`, exported when the CLI's telemetry and its traces beta are
 * on: docs/frameworks/claude-agent-sdk.md), mapped into OpenInference: each model request an LLM span with its
 * model and tokens, each tool call a TOOL span, each turn (`claude_code.interaction`) and subagent an AGENT
 * span, the CLI's inner steps (permission waits, tool execution, hooks) CHAIN spans. Pure: attributes in,
 * record or attributes out. The keys are the CLI's (2.1.x) as recorded from the real CLI.
 */
export const CLAUDE_CODE_SCOPE = 'com.anthropic.claude_code.tracing';


/** What the CLI writes in place of a prompt unless `OTEL_LOG_USER_PROMPTS` is set. */
const CLI_REDACTED = '<REDACTED>';

const LLM_REQUEST = 'claude_code.llm_request';
const TOOL = 'claude_code.tool';
const INTERACTION = 'claude_code.interaction';
const SUBAGENT = 'claude_code.subagent.spawn';
const KNOWN_SPANS: ReadonlySet<string> = new Set([LLM_REQUEST, TOOL, INTERACTION, SUBAGENT]);

/** The conversion of a CLI span; `undefined` for any other span (another library's, or ours). */
export function claudeCodeConversion(span: ForeignSpan): AiSdkConversion | undefined {
  if (!isCliSpan(span)) return undefined;
  const a = span.attributes;
  switch (span.name) {
    case LLM_REQUEST:
      return { kind: 'LLM', record: llmRequestRecord(a) };
    case TOOL:
      return { kind: 'TOOL', attributes: toolAttributes(a) };
    case INTERACTION:
      return { kind: 'AGENT', attributes: agentAttributes(CLAUDE_CODE_AGENT, prompt(a.user_prompt)) };
    case SUBAGENT:
      return { kind: 'AGENT', attributes: agentAttributes(asString(a.agent_type), undefined) };
    default:
      return { kind: 'CHAIN', attributes: { [OI.OPENINFERENCE_SPAN_KIND]: 'CHAIN' } };
  }
}

/** The CLI's tracer, or (where a pipeline renamed the scope) one of its span names. */
function isCliSpan(span: ForeignSpan): boolean {
  if (!span.name.startsWith('claude_code.')) return false;
  return span.instrumentationScope.name === CLAUDE_CODE_SCOPE || KNOWN_SPANS.has(span.name);
}

/**
 * One model request. The CLI's `input_tokens` is the API's (without the cache), so the prompt is input +
 * cache reads + cache writes, as for every Anthropic call we record (its `gen_ai.usage.input_tokens` is
 * that sum already, as CLI 2.1.337 computes it, and stands in when the raw counts are missing). `error` and
 * `error_class` are the CLI's (`api_error`, `user_abort`, `connection_timeout`, …).
 */
function llmRequestRecord(a: Attributes): CallRecord {
  const record = createCallRecord('LLM', 'chat', 'anthropic', 'anthropic');
  record.requestModel = asString(a['gen_ai.request.model']) ?? asString(a.model);
  record.responseModel = asString(a['gen_ai.response.model']);
  // `aws.bedrock` / `gcp.vertex_ai` when the CLI runs on a cloud: the model is still Anthropic's.
  record.genAiProvider = asString(a['gen_ai.provider.name']);
  record.responseId = asString(a['gen_ai.response.id']) ?? asString(a.request_id);
  const cacheRead = asReportedNumber(a.cache_read_tokens) ?? asReportedNumber(a['gen_ai.usage.cache_read.input_tokens']);
  const cacheWrite = asReportedNumber(a.cache_creation_tokens) ?? asReportedNumber(a['gen_ai.usage.cache_write.input_tokens']);
  const input = asReportedNumber(a.input_tokens);
  record.usage = {
    prompt: input !== undefined ? tokenSum(input, cacheRead, cacheWrite) : asReportedNumber(a['gen_ai.usage.input_tokens']),
    completion: asReportedNumber(a.output_tokens) ?? asReportedNumber(a['gen_ai.usage.output_tokens']),
    cacheRead,
    cacheWrite,
  };
  record.finishReason = asString(a.stop_reason);
  if (a.success === false) record.error = { type: asString(a.error_class) ?? 'Error', message: asString(a.error) };
  // Content only with the CLI's detailed tracing beta and OTEL_LOG_USER_PROMPTS: what the request added to
  // the conversation (labelled by the CLI: `[USER]`, `[TOOL RESULT: id]`), and the model's answer.
  const context = asString(a.new_context);
  if (context !== undefined) record.inputMessages = [{ role: 'user', content: context }];
  const answer = asString(a['response.model_output']);
  if (answer !== undefined) record.outputMessages = [{ role: 'assistant', content: answer }];
  return record;
}

/**
 * One tool call: its name and call id, and its input and result where the CLI wrote them (the command with
 * `OTEL_LOG_TOOL_DETAILS`; the input and result text with the detailed tracing beta).
 */
function toolAttributes(a: Attributes): Attributes {
  const out: Attributes = { [OI.OPENINFERENCE_SPAN_KIND]: 'TOOL' };
  putString(out, OI.TOOL_NAME, a['gen_ai.tool.name'] ?? a.tool_name);
  putString(out, OI.TOOL_CALL_ID, a['gen_ai.tool.call.id'] ?? a.tool_use_id);
  putValue(out, 'input', a.tool_input ?? a.full_command);
  putValue(out, 'output', a.new_context);
  return out;
}

function agentAttributes(name: string | undefined, input: string | undefined): Attributes {
  const out: Attributes = { [OI.OPENINFERENCE_SPAN_KIND]: 'AGENT' };
  putString(out, OI.AGENT_NAME, name);
  putValue(out, 'input', input);
  return out;
}

/** The turn's prompt, unless the CLI withheld it. */
function prompt(value: AttributeValue | undefined): string | undefined {
  const text = asString(value);
  return text === CLI_REDACTED ? undefined : text;
}

function putString(out: Attributes, key: string, value: AttributeValue | undefined): void {
  if (typeof value === 'string' && value !== '') out[key] = value;
}
