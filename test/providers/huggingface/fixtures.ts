import type { FakeResponse, ReceivedRequest, SseEvent } from '../../helpers/fake-llm-server';

/**
 * Recorded-shape answers of Hugging Face's router and of a TGI / Inference Endpoints server: the OpenAI-
 * compatible chat completions (JSON and SSE), the completions answer `textGeneration` reads, the hub's
 * provider mapping, feature-extraction arrays, and the error bodies.
 */
export const CHAT_MODEL = 'meta-llama/Llama-3.3-70B-Instruct';
export const TOGETHER_MODEL = 'meta-llama/Llama-3.3-70B-Instruct-Turbo';
export const EMBED_MODEL = 'sentence-transformers/all-MiniLM-L6-v2';
/** A Hugging Face token (the auto router takes only those): it must never reach a span. */
export const HF_TOKEN = 'hf_test_secret_123';

const CREATED = 1796630400;

export function chatResponse(message: Record<string, unknown> = { role: 'assistant', content: 'Hello from Llama!' }, finish = 'stop') {
  return {
    id: 'chatcmpl-hf-1',
    object: 'chat.completion',
    created: CREATED,
    model: TOGETHER_MODEL,
    system_fingerprint: '3.2.1-sha-4d28897',
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    usage: { prompt_tokens: 21, completion_tokens: 6, total_tokens: 27 },
  };
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null, usage?: unknown) => ({
  id: 'chatcmpl-hf-2',
  object: 'chat.completion.chunk',
  created: CREATED,
  model: TOGETHER_MODEL,
  system_fingerprint: '3.2.1-sha-4d28897',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  ...(usage ? { usage } : {}),
});

/** A streamed answer: text pieces, a tool call in two pieces, the finish reason, usage on the last chunk, `[DONE]`. */
export function chatStream(): SseEvent[] {
  return [
    { data: chunk({ role: 'assistant', content: 'Let me ' }) },
    { data: chunk({ content: 'check.' }) },
    { data: chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":' } }] }) },
    { data: chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }) },
    { data: chunk({}, 'tool_calls', { prompt_tokens: 30, completion_tokens: 13, total_tokens: 43 }) },
    { data: '[DONE]' },
  ];
}

/** What an Inference Endpoint's OpenAI-compatible `/v1/completions` answers `textGeneration`. */
export function completionResponse() {
  return {
    id: 'cmpl-hf-3',
    object: 'text_completion',
    created: CREATED,
    model: 'tgi',
    choices: [{ index: 0, text: ' a quick brown fox.', logprobs: null, finish_reason: 'length' }],
    usage: { prompt_tokens: 5, completion_tokens: 8, total_tokens: 13 },
  };
}

/** An endpoint's `/v1/completions` streamed (`textGenerationStream`): OpenAI completion chunks, usage last. */
export function completionStream(): SseEvent[] {
  const piece = (text: string, finish: string | null = null) => ({ id: 'cmpl-hf-4', object: 'text_completion', created: CREATED, model: 'tgi', choices: [{ index: 0, text, logprobs: null, finish_reason: finish }] });
  return [
    { data: piece(' a quick') },
    { data: piece(' brown fox.', 'length') },
    { data: { ...piece('', null), choices: [], usage: { prompt_tokens: 5, completion_tokens: 8, total_tokens: 13 } } },
    { data: '[DONE]' },
  ];
}

/** TGI's own token events (`/generate_stream` shape): the last one carries `generated_text` and `details`. */
export function tgiTokenStream(): SseEvent[] {
  const token = (id: number, text: string, special = false) => ({ index: id, token: { id, text, logprob: -0.1, special }, generated_text: null, details: null });
  return [
    { data: token(1, 'Paris') },
    { data: token(2, '.') },
    { data: { ...token(3, '</s>', true), generated_text: 'Paris.', details: { finish_reason: 'eos_token', generated_tokens: 3, seed: null } } },
  ];
}

/** The hub's provider mapping of a model (`/api/models/<id>?expand[]=inferenceProviderMapping`). */
export function providerMapping(model: string, provider: string, providerId: string, task: string) {
  return { _id: '66f0f0f0f0f0f0f0f0f0f0f0', id: model, inferenceProviderMapping: { [provider]: { status: 'live', providerId, task } } };
}

export const VECTOR_A = [0.125, -0.5, 0.75];
export const VECTOR_B = [0.25, 0.5, -0.125];

/**
 * The fake's routes: the hub's mappings, the router's and a provider's chat completions, an endpoint's
 * completions and feature extraction. `overrides` answers first (errors, streams held open).
 */
export function huggingFaceRoutes(overrides?: (request: ReceivedRequest) => FakeResponse | undefined) {
  return (request: ReceivedRequest): FakeResponse => {
    const override = overrides?.(request);
    if (override) return override;
    const path = request.path;
    if (path.startsWith(`/api/models/${CHAT_MODEL}`)) return { json: providerMapping(CHAT_MODEL, 'together', TOGETHER_MODEL, 'conversational') };
    if (path.startsWith(`/api/models/${EMBED_MODEL}`)) return { json: providerMapping(EMBED_MODEL, 'hf-inference', EMBED_MODEL, 'feature-extraction') };
    if (path.endsWith('/chat/completions')) return request.body?.stream ? { sse: chatStream() } : { json: chatResponse() };
    if (path.endsWith('/v1/completions')) return request.body?.stream ? { sse: completionStream() } : { json: completionResponse() };
    if (path.includes('/pipeline/feature-extraction')) {
      return { json: Array.isArray(request.body?.inputs) ? [VECTOR_A, VECTOR_B] : VECTOR_A };
    }
    return { status: 404, json: { error: `unexpected ${path}` } };
  };
}
