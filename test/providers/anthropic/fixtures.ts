import type { SseEvent } from '../../helpers/fake-llm-server';

/**
 * Shapes from the Anthropic Messages API reference: the `message` object, the SSE event stream
 * (https://docs.anthropic.com/en/api/messages-streaming) and the error envelope
 * (https://docs.anthropic.com/en/api/errors).
 */
export const MODEL = 'claude-sonnet-4-6-20260217';

/** A plain text reply with cache usage: prompt = 12 + 100 + 200 = 312, completion = 9. */
export function message(overrides: Record<string, unknown> = {}) {
  return {
    id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
    type: 'message',
    role: 'assistant',
    model: MODEL,
    content: [{ type: 'text', text: 'Hello there!' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: 12,
      cache_creation_input_tokens: 100,
      cache_read_input_tokens: 200,
      output_tokens: 9,
      service_tier: 'standard',
    },
    ...overrides,
  };
}

/** What `message()` answering `system: 'Be brief.'` and a user's 'Hi' gives: the messages and the tokens. */
export const BRIEF_HI_INPUT = {
  'llm.input_messages.0.message.role': 'system',
  'llm.input_messages.0.message.content': 'Be brief.',
  'llm.input_messages.1.message.role': 'user',
  'llm.input_messages.1.message.content': 'Hi',
};
export const HELLO_OUTPUT = {
  'llm.output_messages.0.message.role': 'assistant',
  'llm.output_messages.0.message.content': 'Hello there!',
};
export const MESSAGE_TOKENS = {
  'llm.token_count.prompt': 312,
  'llm.token_count.completion': 9,
  'llm.token_count.total': 321,
  'llm.token_count.prompt_details.cache_read': 200,
  'llm.token_count.prompt_details.cache_write': 100,
};

/** A reply with a thinking block, text and a tool call (stop_reason `tool_use`). */
export function toolUseMessage() {
  return message({
    content: [
      { type: 'thinking', thinking: 'The user wants weather.', signature: 'sig-abc' },
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } },
    ],
    stop_reason: 'tool_use',
    usage: { input_tokens: 40, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 25 },
  });
}

const ev = (type: string, data: Record<string, unknown>): SseEvent => ({ event: type, data: { type, ...data } });

/**
 * A streamed reply: thinking, text and a tool call whose arguments arrive as `input_json_delta` pieces.
 * `message_start` carries the input side of usage (input 5 + cache write 20 + cache read 30 = 55) and a
 * provisional `output_tokens: 1`; `message_delta` carries the final `output_tokens: 42`.
 */
export function toolUseStream(): SseEvent[] {
  return [
    ev('message_start', {
      message: {
        id: 'msg_stream_1',
        type: 'message',
        role: 'assistant',
        model: MODEL,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 5, cache_creation_input_tokens: 20, cache_read_input_tokens: 30, output_tokens: 1 },
      },
    }),
    ev('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'Weather, ' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'so a tool.' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'sig-xyz' } }),
    ev('content_block_stop', { index: 0 }),
    { event: 'ping', data: { type: 'ping' } },
    ev('content_block_start', { index: 1, content_block: { type: 'text', text: '' } }),
    ev('content_block_delta', { index: 1, delta: { type: 'text_delta', text: 'Let me ' } }),
    ev('content_block_delta', { index: 1, delta: { type: 'text_delta', text: 'check.' } }),
    ev('content_block_stop', { index: 1 }),
    ev('content_block_start', { index: 2, content_block: { type: 'tool_use', id: 'toolu_02B', name: 'get_weather', input: {} } }),
    ev('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '' } }),
    ev('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '{"city": "Par' } }),
    ev('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: 'is"}' } }),
    ev('content_block_stop', { index: 2 }),
    ev('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 42 } }),
    ev('message_stop', {}),
  ];
}

/** The output and usage attributes that `toolUseStream()` must give. */
export const TOOL_USE_OUTPUT = {
  'llm.output_messages.0.message.role': 'assistant',
  'llm.output_messages.0.message.contents.0.message_content.type': 'thinking',
  'llm.output_messages.0.message.contents.0.message_content.text': 'Weather, so a tool.',
  'llm.output_messages.0.message.contents.1.message_content.type': 'text',
  'llm.output_messages.0.message.contents.1.message_content.text': 'Let me check.',
  'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'toolu_02B',
  'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
  'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"city": "Paris"}',
};
export const TOOL_USE_TOKENS = {
  'llm.token_count.prompt': 55,
  'llm.token_count.completion': 42,
  'llm.token_count.total': 97,
  'llm.token_count.prompt_details.cache_read': 30,
  'llm.token_count.prompt_details.cache_write': 20,
};

/** A streamed plain text reply ("Hi there"), input 7, output 3. */
export function textStream(): SseEvent[] {
  return [
    ev('message_start', {
      message: {
        id: 'msg_stream_2',
        type: 'message',
        role: 'assistant',
        model: MODEL,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 7, output_tokens: 1 },
      },
    }),
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hi ' } }),
    ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'there' } }),
    ev('content_block_stop', { index: 0 }),
    ev('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 3 } }),
    ev('message_stop', {}),
  ];
}

/** The error envelope every non-2xx response and the mid-stream `error` event carry. */
export function apiError(type: string, message: string) {
  return { type: 'error', error: { type, message }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' };
}

/** The stream up to the second text delta, then an `event: error` (the API overloaded mid-stream). */
export function streamWithErrorEvent(): SseEvent[] {
  return [...textStream().slice(0, 4), { event: 'error', data: apiError('overloaded_error', 'Overloaded') }];
}
