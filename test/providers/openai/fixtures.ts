import type { SseEvent } from '../../helpers/fake-llm-server';

/** Shapes recorded from the OpenAI API reference (chat.completion and chat.completion.chunk objects). */
export function chatCompletion(overrides: Record<string, unknown> = {}) {
  return {
    id: 'chatcmpl-123',
    object: 'chat.completion',
    created: 1741569952,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Hello there!', refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: 19,
      completion_tokens: 10,
      total_tokens: 29,
      prompt_tokens_details: { cached_tokens: 4, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 2, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    ...overrides,
  };
}

function chunk(delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) {
  return {
    id: 'chatcmpl-456',
    object: 'chat.completion.chunk',
    created: 1741569952,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...extra,
  };
}

/** A streamed answer with text, a tool call split over three deltas, and the final usage chunk. */
export function chatStream(): SseEvent[] {
  return [
    { data: chunk({ role: 'assistant', content: '' }) },
    { data: chunk({ content: 'Let me ' }) },
    { data: chunk({ content: 'check.' }) },
    { data: chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }) },
    { data: chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }) },
    { data: chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }) },
    { data: chunk({}, 'tool_calls') },
    { data: { id: 'chatcmpl-456', object: 'chat.completion.chunk', created: 1741569952, model: 'gpt-4o-mini-2024-07-18', choices: [], usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 } } },
    { data: '[DONE]' },
  ];
}
