/**
 * Prebuilt provider answers for the benchmarks: each SDK gets an in-process `fetch` that returns a fresh
 * `Response` around bytes built once, so what is timed is the SDK plus the instrumentation, not a network.
 */
const encoder = new TextEncoder();

/** About 15 content chunks, as the issue asks for a streamed answer. */
export const STREAM_PIECES = 'The quick brown fox jumps over the lazy dog while the sun sets over the hills .'.split(' ');

export function sse(events: Array<{ event?: string; data: unknown }>): Uint8Array {
  const text = events
    .map((e) => `${e.event ? `event: ${e.event}\n` : ''}data: ${typeof e.data === 'string' ? e.data : JSON.stringify(e.data)}\n\n`)
    .join('');
  return encoder.encode(text);
}

export function jsonResponse(bytes: Uint8Array): Response {
  return new Response(bytes as unknown as BodyInit, { status: 200, headers: { 'content-type': 'application/json' } });
}

export function sseResponse(bytes: Uint8Array): Response {
  return new Response(bytes as unknown as BodyInit, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

// ---- OpenAI chat completions

export const OPENAI_CHAT = encoder.encode(
  JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1741569952,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there! How can I help you today?', refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: 19,
      completion_tokens: 10,
      total_tokens: 29,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
  }),
);

function openaiChunk(delta: Record<string, unknown>, finish: string | null = null) {
  return {
    id: 'chatcmpl-2',
    object: 'chat.completion.chunk',
    created: 1741569952,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  };
}

export const OPENAI_STREAM = sse([
  { data: openaiChunk({ role: 'assistant', content: '' }) },
  ...STREAM_PIECES.map((piece) => ({ data: openaiChunk({ content: `${piece} ` }) })),
  { data: openaiChunk({}, 'stop') },
  {
    data: {
      id: 'chatcmpl-2',
      object: 'chat.completion.chunk',
      created: 1741569952,
      model: 'gpt-4o-mini-2024-07-18',
      choices: [],
      usage: { prompt_tokens: 12, completion_tokens: 16, total_tokens: 28 },
    },
  },
  { data: '[DONE]' },
]);

export const OPENAI_MESSAGES = [
  { role: 'system' as const, content: 'You are a helpful assistant. Answer briefly.' },
  { role: 'user' as const, content: 'Say hello and offer help.' },
];

// ---- Anthropic messages

export const ANTHROPIC_MESSAGE = encoder.encode(
  JSON.stringify({
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-20250514',
    content: [{ type: 'text', text: 'Hello there! How can I help you today?' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 19, output_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  }),
);

export const ANTHROPIC_STREAM = sse([
  {
    event: 'message_start',
    data: {
      type: 'message_start',
      message: {
        id: 'msg_2', type: 'message', role: 'assistant', model: 'claude-sonnet-4-20250514', content: [],
        stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 },
      },
    },
  },
  { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
  ...STREAM_PIECES.map((piece) => ({
    event: 'content_block_delta',
    data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `${piece} ` } },
  })),
  { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
  { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 16 } } },
  { event: 'message_stop', data: { type: 'message_stop' } },
]);

// ---- Gemini (@google/genai)

function geminiResponse(text: string, finish?: string, usage?: Record<string, number>) {
  return {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, index: 0, ...(finish ? { finishReason: finish } : {}) }],
    modelVersion: 'gemini-2.5-flash',
    responseId: 'resp-1',
    ...(usage ? { usageMetadata: usage } : {}),
  };
}

export const GEMINI_CONTENT = encoder.encode(
  JSON.stringify(geminiResponse('Hello there! How can I help you today?', 'STOP', { promptTokenCount: 19, candidatesTokenCount: 10, totalTokenCount: 29 })),
);

export const GEMINI_STREAM = sse([
  ...STREAM_PIECES.map((piece) => ({ data: geminiResponse(`${piece} `) })),
  { data: geminiResponse('', 'STOP', { promptTokenCount: 12, candidatesTokenCount: 16, totalTokenCount: 28 }) },
]);
