import { parseJson, safeJson } from '../record/json';

/**
 * What is left of request content that is partly settings, partly text, when the text must not be
 * recorded (capture off, hide-inputs): the settings that can carry no prompt text.
 */

/**
 * Invocation parameter keys (at any depth) that are settings, never text: sampling, limits, streaming,
 * reasoning effort, tool-choice mode. Anything else (`metadata`, `user`, `prediction`, `prompt`,
 * `response_format`, `suffix`, `stop`, Gemini `labels`, `responseSchema`, …) is left out.
 */
const SETTING_KEYS = new Set([
  // OpenAI, xAI and compatible hosts; Anthropic
  'model', 'temperature', 'top_p', 'top_k', 'max_tokens', 'max_completion_tokens', 'max_output_tokens', 'n', 'seed',
  'stream', 'stream_options', 'include_usage', 'presence_penalty', 'frequency_penalty', 'logprobs', 'top_logprobs',
  'parallel_tool_calls', 'max_tool_calls', 'tool_choice', 'reasoning', 'reasoning_effort', 'effort', 'service_tier',
  'store', 'background', 'truncation', 'verbosity', 'thinking', 'budget_tokens', 'encoding_format', 'dimensions',
  'type', 'name', 'function', 'mode',
  // Gemini (camelCase config)
  'topP', 'topK', 'maxOutputTokens', 'candidateCount', 'presencePenalty', 'frequencyPenalty', 'responseMimeType',
  'responseLogprobs', 'thinkingConfig', 'thinkingBudget', 'includeThoughts', 'thinkingLevel', 'taskType',
  'outputDimensionality', 'mediaResolution',
]);

/** A string setting is an identifier (`auto`, `low`, `gpt-4o-mini`), never free text. */
const SETTING_STRING = /^[\w.:/-]{0,100}$/;

/** `llm.invocation_parameters` reduced to its settings; `undefined` when none is left or it is not JSON. */
export const settingsOnly = memoized((json: string): string | undefined => {
  const kept = keepSettings(parseJson(json));
  return kept === undefined ? undefined : safeJson(kept);
});

/**
 * How deep a reduction follows nested objects. Real settings nest two or three levels
 * (`tool_choice.function.name`); a hostile value nested 100,000 deep would overflow the stack, and a throw
 * here would leave the rest of the span unmasked.
 */
const MAX_DEPTH = 32;

function keepSettings(value: unknown, depth = 0): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || depth >= MAX_DEPTH) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    if (!SETTING_KEYS.has(key)) continue;
    const v = (value as Record<string, unknown>)[key];
    const kept = typeof v === 'number' || typeof v === 'boolean' ? v : typeof v === 'string' ? (SETTING_STRING.test(v) ? v : undefined) : keepSettings(v, depth + 1);
    if (kept !== undefined) (out ??= {})[key] = kept;
  }
  return out;
}

/**
 * A tool schema (`llm.tools.<i>.tool.json_schema`) reduced to the tool's name and type: descriptions and
 * parameter schemas are prompt text. Works on the OpenAI (`{type, function: {name}}`), Responses and
 * Anthropic (`{name}`) and Gemini (`{name}` per declaration) shapes. `undefined` when it is not JSON.
 */
export const toolNameOnly = memoized((json: string): string | undefined => {
  const tool = namesOf(parseJson(json));
  return tool === undefined ? undefined : safeJson(tool);
});

function namesOf(value: unknown, depth = 0): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || depth >= MAX_DEPTH) return undefined;
  const v = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (typeof v.type === 'string') out.type = v.type;
  if (typeof v.name === 'string') out.name = v.name;
  const fn = namesOf(v.function, depth + 1);
  if (fn) out.function = fn;
  return out;
}

const MEMO_SIZE = 256;
const MEMO_KEY_LENGTH = 8192;

/**
 * An app sends the same parameters and tools call after call, and the processor masks our span again as it
 * ends: the reductions are remembered (bounded; long inputs are not kept), and a result maps to itself.
 */
function memoized(reduce: (json: string) => string | undefined): (json: string) => string | undefined {
  const memo = new Map<string, string | undefined>();
  return (json) => {
    if (json.length > MEMO_KEY_LENGTH) return reduce(json);
    if (memo.has(json)) return memo.get(json);
    const result = reduce(json);
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(json, result);
    if (result !== undefined) memo.set(result, result);
    return result;
  };
}
