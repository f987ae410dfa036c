import type { SseEvent } from '../helpers/fake-llm-server';

/**
 * Responses in the shapes the providers document, with usage that has every part the cost reads: cached
 * prompt tokens, cache writes, reasoning. The expected costs in the tests are worked out by hand from the
 * list prices of @pydantic/genai-prices 0.1.8 (USD per million tokens), named next to each model here.
 */

/** gpt-4o (dated snapshot): 2.50 input, 1.25 cached input, 10.00 output. The usage of OpenAI's prompt caching guide. */
export function openaiCachedChat() {
  return {
    id: 'chatcmpl-cost-1',
    object: 'chat.completion',
    created: 1741569952,
    model: 'gpt-4o-2024-08-06',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Paris.', refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: 2006,
      completion_tokens: 300,
      total_tokens: 2306,
      prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_6b68a8204b',
  };
}

/** An OpenAI chat answer from `model` (default a model no price table knows) with plain usage. */
export function openaiChat(model = 'acme-private-llm-7b', usage: Record<string, unknown> = { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100 }) {
  return {
    id: 'chatcmpl-cost-2',
    object: 'chat.completion',
    created: 1741569952,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there!', refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage,
  };
}

/**
 * gpt-4o-mini streamed with `stream_options.include_usage`: the final chunk (no choices) carries the usage.
 * gpt-4o-mini: 0.15 input, 0.075 cached input, 0.60 output.
 */
export function openaiUsageStream(): SseEvent[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    id: 'chatcmpl-cost-3',
    object: 'chat.completion.chunk',
    created: 1741569952,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    usage: null,
  });
  return [
    { data: chunk({ role: 'assistant', content: '' }) },
    { data: chunk({ content: 'Once upon' }) },
    { data: chunk({ content: ' a time.' }) },
    { data: chunk({}, 'stop') },
    {
      data: {
        id: 'chatcmpl-cost-3',
        object: 'chat.completion.chunk',
        created: 1741569952,
        model: 'gpt-4o-mini-2024-07-18',
        choices: [],
        usage: { prompt_tokens: 1200, completion_tokens: 7, total_tokens: 1207, prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 } },
      },
    },
    { data: '[DONE]' },
  ];
}

/**
 * claude-sonnet-4 (dated snapshot): 3.00 input, 3.75 cache write (5 minutes), 0.30 cache read, 15.00 output.
 * Anthropic's `input_tokens` leaves out the cache reads and writes: the prompt is 21 + 1,556 + 2,048 = 3,625.
 */
export function anthropicCachedMessage() {
  return {
    id: 'msg_01CostCacheReadWrite',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-20250514',
    content: [{ type: 'text', text: 'The contract allows it.' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: 21,
      cache_creation_input_tokens: 1556,
      cache_read_input_tokens: 2048,
      cache_creation: { ephemeral_5m_input_tokens: 1556, ephemeral_1h_input_tokens: 0 },
      output_tokens: 393,
      service_tier: 'standard',
    },
  };
}

/**
 * gemini-2.5-flash: 0.30 input, 0.03 cached input, 2.50 output (thoughts are billed as output).
 * Gemini's `promptTokenCount` includes the cached tokens.
 */
export function geminiCachedThinking() {
  return {
    candidates: [{ content: { parts: [{ text: '42' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
    usageMetadata: {
      promptTokenCount: 1200,
      cachedContentTokenCount: 1024,
      candidatesTokenCount: 3,
      thoughtsTokenCount: 150,
      totalTokenCount: 1353,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 1200 }],
      cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 1024 }],
    },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'resp-cost-1',
  };
}

/**
 * grok-3-mini (xAI's chat completions, the shape of its docs): 0.30 input, 0.075 cached input, 0.50 output.
 * xAI reports the reasoning beside `completion_tokens` (total = prompt + completion + reasoning); both are billed as output.
 */
export function xaiReasoningChat() {
  return openaiChat('grok-3-mini', {
    prompt_tokens: 37,
    completion_tokens: 530,
    total_tokens: 800,
    prompt_tokens_details: { text_tokens: 37, audio_tokens: 0, image_tokens: 0, cached_tokens: 6 },
    completion_tokens_details: { reasoning_tokens: 233, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    num_sources_used: 0,
  });
}
