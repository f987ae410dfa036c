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

/** A Responses API `response` object (API reference, "The response object"). */
export function responseObject(overrides: Record<string, unknown> = {}) {
  return {
    id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
    object: 'response',
    created_at: 1741476542,
    status: 'completed',
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: 'gpt-4.1-2025-04-14',
    output: [
      { type: 'reasoning', id: 'rs_1', summary: [] },
      {
        type: 'message',
        id: 'msg_1',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Checking the weather.', annotations: [] }],
      },
      { type: 'function_call', id: 'fc_1', call_id: 'call_abc', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
    ],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: 1.0,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1.0,
    truncation: 'disabled',
    usage: {
      input_tokens: 36,
      input_tokens_details: { cached_tokens: 8 },
      output_tokens: 87,
      output_tokens_details: { reasoning_tokens: 64 },
      total_tokens: 123,
    },
    user: null,
    metadata: {},
    ...overrides,
  };
}

/** Responses SSE: each event is sent as `event: <type>` + `data: <json>`. */
function responseEvent(type: string, fields: Record<string, unknown>, sequence: number): SseEvent {
  return { event: type, data: { type, sequence_number: sequence, ...fields } };
}

/**
 * A streamed response: a text message over two deltas, then a function call whose arguments come in two
 * deltas, then `response.completed` with the whole response and its usage.
 */
export function responseStream(): SseEvent[] {
  const inProgress = responseObject({ status: 'in_progress', output: [], usage: null });
  const message = { type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Let me check.', annotations: [] }] };
  const call = { type: 'function_call', id: 'fc_1', call_id: 'call_abc', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' };
  const events: Array<[string, Record<string, unknown>]> = [
    ['response.created', { response: inProgress }],
    ['response.in_progress', { response: inProgress }],
    ['response.output_item.added', { output_index: 0, item: { ...message, status: 'in_progress', content: [] } }],
    ['response.content_part.added', { item_id: 'msg_1', output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }],
    ['response.output_text.delta', { item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Let me ', logprobs: [] }],
    ['response.output_text.delta', { item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'check.', logprobs: [] }],
    ['response.output_text.done', { item_id: 'msg_1', output_index: 0, content_index: 0, text: 'Let me check.', logprobs: [] }],
    ['response.content_part.done', { item_id: 'msg_1', output_index: 0, content_index: 0, part: message.content[0] }],
    ['response.output_item.done', { output_index: 0, item: message }],
    ['response.output_item.added', { output_index: 1, item: { ...call, status: 'in_progress', arguments: '' } }],
    ['response.function_call_arguments.delta', { item_id: 'fc_1', output_index: 1, delta: '{"city":' }],
    ['response.function_call_arguments.delta', { item_id: 'fc_1', output_index: 1, delta: '"Paris"}' }],
    ['response.function_call_arguments.done', { item_id: 'fc_1', output_index: 1, arguments: '{"city":"Paris"}' }],
    ['response.output_item.done', { output_index: 1, item: call }],
    [
      'response.completed',
      {
        response: responseObject({
          output: [message, call],
          usage: { input_tokens: 20, input_tokens_details: { cached_tokens: 0 }, output_tokens: 9, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 29 },
        }),
      },
    ],
  ];
  return events.map(([type, fields], i) => responseEvent(type, fields, i));
}

/** A stream that fails in-band: the transport ends cleanly after `response.failed`. */
export function responseFailedStream(): SseEvent[] {
  const inProgress = responseObject({ status: 'in_progress', output: [], usage: null });
  const failed = responseObject({ status: 'failed', output: [], usage: null, error: { code: 'server_error', message: 'The model crashed.' } });
  return [
    responseEvent('response.created', { response: inProgress }, 0),
    responseEvent('response.output_item.added', { output_index: 0, item: { type: 'message', id: 'msg_1', status: 'in_progress', role: 'assistant', content: [] } }, 1),
    responseEvent('response.output_text.delta', { item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Half an ans', logprobs: [] }, 2),
    responseEvent('response.failed', { response: failed }, 3),
  ];
}

/** A legacy `text_completion` object (API reference, "The completion object"). */
export function textCompletion(overrides: Record<string, unknown> = {}) {
  return {
    id: 'cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7',
    object: 'text_completion',
    created: 1589478378,
    model: 'gpt-3.5-turbo-instruct',
    system_fingerprint: 'fp_44709d6fcb',
    choices: [{ text: '\n\nThis is indeed a test', index: 0, logprobs: null, finish_reason: 'length' }],
    usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
    ...overrides,
  };
}

function completionChunk(choices: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  return { id: 'cmpl-7iA7iJjj8V2zOkCGvWF2hAkDWBQZe', object: 'text_completion', created: 1690759702, model: 'gpt-3.5-turbo-instruct', choices, ...extra };
}

/** A streamed legacy completion with two choices interleaved (`n: 2`) and the final usage chunk. */
export function textCompletionStream(): SseEvent[] {
  return [
    { data: completionChunk([{ text: 'This', index: 0, logprobs: null, finish_reason: null }]) },
    { data: completionChunk([{ text: 'That', index: 1, logprobs: null, finish_reason: null }]) },
    { data: completionChunk([{ text: ' is', index: 0, logprobs: null, finish_reason: null }]) },
    { data: completionChunk([{ text: ' was', index: 1, logprobs: null, finish_reason: null }]) },
    { data: completionChunk([{ text: '', index: 0, logprobs: null, finish_reason: 'stop' }]) },
    { data: completionChunk([{ text: '', index: 1, logprobs: null, finish_reason: 'length' }]) },
    { data: completionChunk([], { usage: { prompt_tokens: 4, completion_tokens: 4, total_tokens: 8 } }) },
    { data: '[DONE]' },
  ];
}

/** Little-endian float32 bytes in base64: what the API sends for `encoding_format: 'base64'`. */
export function float32Base64(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => bytes.writeFloatLE(x, i * 4));
  return bytes.toString('base64');
}

/** An embeddings `list` response (API reference, "The embedding object"). */
export function embeddingList(vectors: Array<number[] | string>, model = 'text-embedding-3-small') {
  return {
    object: 'list',
    data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    model,
    usage: { prompt_tokens: 8, total_tokens: 8 },
  };
}
