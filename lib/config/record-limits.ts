/**
 * What one call record may hold, whatever the response's shape: how many output messages (choices,
 * candidates), parts (content blocks) and tool calls a reader keeps, how long a tool call's name may be,
 * and the largest token count believed. Past a count cap the rest is counted, not kept, and the span says
 * so in an `infinium.*.omitted` attribute. These are fixed bounds, far above what a real model sends.
 */

/** Output messages kept per call: choices (`n`), candidates, Responses output items. OpenAI's `n` stops at 128. */
export const DEFAULT_MAX_OUTPUT_MESSAGES = 128;

/** Parts kept per output message: content blocks (Anthropic, Bedrock, Cohere), Gemini's non-text parts. */
export const DEFAULT_MAX_OUTPUT_PARTS = 128;

/** Tool calls kept per call, over all its output messages. */
export const DEFAULT_MAX_TOOL_CALLS = 128;

/** The longest tool-call name kept (OpenAI and Anthropic allow 64 characters). */
export const DEFAULT_MAX_TOOL_NAME_LENGTH = 1024;

/**
 * The largest token count believed: a trillion tokens in one call is far past any model's context. Larger,
 * negative or fractional counts are malformed responses and are left out.
 */
export const MAX_TOKEN_COUNT = 1e12;

/**
 * Distinct left-out stream indexes counted exactly; past this many, each further piece of an index not yet
 * seen counts as one more (an absurd stream is then reported as "at least this much").
 */
export const MAX_OMITTED_INDEXES_TRACKED = 10_000;
