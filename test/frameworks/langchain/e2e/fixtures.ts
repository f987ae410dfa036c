import type { FakeResponse, ReceivedRequest, SseEvent } from '../../../helpers/fake-llm-server';

/**
 * OpenAI response shapes, as the API reference records them (chat.completion, chat.completion.chunk with
 * the `stream_options.include_usage` usage chunk, embedding list), for the LangChain end-to-end tests.
 * The response's model differs from the requested `gpt-4o-mini`, so a test can tell which one a span carries.
 */
export const REQUEST_MODEL = 'gpt-4o-mini';
export const RESPONSE_MODEL = 'gpt-4o-mini-2024-07-18';
export const EMBEDDING_MODEL = 'text-embedding-3-small';

export interface Usage {
  prompt: number;
  completion: number;
}

function usageOf({ prompt, completion }: Usage) {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** Each completion has its own id, as the API's do: LangGraph's message reducer replaces a message of the same id. */
let completions = 0;

function completion(message: Record<string, unknown>, finishReason: string, usage: Usage) {
  return {
    id: `chatcmpl-e2e-${++completions}`,
    object: 'chat.completion',
    created: 1741569952,
    model: RESPONSE_MODEL,
    choices: [{ index: 0, message: { role: 'assistant', refusal: null, annotations: [], ...message }, logprobs: null, finish_reason: finishReason }],
    usage: usageOf(usage),
    service_tier: 'default',
    system_fingerprint: 'fp_e2e',
  };
}

/** A final text answer. */
export function answer(text: string, usage: Usage = { prompt: 21, completion: 5 }) {
  return completion({ content: text }, 'stop', usage);
}

/** The model asks for one tool call. */
export function toolCall(name: string, args: Record<string, unknown>, id = 'call_1', usage: Usage = { prompt: 57, completion: 16 }) {
  const calls = [{ id, type: 'function', function: { name, arguments: JSON.stringify(args) } }];
  return completion({ content: null, tool_calls: calls }, 'tool_calls', usage);
}

function chunk(delta: Record<string, unknown>, finishReason: string | null = null) {
  return {
    id: 'chatcmpl-e2e-stream',
    object: 'chat.completion.chunk',
    created: 1741569952,
    model: RESPONSE_MODEL,
    system_fingerprint: 'fp_e2e',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
}

/** A streamed text answer in `pieces`, then the usage chunk (choices: []) and [DONE]. */
export function answerStream(pieces: string[], usage: Usage = { prompt: 21, completion: 6 }): SseEvent[] {
  return [
    { data: chunk({ role: 'assistant', content: '', refusal: null }) },
    ...pieces.map((content) => ({ data: chunk({ content }) })),
    { data: chunk({}, 'stop') },
    { data: { ...chunk({}), choices: [], usage: usageOf(usage) } },
    { data: '[DONE]' },
  ];
}

/**
 * A fixed vector per text: the vector store's similarity is then known in advance. A text not listed
 * gets the query vector's neighbour `[1, 0, 0]`.
 */
export const VECTORS: Record<string, number[]> = {
  'Paris is the capital of France.': [1, 0, 0],
  'Lyon is known for its food.': [0.8, 0.6, 0],
  'Berlin is the capital of Germany.': [0, 0, 1],
};

/** An embeddings list for `input` (a string or strings), the fixed vectors above. */
export function embeddings(input: string | string[]) {
  const texts = Array.isArray(input) ? input : [input];
  return {
    object: 'list',
    data: texts.map((text, index) => ({ object: 'embedding', index, embedding: VECTORS[text] ?? [0.9, 0.1, 0] })),
    model: EMBEDDING_MODEL,
    usage: { prompt_tokens: 4 * texts.length, total_tokens: 4 * texts.length },
  };
}

/**
 * The fake server's handler: embeddings answered from VECTORS, chat completions from `chat` in order
 * (each request takes the next; the last one repeats).
 */
export function openAiRoutes(chat: Array<FakeResponse | ((request: ReceivedRequest) => FakeResponse)>) {
  let served = 0;
  return (request: ReceivedRequest): FakeResponse => {
    if (request.path.endsWith('/embeddings')) return { json: embeddings(request.body.input) };
    const next = chat[Math.min(served++, chat.length - 1)];
    return typeof next === 'function' ? next(request) : next;
  };
}

/** The city a weather question names (`Weather in Paris?` → `Paris`). */
export function cityOf(text: string): string {
  return /in (\w+)/.exec(text)?.[1] ?? 'nowhere';
}

let toolCalls = 0;

/**
 * A ReAct agent's model, answered from the request alone (so concurrent runs each get their own): a
 * conversation that ends with a tool result gets the final answer quoting it, any other a get_weather
 * call for the city of its user message.
 */
export function agentReplies(request: ReceivedRequest): FakeResponse {
  const messages: Array<{ role: string; content: string }> = request.body.messages;
  const last = messages[messages.length - 1];
  if (last.role === 'tool') return { json: answer(`Final: ${last.content}`, { prompt: 80, completion: 9 }) };
  const city = cityOf(messages.find((m) => m.role === 'user')!.content);
  return { json: toolCall('get_weather', { city }, `call_${++toolCalls}`, { prompt: 57, completion: 16 }) };
}
