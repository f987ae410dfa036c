/**
 * The per-call overhead bench for Mistral, Groq and Ollama. This file only says how to make a chat call and
 * a streamed call on each SDK against prebuilt answers; bench/variant.ts runs them in its per-variant child
 * processes and bench/run.ts reports them with the other SDKs (sections `mistral`, `groq`, `ollama` of
 * BENCH_ONLY). Standalone, for one figure: `node --import tsx bench/variant.ts groq ours stream 20000`.
 */
import * as fx from './fixtures';
import type { Call, Scenario } from './scenario';

export type MoreProviderKey = 'mistral' | 'groq' | 'ollama';

const encoder = new TextEncoder();
const MESSAGES = [
  { role: 'system' as const, content: 'You are a helpful assistant. Answer briefly.' },
  { role: 'user' as const, content: 'Say hello and offer help.' },
];
const ANSWER = 'Hello there! How can I help you today?';

/** An OpenAI-shaped chat completion (Mistral's and Groq's wire format), and its stream with usage at the end. */
function chatBytes(model: string, extra: Record<string, unknown> = {}): Uint8Array {
  return encoder.encode(
    JSON.stringify({
      id: 'cmpl-1',
      object: 'chat.completion',
      created: 1764576000,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: ANSWER }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 },
      ...extra,
    }),
  );
}

function streamBytes(model: string, usageKey: (usage: Record<string, number>) => Record<string, unknown>): Uint8Array {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) => ({
    id: 'cmpl-2',
    object: 'chat.completion.chunk',
    created: 1764576000,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...extra,
  });
  return fx.sse([
    { data: chunk({ role: 'assistant', content: '' }) },
    ...fx.STREAM_PIECES.map((piece) => ({ data: chunk({ content: `${piece} ` }) })),
    { data: chunk({}, 'stop', usageKey({ prompt_tokens: 12, completion_tokens: 16, total_tokens: 28 })) },
    { data: '[DONE]' },
  ]);
}

const MISTRAL_CHAT = chatBytes('mistral-small-latest');
const MISTRAL_STREAM = streamBytes('mistral-small-latest', (usage) => ({ usage }));
const GROQ_CHAT = chatBytes('llama-3.3-70b-versatile', { x_groq: { id: 'req_1' } });
const GROQ_STREAM = streamBytes('llama-3.3-70b-versatile', (usage) => ({ x_groq: { id: 'req_1', usage } }));

const OLLAMA_DONE = { done: true, done_reason: 'stop', total_duration: 5e8, prompt_eval_count: 26, eval_count: 16 };
const OLLAMA_CHAT = encoder.encode(
  JSON.stringify({ model: 'llama3.2', created_at: '2026-12-01T10:00:00Z', message: { role: 'assistant', content: ANSWER }, ...OLLAMA_DONE }),
);
const OLLAMA_STREAM = encoder.encode(
  [
    ...fx.STREAM_PIECES.map((piece) => ({ model: 'llama3.2', created_at: '2026-12-01T10:00:00Z', message: { role: 'assistant', content: `${piece} ` }, done: false })),
    { model: 'llama3.2', created_at: '2026-12-01T10:00:00Z', message: { role: 'assistant', content: '' }, ...OLLAMA_DONE },
  ]
    .map((line) => `${JSON.stringify(line)}\n`)
    .join(''),
);

function mistralCalls(): Record<Scenario, Call> {
  // 2.x is ESM-only; Node 20.19+ loads it through require() and the require hook patches it.
  const { Mistral, HTTPClient } = require('@mistralai/mistralai');
  const client = (bytes: Uint8Array, respond: (b: Uint8Array) => Response) =>
    new Mistral({ apiKey: 'sk-bench', serverURL: 'https://api.mistral.ai', httpClient: new HTTPClient({ fetcher: () => Promise.resolve(respond(bytes)) }) });
  const chatClient = client(MISTRAL_CHAT, fx.jsonResponse);
  const streamClient = client(MISTRAL_STREAM, fx.sseResponse);
  const request = { model: 'mistral-small-latest', temperature: 0.2, messages: MESSAGES };
  return {
    async chat() {
      await chatClient.chat.complete(request);
    },
    async stream() {
      for await (const _event of await streamClient.chat.stream(request));
    },
  };
}

function groqCalls(): Record<Scenario, Call> {
  const { Groq } = require('groq-sdk');
  const chatClient = new Groq({ apiKey: 'sk-bench', fetch: () => Promise.resolve(fx.jsonResponse(GROQ_CHAT)), maxRetries: 0 });
  const streamClient = new Groq({ apiKey: 'sk-bench', fetch: () => Promise.resolve(fx.sseResponse(GROQ_STREAM)), maxRetries: 0 });
  const request = { model: 'llama-3.3-70b-versatile', temperature: 0.2, messages: MESSAGES };
  return {
    async chat() {
      await chatClient.chat.completions.create(request);
    },
    async stream() {
      for await (const _chunk of await streamClient.chat.completions.create({ ...request, stream: true }));
    },
  };
}

function ollamaCalls(): Record<Scenario, Call> {
  const { Ollama } = require('ollama');
  const chatClient = new Ollama({ host: 'http://127.0.0.1:11434', fetch: () => Promise.resolve(fx.jsonResponse(OLLAMA_CHAT)) });
  const streamClient = new Ollama({ host: 'http://127.0.0.1:11434', fetch: () => Promise.resolve(fx.jsonResponse(OLLAMA_STREAM)) });
  const request = { model: 'llama3.2', messages: MESSAGES, options: { temperature: 0.2 } };
  return {
    async chat() {
      await chatClient.chat(request);
    },
    async stream() {
      for await (const _part of await streamClient.chat({ ...request, stream: true }));
    },
  };
}

export const MORE_SDK_CALLS: Record<MoreProviderKey, () => Record<Scenario, Call>> = { mistral: mistralCalls, groq: groqCalls, ollama: ollamaCalls };

/** The sections bench/run.ts adds: each SDK bare, and with @infinium/otel recording content or not. */
export const MORE_SDK_SECTIONS: Array<{ provider: MoreProviderKey; variants: Array<'none' | 'ours' | 'ours-nocontent'> }> = [
  { provider: 'mistral', variants: ['none', 'ours', 'ours-nocontent'] },
  { provider: 'groq', variants: ['none', 'ours', 'ours-nocontent'] },
  { provider: 'ollama', variants: ['none', 'ours', 'ours-nocontent'] },
];
