import type { SseEvent } from '../../helpers/fake-llm-server';

/** Cohere v2 wire shapes (snake_case, as the API sends them; the SDK maps them to camelCase). */
export const API_KEY = 'sk-test-secret-123';
export const MODEL = 'command-a-03-2025';

export type CohereSdk = typeof import('cohere-ai');

export function cohereClient(sdk: CohereSdk, origin: string) {
  return new sdk.CohereClientV2({ token: API_KEY, environment: origin, maxRetries: 0 });
}

export function chatResponse(overrides: Record<string, unknown> = {}) {
  return {
    id: 'c14c80c3-18eb-4519-9460-6c92edd8cfb4',
    finish_reason: 'TOOL_CALL',
    message: {
      role: 'assistant',
      tool_plan: 'I will look up the weather.',
      tool_calls: [{ id: 'get_weather_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
    },
    usage: { billed_units: { input_tokens: 21, output_tokens: 12 }, tokens: { input_tokens: 820, output_tokens: 40 }, cached_tokens: 0 },
    ...overrides,
  };
}

export const WEATHER_TOOL = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
} as const;

/** chatStream events: text in two deltas, then message-end with usage. */
export function chatStreamEvents(): SseEvent[] {
  const events: unknown[] = [
    { id: 'abc', type: 'message-start', delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } },
    { type: 'content-start', index: 0, delta: { message: { content: { type: 'text', text: '' } } } },
    { type: 'content-delta', index: 0, delta: { message: { content: { text: 'Hello' } } } },
    { type: 'content-delta', index: 0, delta: { message: { content: { text: ' world' } } } },
    { type: 'content-end', index: 0 },
    { type: 'message-end', delta: { finish_reason: 'COMPLETE', usage: { billed_units: { input_tokens: 5, output_tokens: 2 }, tokens: { input_tokens: 70, output_tokens: 2 } } } },
  ];
  return [...events.map((data) => ({ event: (data as { type: string }).type, data })), { data: '[DONE]' }];
}

/** chatStream with a streamed tool call. */
export function toolCallStreamEvents(): SseEvent[] {
  const events: unknown[] = [
    { id: 'abd', type: 'message-start', delta: { message: { role: 'assistant' } } },
    { type: 'tool-plan-delta', delta: { message: { tool_plan: 'Checking.' } } },
    { type: 'tool-call-start', index: 0, delta: { message: { tool_calls: { id: 'get_weather_2', type: 'function', function: { name: 'get_weather', arguments: '' } } } } },
    { type: 'tool-call-delta', index: 0, delta: { message: { tool_calls: { function: { arguments: '{"city":' } } } } },
    { type: 'tool-call-delta', index: 0, delta: { message: { tool_calls: { function: { arguments: '"Oslo"}' } } } } },
    { type: 'tool-call-end', index: 0 },
    { type: 'message-end', delta: { finish_reason: 'TOOL_CALL', usage: { billed_units: { input_tokens: 30, output_tokens: 9 } } } },
  ];
  return [...events.map((data) => ({ event: (data as { type: string }).type, data })), { data: '[DONE]' }];
}

export function embedResponse() {
  return {
    id: 'emb-1',
    response_type: 'embeddings_by_type',
    embeddings: { float: [[0.25, -0.5], [0.75, 1]] },
    texts: ['hello', 'world'],
    meta: { api_version: { version: '2' }, billed_units: { input_tokens: 4 } },
  };
}

export function rerankResponse() {
  return {
    id: 'rr-1',
    results: [
      { index: 2, relevance_score: 0.98 },
      { index: 0, relevance_score: 0.12 },
    ],
    meta: { api_version: { version: '2' }, billed_units: { search_units: 1 } },
  };
}

/** Cohere v1 chat (`/v1/chat`) wire shapes. */
export const V1_MODEL = 'command-r-plus-08-2024';

export function v1Client(sdk: { CohereClient: new (options: Record<string, unknown>) => any }, origin: string) {
  return new sdk.CohereClient({ token: API_KEY, environment: origin, maxRetries: 0 });
}

export function v1ChatResponse(overrides: Record<string, unknown> = {}) {
  return {
    response_id: '6a1c3e0b-9d3f-4c1e-9a43-3f0c8b1d2e55',
    text: 'It is sunny in Paris.',
    generation_id: 'f2a1b3c4-5d6e-7f80-91a2-b3c4d5e6f708',
    chat_history: [
      { role: 'USER', message: 'Weather in Paris?' },
      { role: 'CHATBOT', message: 'It is sunny in Paris.' },
    ],
    finish_reason: 'COMPLETE',
    meta: { api_version: { version: '1' }, billed_units: { input_tokens: 19, output_tokens: 7 }, tokens: { input_tokens: 210, output_tokens: 7 } },
    ...overrides,
  };
}

/** v1 chatStream: NDJSON events with `event_type`; `stream-end` carries the whole response. */
export function v1ChatStream(): string {
  const events = [
    { is_finished: false, event_type: 'stream-start', generation_id: 'f2a1b3c4-5d6e-7f80-91a2-b3c4d5e6f708' },
    { is_finished: false, event_type: 'text-generation', text: 'It is ' },
    { is_finished: false, event_type: 'text-generation', text: 'sunny.' },
    {
      is_finished: true,
      event_type: 'stream-end',
      finish_reason: 'COMPLETE',
      response: v1ChatResponse({ text: 'It is sunny.', meta: { api_version: { version: '1' }, billed_units: { input_tokens: 11, output_tokens: 4 } } }),
    },
  ];
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n';
}
