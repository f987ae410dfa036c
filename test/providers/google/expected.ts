import type { ReadableSpan } from '@opentelemetry/sdk-trace';
export { stable } from '../../helpers/tracing';
import { MODEL_VERSION } from './fixtures';

/** What both Google SDKs' spans must carry, shared by genai.test.ts and generative-ai.test.ts. */

/** The `llm.input_messages.*` attributes only. */
export function inputMessages(span: ReadableSpan): Record<string, unknown> {
  return Object.fromEntries(Object.entries(span.attributes).filter(([k]) => k.startsWith('llm.input_messages.')));
}

/** The exact attributes (latency aside) of a `generateContentResponse()` reply to 'Say hello' with system 'Be brief.'. */
export function helloAttributes(temperature: number, invocationParameters: string): Record<string, unknown> {
  return {
    'openinference.span.kind': 'LLM',
    'llm.provider': 'google',
    'llm.system': 'vertexai',
    'llm.model_name': MODEL_VERSION,
    'llm.model': MODEL_VERSION,
    'llm.temperature': temperature,
    'llm.invocation_parameters': invocationParameters,
    'llm.input_messages.0.message.role': 'system',
    'llm.input_messages.0.message.content': 'Be brief.',
    'llm.input_messages.1.message.role': 'user',
    'llm.input_messages.1.message.content': 'Say hello',
    'llm.output_messages.0.message.role': 'assistant',
    'llm.output_messages.0.message.content': 'Hello there!',
    'input.value': '[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hello"}]',
    'input.mime_type': 'application/json',
    'output.value': 'Hello there!',
    'output.mime_type': 'text/plain',
    'llm.token_count.prompt': 12,
    'llm.token_count.completion': 5,
    'llm.token_count.total': 17,
    'llm.prompt_tokens': 12,
    'llm.completion_tokens': 5,
    // gemini-2.0-flash at its list prices, 0.10 input / 0.40 output per million: 12 × 0.1 / 1e6, 5 × 0.4 / 1e6.
    'llm.cost.prompt': 0.0000012,
    'llm.cost.completion': 0.000002,
    'llm.cost.total': 0.0000032,
    'llm.finish_reason': 'STOP',
  };
}

/**
 * The cost of the story stream (9 prompt, 4 completion tokens) at each model's list prices per million:
 * gemini-2.0-flash (and its -001) 0.10 / 0.40 → 9 × 0.1 / 1e6 and 4 × 0.4 / 1e6;
 * gemini-1.5-flash 0.075 / 0.30 (its base tier: the prompt is under 128k) → 9 × 0.075 / 1e6 and 4 × 0.3 / 1e6.
 */
const STORY_COST: Record<string, Record<string, number>> = {
  [MODEL_VERSION]: { 'llm.cost.prompt': 0.0000009, 'llm.cost.completion': 0.0000016, 'llm.cost.total': 0.0000025 },
  'gemini-2.0-flash': { 'llm.cost.prompt': 0.0000009, 'llm.cost.completion': 0.0000016, 'llm.cost.total': 0.0000025 },
  'gemini-1.5-flash': { 'llm.cost.prompt': 0.000000675, 'llm.cost.completion': 0.0000012, 'llm.cost.total': 0.000001875 },
};

/** The exact attributes (latency aside) of a `textStream()` reply to 'Tell a story', read to its end. */
export function storyStreamAttributes(model: string): Record<string, unknown> {
  return {
    'openinference.span.kind': 'LLM',
    'llm.provider': 'google',
    'llm.system': 'vertexai',
    'llm.model_name': model,
    'llm.model': model,
    'llm.input_messages.0.message.role': 'user',
    'llm.input_messages.0.message.content': 'Tell a story',
    'llm.output_messages.0.message.role': 'assistant',
    'llm.output_messages.0.message.content': 'Once upon a time.',
    'input.value': 'Tell a story',
    'input.mime_type': 'text/plain',
    'output.value': 'Once upon a time.',
    'output.mime_type': 'text/plain',
    'llm.token_count.prompt': 9,
    'llm.token_count.completion': 4,
    'llm.token_count.total': 13,
    'llm.prompt_tokens': 9,
    'llm.completion_tokens': 4,
    ...STORY_COST[model],
    'llm.finish_reason': 'STOP',
  };
}

/** The token attributes of a `thinkingCachedResponse()` reply: cached prompt, thoughts billed as output. */
export const THINKING_CACHED_TOKENS: Record<string, unknown> = {
  'llm.model_name': 'gemini-2.5-flash',
  'llm.token_count.prompt': 1200,
  'llm.token_count.prompt_details.cache_read': 1024,
  'llm.token_count.completion': 153,
  'llm.token_count.completion_details.reasoning': 150,
  'llm.token_count.total': 1353,
};

/** `THINKING_CACHED_TOKENS`' keys, as `span` has them. */
export function thinkingCachedTokens(span: ReadableSpan): Record<string, unknown> {
  return Object.fromEntries(Object.keys(THINKING_CACHED_TOKENS).map((k) => [k, span.attributes[k]]));
}
