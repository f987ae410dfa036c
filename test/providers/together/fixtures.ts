import type { SseEvent } from '../../helpers/fake-llm-server';

/** Shapes of Together's OpenAI-compatible API (docs.together.ai: chat/completions, completions, embeddings), as recorded. */
export const MODEL = 'meta-llama/Llama-3.3-70B-Instruct-Turbo';

export function chatCompletion() {
  return {
    id: 'o8Xk2Lh-2j9zxn-9a1b2c3d4e5f6a7b',
    object: 'chat.completion',
    created: 1765100000,
    model: MODEL,
    prompt: [],
    choices: [{ index: 0, finish_reason: 'stop', logprobs: null, seed: 123, message: { role: 'assistant', content: 'Hello from Together!', tool_calls: [] } }],
    usage: { prompt_tokens: 14, completion_tokens: 5, total_tokens: 19, cached_tokens: 0 },
  };
}

const chunkOf = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  data: { id: 'o8Xk-stream', object: 'chat.completion.chunk', created: 1765100001, model: MODEL, choices: [{ index: 0, delta, finish_reason: null }], ...extra },
});

/** Together sends its usage on the last chunk, with the finish reason, without being asked (`stream_options`). */
export function chatStream(): SseEvent[] {
  return [
    chunkOf({ role: 'assistant', content: 'Hel' }),
    chunkOf({ content: 'lo!' }),
    {
      data: {
        id: 'o8Xk-stream',
        object: 'chat.completion.chunk',
        created: 1765100001,
        model: MODEL,
        choices: [{ index: 0, delta: { content: '' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 11, completion_tokens: 2, total_tokens: 13 },
      },
    },
    { data: '[DONE]' },
  ];
}

export function completion() {
  return {
    id: 'o8Xk-cmpl',
    object: 'text.completion',
    created: 1765100002,
    model: 'meta-llama/Llama-3.2-3B-Instruct-Turbo',
    choices: [{ index: 0, text: ' Paris.', finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 6, completion_tokens: 2, total_tokens: 8 },
  };
}

export function embeddings() {
  return {
    object: 'list',
    model: 'BAAI/bge-base-en-v1.5',
    data: [
      { object: 'embedding', index: 0, embedding: [0.25, -0.5, 0.125] },
      { object: 'embedding', index: 1, embedding: [0.5, 0.75, -0.25] },
    ],
  };
}
