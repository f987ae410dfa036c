import type { SseEvent } from '../../helpers/fake-llm-server';

/** Shapes recorded from the Groq API (OpenAI-compatible, plus `x_groq` and Groq's timing fields in usage). */
export function groqCompletion(overrides: Record<string, unknown> = {}) {
  return {
    id: 'chatcmpl-groq-1',
    object: 'chat.completion',
    created: 1764576000,
    model: 'llama-3.3-70b-versatile',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from Groq!' }, logprobs: null, finish_reason: 'stop' }],
    usage: {
      queue_time: 0.0172,
      prompt_tokens: 21,
      prompt_time: 0.0031,
      completion_tokens: 6,
      completion_time: 0.0091,
      total_tokens: 27,
      total_time: 0.0122,
    },
    system_fingerprint: 'fp_3f3b593e33',
    x_groq: { id: 'req_01jz' },
    ...overrides,
  };
}

function chunk(delta: Record<string, unknown>, finish: string | null = null, xGroq: Record<string, unknown> = { id: 'req_01jz' }) {
  return {
    id: 'chatcmpl-groq-2',
    object: 'chat.completion.chunk',
    created: 1764576000,
    model: 'llama-3.3-70b-versatile',
    system_fingerprint: 'fp_3f3b593e33',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    x_groq: xGroq,
  };
}

/** A streamed answer with a tool call; usage only in the last chunk's `x_groq.usage`. */
export function groqStream(): SseEvent[] {
  return [
    { data: chunk({ role: 'assistant', content: '' }) },
    { data: chunk({ content: 'Let me ' }) },
    { data: chunk({ content: 'check.' }) },
    {
      data: chunk({
        tool_calls: [{ index: 0, id: 'call_g1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      }),
    },
    {
      data: chunk({}, 'tool_calls', {
        id: 'req_01jz',
        usage: { queue_time: 0.02, prompt_tokens: 33, prompt_time: 0.004, completion_tokens: 14, completion_time: 0.01, total_tokens: 47, total_time: 0.014 },
      }),
    },
    { data: '[DONE]' },
  ];
}
