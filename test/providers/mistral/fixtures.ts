import type { SseEvent } from '../../helpers/fake-llm-server';

/** Wire shapes (snake_case) recorded from the Mistral API reference; the SDK turns them into camelCase. */
const USAGE = { prompt_tokens: 17, completion_tokens: 8, total_tokens: 25 };

export function chatResponse(message: Record<string, unknown> = { role: 'assistant', content: 'Bonjour !', tool_calls: null }, finish = 'stop') {
  return {
    id: 'cmpl-e5cc70bb28c444948073e77776eb30ef',
    object: 'chat.completion',
    model: 'mistral-small-latest',
    usage: USAGE,
    created: 1764576000,
    choices: [{ index: 0, message, finish_reason: finish }],
  };
}

function chunk(delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) {
  return {
    id: 'cmpl-stream-1',
    object: 'chat.completion.chunk',
    created: 1764576000,
    model: 'mistral-small-latest',
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...extra,
  };
}

/** Content pieces, one whole tool call, then the finish reason with usage, then `[DONE]`. */
export function chatStream(): SseEvent[] {
  return [
    { data: chunk({ role: 'assistant', content: '' }) },
    { data: chunk({ content: 'Let me ' }) },
    { data: chunk({ content: 'check.' }) },
    { data: chunk({ tool_calls: [{ id: 'Tq3xYz9Ab', function: { name: 'get_weather', arguments: '{"city": "Paris"}' }, index: 0 }] }) },
    { data: chunk({ content: '' }, 'tool_calls', { usage: { prompt_tokens: 31, completion_tokens: 12, total_tokens: 43 } }) },
    { data: '[DONE]' },
  ];
}

export function fimResponse() {
  return chatResponse({ role: 'assistant', content: '    return a + b', tool_calls: null }, 'length');
}

export function embeddingsResponse() {
  return {
    id: 'emb-1',
    object: 'list',
    data: [
      { object: 'embedding', embedding: [0.5, -0.25], index: 0 },
      { object: 'embedding', embedding: [0.125, 1], index: 1 },
    ],
    model: 'mistral-embed',
    usage: { prompt_tokens: 6, completion_tokens: 0, total_tokens: 6 },
  };
}

export const errorBody = (status: number) => ({ object: 'error', message: `failed with ${status}`, type: 'invalid_request_error', param: null, code: String(status) });

/** A `chat.parse` answer: the message content is the JSON the Zod schema parses. */
export function parseResponse() {
  return chatResponse({ role: 'assistant', content: '{"city":"Paris","celsius":18}', tool_calls: null });
}

/** `chatStream()` with its third event replaced by one whose data is not JSON. */
export function malformedChatStream(): SseEvent[] {
  const events = chatStream();
  events[2] = { data: '{"id":"cmpl-stream-1","choices":[{"index":0,"delta":{"content":"che' };
  return events;
}
